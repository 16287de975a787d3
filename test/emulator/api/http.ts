import { randomUUID } from 'node:crypto';
import { choices } from '../choices';
import { sendBody, type Exchange } from '../http/exchange';

export function sendJson(exchange: Exchange, status: number, body: unknown, headers: Record<string, string> = {}, contentType = 'application/json'): void {
  sendBody(exchange, status, { 'content-type': `${contentType}; charset=utf-8`, ...headers }, JSON.stringify(body));
}

/** A Project/Data service response (JSON:API). */
export function sendJsonApi(exchange: Exchange, status: number, body: unknown, headers: Record<string, string> = {}): void {
  sendJson(exchange, status, body, headers, choices.jsonApiContentType);
}

export function sendEmpty(exchange: Exchange, status: number, headers: Record<string, string> = {}): void {
  sendBody(exchange, status, headers, '');
}

/** JSON:API error as the Project/Data services send it. */
export function sendDataError(exchange: Exchange, status: number, detail: string, code = choices.dataErrorCodes[status] ?? 'ERROR', title?: string): void {
  sendJsonApi(exchange, status, {
    jsonapi: { version: '1.0' },
    errors: [{ id: randomUUID(), status: String(status), code, ...(title ? { title } : {}), detail }],
  });
}

/** API-gateway style error (tokens, scopes, quota). */
export function sendGatewayError(exchange: Exchange, status: number, errorCode: string, developerMessage: string, headers: Record<string, string> = {}): void {
  sendJson(exchange, status, { developerMessage, moreInfo: choices.gateway.moreInfo, errorCode }, headers);
}

/** OAuth (RFC 6749) error. */
export function sendOAuthError(exchange: Exchange, status: number, error: string, description: string): void {
  sendJson(exchange, status, { error, error_description: description }, { 'cache-control': 'no-store' });
}

/** OSS error `{"reason": …}`. */
export function sendOssError(exchange: Exchange, status: number, reason: string): void {
  sendJson(exchange, status, { reason });
}

export class BodyTooLarge extends Error {}

export async function readBody(exchange: Exchange, limit = 1024 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of exchange.req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new BodyTooLarge(`body larger than ${limit} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export async function readJson(exchange: Exchange): Promise<{ ok: true; value: unknown } | { ok: false; error: string }> {
  const text = (await readBody(exchange)).toString('utf8');
  if (text.trim() === '') return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
}

export async function readForm(exchange: Exchange): Promise<URLSearchParams> {
  return new URLSearchParams((await readBody(exchange)).toString('utf8'));
}

/** Media type without parameters, lower-case. */
export function mediaType(exchange: Exchange): string {
  return (exchange.req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
}
