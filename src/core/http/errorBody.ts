// Reads every APS error body shape (aps-api.md §0.8) into code/title/detail.

export interface ParsedErrorBody {
  code?: string;
  title?: string;
  detail?: string;
  /** An id the server gave this error (JSON:API errors[].id). */
  errorId?: string;
}

type Json = Record<string, unknown>;

function str(value: unknown): string | undefined {
  if (typeof value === 'string' && value.trim() !== '') return value;
  if (typeof value === 'number') return String(value);
  return undefined;
}

export function parseErrorBody(text: string): ParsedErrorBody {
  const trimmed = text.trim();
  if (trimmed === '') return {};
  if (trimmed.startsWith('<')) return parseXmlError(trimmed);
  let json: unknown;
  try {
    json = JSON.parse(trimmed);
  } catch {
    return { detail: trimmed.length > 300 ? `${trimmed.slice(0, 300)}…` : trimmed };
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) return {};
  return parseJsonError(json as Json);
}

function parseJsonError(body: Json): ParsedErrorBody {
  // JSON:API: { errors: [{ id, status, code, title, detail }] }
  if (Array.isArray(body.errors) && body.errors.length > 0) {
    const first = body.errors[0] as Json;
    const details = (body.errors as Json[]).map((e) => str(e.detail) ?? str(e.title)).filter((d): d is string => !!d);
    return { code: str(first.code), title: str(first.title), detail: details.join(' ') || undefined, errorId: str(first.id) };
  }
  // OAuth (RFC 6749): { error, error_description }
  if (typeof body.error === 'string') {
    return { code: body.error, detail: str(body.error_description) };
  }
  // ACC export job / nested: { error: { code, title, detail } }
  if (body.error && typeof body.error === 'object') {
    const inner = body.error as Json;
    return { code: str(inner.code), title: str(inner.title), detail: str(inner.detail) ?? str(inner.message) };
  }
  // API gateway / rate limit: { developerMessage, moreInfo | "more info", errorCode }
  if (body.developerMessage !== undefined || body.errorCode !== undefined) {
    return { code: str(body.errorCode), detail: str(body.developerMessage) ?? str(body.userMessage) };
  }
  // OSS: { reason }
  if (body.reason !== undefined) return { detail: str(body.reason) };
  // Generic shapes (ACC files, BIM 360 docs): { code, title?, detail? | message? }
  return {
    code: str(body.code) ?? str(body.errorCode),
    title: str(body.title),
    detail: str(body.detail) ?? str(body.message) ?? str(body.description),
  };
}

// S3 / CloudFront: <Error><Code>AccessDenied</Code><Message>Request has expired</Message>...</Error>
function parseXmlError(xml: string): ParsedErrorBody {
  const tag = (name: string): string | undefined => {
    const match = new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml);
    return match ? match[1] : undefined;
  };
  return { code: tag('Code'), detail: tag('Message'), errorId: tag('RequestId') };
}
