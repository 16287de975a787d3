// Sends requests to APS: auth header, per-host budget, retries with backoff, 401 refresh, redacted logging.
import type { Dispatcher } from 'undici';
import { ApsError } from './apsError';
import type { RequestAuthorizer } from './authorizer';
import { delay, throwIfAborted } from './delay';
import { documentedEndpoint } from './documentedLimits';
import { errorFromResponse, errorFromTransport, requestIdFrom, type ResponseHeaders } from './errorFactory';
import { redactUrl } from './redact';
import { RequestBudget, type RateLimit } from './requestBudget';
import type { RequestLogEntry, RequestLogHook } from './requestLog';
import { backoffDelay, DEFAULT_RETRY, errorCodeOf, mayRetry, parseRetryAfter, type RetryOptions } from './retryPolicy';

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export type QueryValue = string | number | boolean | undefined | null | ReadonlyArray<string | number>;

export interface HttpRequest {
  method: HttpMethod;
  /** Absolute URL, or a path resolved against the client's base URL. */
  url: string;
  query?: Record<string, QueryValue>;
  headers?: Record<string, string>;
  /** Serialized as JSON; sets Content-Type to `contentType` or application/json. */
  json?: unknown;
  /** Form fields, sent as application/x-www-form-urlencoded. */
  form?: Record<string, string | undefined>;
  body?: string | Buffer;
  contentType?: string;
  /** Who signs the request; null sends no Authorization header. Defaults to the client's authorizer. */
  auth?: RequestAuthorizer | null;
  /** Overrides the method's idempotency (e.g. a side-effect-free POST may be retried). */
  idempotent?: boolean;
  /** Statuses returned instead of thrown, besides 2xx (e.g. 303, 304). */
  acceptStatus?: readonly number[];
  /** Keep the response body as bytes (`HttpResponse.bytes`), for images and other binary answers. */
  binary?: boolean;
  retry?: Partial<RetryOptions>;
  signal?: AbortSignal;
}

export interface HttpResponse {
  status: number;
  headers: ResponseHeaders;
  text: string;
  /** The body's bytes, for `binary` requests. */
  bytes?: Buffer;
  /** Redacted request URL. */
  url: string;
  /** Parsed body; undefined when empty or not JSON. */
  json(): unknown;
}

export interface HttpClientOptions {
  dispatcher: Dispatcher;
  baseUrl: string;
  authorizer?: RequestAuthorizer;
  budget?: RequestBudget;
  retry?: Partial<RetryOptions>;
  userAgent?: string;
  onRequestLog?: RequestLogHook;
  random?: () => number;
}

export class HttpClient {
  readonly dispatcher: Dispatcher;
  readonly baseUrl: string;
  readonly authorizer?: RequestAuthorizer;
  private readonly budget: RequestBudget;
  private readonly retry: RetryOptions;
  private readonly userAgent: string;
  private readonly onRequestLog?: RequestLogHook;
  private readonly random: () => number;

  constructor(options: HttpClientOptions) {
    this.dispatcher = options.dispatcher;
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.authorizer = options.authorizer;
    this.budget = options.budget ?? new RequestBudget();
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.userAgent = options.userAgent ?? 'aps-explorer';
    this.onRequestLog = options.onRequestLog;
    this.random = options.random ?? Math.random;
  }

  /** Resolves a root-relative or relative href (as APS sometimes returns) against the base URL. */
  resolve(url: string): URL {
    return new URL(url, `${this.baseUrl}/`);
  }

  async request(request: HttpRequest): Promise<HttpResponse> {
    const retry = { ...this.retry, ...request.retry };
    const auth = request.auth === undefined ? this.authorizer : request.auth ?? undefined;
    const target = this.buildUrl(request);
    const logUrl = redactUrl(target.toString());
    const { body, contentType } = encodeBody(request);
    // APS budgets requests per endpoint (OSS as a whole): each request is paced by its documented limit, and a
    // 429 holds back only what shares that limit.
    const documented = documentedEndpoint(request.method, target.pathname);
    const limit: RateLimit | undefined = documented && { name: documented.what, perMinute: documented.perMinute };
    let refreshed = false;
    let retriesUsed = 0;

    for (let attempt = 1; ; attempt++) {
      throwIfAborted(request.signal);
      const token = auth ? await auth.getAccessToken(request.signal) : undefined;
      const headers = this.buildHeaders(request, token, auth?.userId, contentType);
      const outcome = await this.attempt(target, request.method, headers, body, request.signal, limit, request.binary === true);
      const entry: RequestLogEntry = { method: request.method, url: logUrl, durationMs: outcome.durationMs, attempt };

      if ('error' in outcome) {
        entry.errorCode = errorCodeOf(outcome.error) ?? 'NETWORK_ERROR';
        if (request.signal?.aborted) {
          this.log(entry);
          throw request.signal.reason;
        }
        const error = errorFromTransport(outcome.error, request.method, logUrl);
        if (retriesUsed < retry.maxRetries && mayRetry(request.method, request.idempotent, { error: outcome.error })) {
          const wait = backoffDelay(retriesUsed++, retry, this.random);
          this.log({ ...entry, retryInMs: wait });
          await delay(wait, request.signal);
          continue;
        }
        this.log(entry);
        throw error;
      }

      const { status, headers: responseHeaders, text, bytes } = outcome;
      entry.status = status;
      entry.requestId = requestIdFrom(responseHeaders);
      if ((status >= 200 && status < 300) || request.acceptStatus?.includes(status)) {
        this.log(entry);
        return makeResponse(status, responseHeaders, text, logUrl, bytes);
      }

      if (status === 401 && auth && token !== undefined && !refreshed) {
        refreshed = true;
        if (await auth.onUnauthorized(token, request.signal)) {
          this.log({ ...entry, refreshedToken: true, retryInMs: 0 });
          continue;
        }
      }

      const retryAfterMs = parseRetryAfter(responseHeaders['retry-after']);
      const error = errorFromResponse(status, responseHeaders, text, { method: request.method, url: logUrl, retryAfterMs });
      entry.errorCode = error.code;
      const wait = this.retryWait(status, retryAfterMs, retriesUsed, retry);
      if (wait !== undefined && retriesUsed < retry.maxRetries && mayRetry(request.method, request.idempotent, { status })) {
        retriesUsed++;
        if (status === 429) this.budget.pause(target.host, Date.now() + wait, limit?.name);
        this.log({ ...entry, retryInMs: wait });
        await delay(wait, request.signal);
        continue;
      }
      this.log(entry);
      throw error;
    }
  }

