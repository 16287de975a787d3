// Builds ApsError values from HTTP responses and transport failures.
import { ApsError } from './apsError';
import { parseErrorBody } from './errorBody';
import { errorCodeOf, isRetryableStatus } from './retryPolicy';

export type ResponseHeaders = Record<string, string | string[] | undefined>;

const REQUEST_ID_HEADERS = ['x-ads-request-id', 'x-request-id', 'x-ads-troubleshooting-id', 'x-amz-request-id', 'x-amz-cf-id'];

export function requestIdFrom(headers: ResponseHeaders): string | undefined {
  for (const name of REQUEST_ID_HEADERS) {
    const value = headers[name];
    const text = Array.isArray(value) ? value[0] : value;
    if (text) return text;
  }
  return undefined;
}

export interface ResponseErrorContext {
  method: string;
  /** Already redacted. */
  url: string;
  retryAfterMs?: number;
}

export function errorFromResponse(status: number, headers: ResponseHeaders, bodyText: string, context: ResponseErrorContext): ApsError {
  const parsed = parseErrorBody(bodyText);
  const requestId = requestIdFrom(headers) ?? parsed.errorId;
  const summary = [parsed.code, parsed.title, parsed.detail].filter(Boolean).join(': ');
  const isOAuth = /\/authentication\/v2\//.test(context.url);
  return new ApsError({
    kind: status === 401 || (isOAuth && status === 400) ? 'auth' : 'http',
    message: `${context.method} ${context.url} failed with HTTP ${status}${summary ? ` (${summary})` : ''}`,
    status,
    code: parsed.code,
    title: parsed.title,
    detail: parsed.detail,
    requestId,
    retryable: isRetryableStatus(status),
    retryAfterMs: context.retryAfterMs,
    userMessage: userMessageFor(status, parsed.code, parsed.detail ?? parsed.title, context.retryAfterMs, isOAuth),
    method: context.method,
    url: context.url,
  });
}

function withDetail(sentence: string, detail: string | undefined): string {
  if (!detail) return sentence;
  const clean = detail.trim().replace(/\.$/, '');
  return `${sentence} APS says: ${clean}.`;
}

function userMessageFor(status: number, code: string | undefined, detail: string | undefined, retryAfterMs: number | undefined, isOAuth: boolean): string {
  if (isOAuth && status >= 400 && status < 500 && status !== 429) {
    if (code === 'invalid_grant') return withDetail('Your Autodesk sign-in has expired or was refused. Please sign in again.', detail);
    if (status === 401 || code === 'invalid_client') return withDetail('Autodesk rejected the app credentials (client ID or secret). Check the extension settings.', detail);
    return withDetail('Autodesk sign-in failed.', detail);
  }
  if (status === 401) return withDetail('Your Autodesk session has expired or is not valid. Please sign in again.', detail);
  if (status === 403) {
    if (code === 'USER_NOT_AUTHENTICATED') return withDetail('This action needs a signed-in Autodesk user (3-legged sign-in or a user ID).', detail);
    return withDetail('You do not have permission to access this in Autodesk.', detail);
  }
  if (status === 404) return withDetail('The requested item was not found in Autodesk. It may have been moved or deleted.', detail);
  if (status === 409) return withDetail('Autodesk reported a conflict with the current state of this item.', detail);
  if (status === 413 || status === 422) return withDetail('Autodesk could not process this request.', detail);
  if (status === 429) {
    const seconds = retryAfterMs !== undefined ? Math.ceil(retryAfterMs / 1000) : undefined;
    return seconds !== undefined
      ? `Autodesk is limiting the request rate. Try again in ${seconds} second${seconds === 1 ? '' : 's'}.`
      : 'Autodesk is limiting the request rate. Try again shortly.';
  }
  if (status >= 500) return withDetail(`Autodesk Platform Services is having trouble (HTTP ${status}). Try again later.`, detail);
  if (status === 400) return withDetail('Autodesk rejected the request as invalid.', detail);
  return withDetail(`Autodesk answered with HTTP ${status}.`, detail);
}

export function errorFromTransport(error: unknown, method: string, url: string): ApsError {
  const code = errorCodeOf(error) ?? 'NETWORK_ERROR';
  const timedOut = /TIMEOUT/i.test(code);
  const original = error instanceof Error ? error.message : String(error);
  return new ApsError({
    kind: 'network',
    message: `${method} ${url} failed: ${code} ${original}`.trim(),
    code,
    retryable: true,
    userMessage: timedOut
      ? 'Autodesk Platform Services did not answer in time. Check your connection and try again.'
      : `Could not reach Autodesk Platform Services (${code}). Check your network and proxy settings.`,
    method,
    url,
    cause: error,
  });
}
