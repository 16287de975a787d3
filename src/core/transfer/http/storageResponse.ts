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