  /** GET returning parsed JSON (throws ApsError on error statuses). */
  async getJson<T>(url: string, options: Omit<HttpRequest, 'method' | 'url'> = {}): Promise<T> {
    const response = await this.request({ ...options, method: 'GET', url });
    return expectJson<T>(response);
  }

  async sendJson<T>(method: HttpMethod, url: string, options: Omit<HttpRequest, 'method' | 'url'> = {}): Promise<T> {
    const response = await this.request({ ...options, method, url });
    return expectJson<T>(response);
  }

  // Retry-After beyond the allowed maximum is not waited for; other retryable statuses back off with jitter.
  private retryWait(status: number, retryAfterMs: number | undefined, retriesUsed: number, retry: RetryOptions): number | undefined {
    if (retryAfterMs !== undefined && (status === 429 || status === 503)) {
      if (retryAfterMs > retry.maxRetryAfterMs) return undefined;
      return retryAfterMs;
    }
    return backoffDelay(retriesUsed, retry, this.random);
  }

  private buildUrl(request: HttpRequest): URL {
    const url = this.resolve(request.url);
    for (const [name, value] of Object.entries(request.query ?? {})) {
      if (value === undefined || value === null) continue;
      if (Array.isArray(value)) {
        url.searchParams.set(name, value.join(','));
      } else {
        url.searchParams.set(name, String(value));
      }
    }
    return url;
  }

  private buildHeaders(request: HttpRequest, token: string | undefined, userId: string | undefined, contentType: string | undefined): Record<string, string> {
    const headers: Record<string, string> = { 'user-agent': this.userAgent, accept: 'application/json, application/vnd.api+json;q=0.9, */*;q=0.1' };
    if (contentType) headers['content-type'] = contentType;
    if (token) headers.authorization = `Bearer ${token}`;
    if (token && userId) headers['x-user-id'] = userId;
    for (const [name, value] of Object.entries(request.headers ?? {})) headers[name.toLowerCase()] = value;
    return headers;
  }

  private async attempt(
    url: URL,
    method: HttpMethod,
    headers: Record<string, string>,
    body: string | Buffer | undefined,
    signal: AbortSignal | undefined,
    limit: RateLimit | undefined,
    binary: boolean,
  ): Promise<{ status: number; headers: ResponseHeaders; text: string; bytes?: Buffer; durationMs: number } | { error: unknown; durationMs: number }> {
    const release = await this.budget.acquire(url.host, signal, limit);
    const started = performance.now();
    try {
      const response = await this.dispatcher.request({
        origin: url.origin,
        path: `${url.pathname}${url.search}`,
        method,
        headers,
        body,
        signal,
      });
      const bytes = binary ? Buffer.from(await response.body.arrayBuffer()) : undefined;
      // A binary body is decoded only to read an error from it.
      const text = bytes ? (response.statusCode >= 300 ? bytes.toString('utf8') : '') : await response.body.text();
      return { status: response.statusCode, headers: response.headers as ResponseHeaders, text, bytes, durationMs: Math.round(performance.now() - started) };
    } catch (error) {
      return { error, durationMs: Math.round(performance.now() - started) };
    } finally {
      release();
    }
  }

  private log(entry: RequestLogEntry): void {
    if (!this.onRequestLog) return;
    try {
      this.onRequestLog(entry);
    } catch {
      // a faulty log sink must not break requests
    }
  }
}

function encodeBody(request: HttpRequest): { body?: string | Buffer; contentType?: string } {
  if (request.json !== undefined) return { body: JSON.stringify(request.json), contentType: request.contentType ?? 'application/json' };
  if (request.form !== undefined) {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(request.form)) if (value !== undefined) params.set(name, value);
    return { body: params.toString(), contentType: request.contentType ?? 'application/x-www-form-urlencoded' };
  }
  return { body: request.body, contentType: request.contentType };
}

function makeResponse(status: number, headers: ResponseHeaders, text: string, url: string, bytes?: Buffer): HttpResponse {
  let parsed: { value: unknown } | undefined;
  return {
    status,
    headers,
    text,
    ...(bytes ? { bytes } : {}),
    url,
    json() {
      if (!parsed) parsed = { value: parseJson(text) };
      return parsed.value;
    },
  };
}

function parseJson(text: string): unknown {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  try {
    return JSON.parse(trimmed);
  } catch {
    return undefined;
  }
}

export function expectJson<T>(response: HttpResponse): T {
  const value = response.json();
  if (value === undefined || value === null || typeof value !== 'object') {
    throw new ApsError({
      kind: 'protocol',
      message: `Expected a JSON body from ${response.url} (HTTP ${response.status})`,
      status: response.status,
      userMessage: 'Autodesk returned an unexpected response. Try again later.',
    });
  }
  return value as T;
}
