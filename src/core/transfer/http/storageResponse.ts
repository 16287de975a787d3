import type { Dispatcher } from 'undici';

export interface ContentRange {
  readonly start: number;
  readonly end: number;
  readonly total?: number;
}

/** `bytes a-b/total` (total may be `*`); undefined when malformed. */
export function parseContentRange(value: string | undefined): ContentRange | undefined {
  const match = value === undefined ? null : /^\s*bytes\s+(\d+)-(\d+)\/(\d+|\*)\s*$/i.exec(value);
  if (!match) return undefined;
  const start = Number(match[1]);
  const end = Number(match[2]);
  if (end < start) return undefined;
  return { start, end, total: match[3] === '*' ? undefined : Number(match[3]) };
}

export function headerValue(headers: Dispatcher.ResponseData['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Reads at most `limit` bytes of an error body, then drops the rest. */
export async function readBoundedText(body: Dispatcher.ResponseData['body'], limit = 4096): Promise<string> {
  const parts: Buffer[] = [];
  let length = 0;
  try {
    for await (const chunk of body) {
      parts.push(chunk as Buffer);
      length += (chunk as Buffer).length;
      if (length >= limit) break;
    }
  } catch {
    // The status line already says what went wrong; a broken error body adds nothing.
  }
  return Buffer.concat(parts).toString('utf8', 0, Math.min(length, limit));
}

/** The human part of an S3/CloudFront XML or OSS JSON error body. */
export function storageErrorDetail(status: number, text: string): string {
  const message = /<Message>([^<]*)<\/Message>/i.exec(text)?.[1] ?? /<Code>([^<]*)<\/Code>/i.exec(text)?.[1];
  if (message) return `HTTP ${status}: ${message.trim()}`;
  try {
    const json = JSON.parse(text) as { reason?: unknown; developerMessage?: unknown; message?: unknown };
    const reason = json.reason ?? json.developerMessage ?? json.message;
    if (typeof reason === 'string') return `HTTP ${status}: ${reason}`;
  } catch {
    // not JSON
  }
  return `HTTP ${status}`;
}

/**
 * Drops a response body we will not read. undici reports destroying an unfinished body as an
 * 'error' event, which would be uncaught without a listener.
 */
export function discardBody(body: Dispatcher.ResponseData['body']): void {
  if (body.readableEnded || body.destroyed) return;
  body.on('error', () => undefined);
  body.destroy();
}
