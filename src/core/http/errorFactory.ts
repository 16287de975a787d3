// Builds ApsError values from HTTP responses and transport failures.
import { ApsError } from './apsError';
import { documentedEndpoint, type DocumentedEndpoint } from './documentedLimits';
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
    userMessage: userMessageFor(status, parsed.code, parsed.detail ?? parsed.title, context.retryAfterMs, isOAuth, documentedEndpoint(context.method, context.url)),
    method: context.method,
    url: context.url,
  });
}

function withDetail(sentence: string, detail: string | undefined): string {
  if (!detail) return sentence;
  const clean = detail.trim().replace(/\.$/, '');
  return `${sentence} APS says: ${clean}.`;
}

function seconds(ms: number): string {
  const count = Math.ceil(ms / 1000);
  return `${count} second${count === 1 ? '' : 's'}`;
}

/** 429: which limit (when APS publishes it) and when to try again. */
function rateLimited(retryAfterMs: number | undefined, endpoint: DocumentedEndpoint | undefined): string {
  const limit =
    endpoint?.perMinute !== undefined
      ? `Autodesk allows ${endpoint.perMinute} requests a minute for ${endpoint.what} per app, and they are used up.`
      : `Autodesk is limiting the request rate${endpoint ? ` for ${endpoint.what}` : ''}.`;
  return `${limit} Try again ${retryAfterMs !== undefined ? `in ${seconds(retryAfterMs)}` : 'shortly'}.`;
}

/** 403 from the API gateway for a token without the scope the endpoint needs (AUTH-010). */
function missingScope(endpoint: DocumentedEndpoint | undefined): string {
  const scopes = endpoint?.scopes.length ? endpoint.scopes.join(' and ') : undefined;
  const what = endpoint ? endpoint.what : 'this request';
  return scopes
    ? `Autodesk refused ${what}: the sign-in lacks the scope ${scopes}. Sign out and sign in again so Autodesk grants it, and check that your APS app may use it.`
    : `Autodesk refused ${what}: the sign-in lacks a scope it needs. Sign out and sign in again.`;
}

function userMessageFor(
  status: number,
  code: string | undefined,
  detail: string | undefined,
  retryAfterMs: number | undefined,
  isOAuth: boolean,
  endpoint: DocumentedEndpoint | undefined,
): string {
  if (isOAuth && status >= 400 && status < 500 && status !== 429) {
    if (code === 'invalid_grant') return withDetail('Your Autodesk sign-in has expired or was refused. Please sign in again.', detail);
    if (status === 401 || code === 'invalid_client') return withDetail('Autodesk rejected the app credentials (client ID or secret). Check the extension settings.', detail);
    return withDetail('Autodesk sign-in failed.', detail);
  }
  if (status === 401) return withDetail('Your Autodesk session has expired or is not valid. Please sign in again.', detail);
  if (status === 403) {
    if (code === 'AUTH-010') return missingScope(endpoint);
    if (code === 'USER_NOT_AUTHENTICATED') return withDetail('This action needs a signed-in Autodesk user (3-legged sign-in or a user ID).', detail);
    return withDetail('You do not have permission to access this in Autodesk.', detail);
  }
  if (status === 404) return withDetail('The requested item was not found in Autodesk. It may have been moved or deleted.', detail);
  if (status === 409) return withDetail('Autodesk reported a conflict with the current state of this item.', detail);
  if (status === 413 || status === 422) return withDetail('Autodesk could not process this request.', detail);
  if (status === 429) return rateLimited(retryAfterMs, endpoint);
  if (status >= 500) return withDetail(`Autodesk Platform Services is having trouble (HTTP ${status}). Try again later.`, detail);
  if (status === 400 && code === 'InvalidArgument' && /auth mechanism/i.test(detail ?? '')) {
    return 'The storage service refused the download because the request carried an Authorization header besides the signed URL.';
  }
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
