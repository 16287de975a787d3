// When and how long to wait before retrying a failed request: for API calls and storage downloads alike.

export interface RetryOptions {
  /** Retries after the first attempt (0 disables retrying). */
  maxRetries: number;
  /** First backoff ceiling in ms; doubles per attempt (full jitter picks 0..ceiling). */
  baseDelayMs: number;
  /** Upper bound for one computed backoff. */
  maxDelayMs: number;
  /** A Retry-After longer than this is not waited for: the error is raised instead. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryOptions = {
  maxRetries: 4,
  baseDelayMs: 500,
  maxDelayMs: 20_000,
  maxRetryAfterMs: 120_000,
};

const RETRYABLE_STATUSES = new Set([408, 425, 429, 500, 502, 503, 504]);

const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

// Errors raised before the request could reach the server; safe to retry for any method.
const NOT_SENT_ERROR_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT', 'EHOSTUNREACH', 'ENETUNREACH']);

const NETWORK_ERROR_CODES = new Set([
  ...NOT_SENT_ERROR_CODES,
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ECONNABORTED',
  'ENETDOWN',
  'ENETRESET',
  'EHOSTDOWN',
  'EPROTO',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
]);

export function isRetryableStatus(status: number): boolean {
  return RETRYABLE_STATUSES.has(status);
}

export function isIdempotentMethod(method: string): boolean {
  return IDEMPOTENT_METHODS.has(method.toUpperCase());
}

export function errorCodeOf(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

export function isNetworkError(error: unknown): boolean {
  const code = errorCodeOf(error);
  return code !== undefined && NETWORK_ERROR_CODES.has(code);
}

export function isNotSentError(error: unknown): boolean {
  const code = errorCodeOf(error);
  return code !== undefined && NOT_SENT_ERROR_CODES.has(code);
}

/**
 * A request may be repeated after a failure if the server certainly did not act on it
 * (429 rejects before processing; connection refused never reached it), or if repeating it is harmless.
 */
export function mayRetry(method: string, idempotent: boolean | undefined, outcome: { status?: number; error?: unknown }): boolean {
  const safeToRepeat = idempotent ?? isIdempotentMethod(method);
  if (outcome.status !== undefined) {
    if (outcome.status === 429) return true;
    return safeToRepeat && isRetryableStatus(outcome.status);
  }
  if (isNotSentError(outcome.error)) return true;
  return safeToRepeat && isNetworkError(outcome.error);
}

/** Full-jitter exponential backoff: a uniform pick in [0, min(max, base * 2^retryIndex)]. */
export function backoffDelay(retryIndex: number, options: Pick<RetryOptions, 'baseDelayMs' | 'maxDelayMs'>, random: () => number = Math.random): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.max(0, retryIndex));
  return Math.floor(random() * ceiling);
}

/** Parses Retry-After (delta seconds or HTTP-date) into milliseconds from `now`; undefined if absent/invalid. */
export function parseRetryAfter(value: string | string[] | undefined, now: number = Date.now()): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (text === undefined) return undefined;
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.ceil(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}
