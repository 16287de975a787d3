export interface RecordedRequest {
  origin: 'api' | 'storage';
  method: string;
  /** Path as received (still percent-encoded), without the query string. */
  path: string;
  /** Query parameters; signatures, tokens and secrets are replaced by 'REDACTED'. */
  query: Record<string, string | string[]>;
  /** Lower-case names of the request headers, never their values. */
  headerNames: string[];
  hadAuthorization: boolean;
  /** Final status code (0 if the connection was cut before a status was sent). */
  status: number;
  /** The Range header, for storage requests that sent one. */
  range?: string;
  /** x-user-id header value, when sent (a user id, not a secret). */
  userId?: string;
  /** Epoch milliseconds (emulator clock) when the request arrived. */
  time: number;
  /** The client's TCP port: requests that share it came over one kept-alive connection. */
  clientPort?: number;
}

export interface RequestFilter {
  origin?: 'api' | 'storage';
  method?: string;
  /** Substring of the path, or a RegExp tested against it. */
  path?: string | RegExp;
}

export interface RequestLog {
  list(filter?: RequestFilter): RecordedRequest[];
  clear(): void;
}

const SECRET_QUERY_KEYS = /^(x-amz-signature|x-amz-security-token|x-amz-credential|signature|key-pair-id|policy|client_secret|token|access_token|refresh_token|id_token|code|code_verifier|password)$/i;
const MAX_ENTRIES = 20_000;

export function redactQuery(params: URLSearchParams): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const [key, raw] of params) {
    const value = SECRET_QUERY_KEYS.test(key) ? 'REDACTED' : raw;
    const existing = query[key];
    if (existing === undefined) query[key] = value;
    else query[key] = Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return query;
}

export class Requests implements RequestLog {
  private entries: RecordedRequest[] = [];

  add(entry: RecordedRequest): RecordedRequest {
    this.entries.push(entry);
    if (this.entries.length > MAX_ENTRIES) this.entries = this.entries.slice(-MAX_ENTRIES / 2);
    return entry;
  }

  list(filter: RequestFilter = {}): RecordedRequest[] {
    return this.entries
      .filter((entry) => {
        if (filter.origin && entry.origin !== filter.origin) return false;
        if (filter.method && entry.method !== filter.method.toUpperCase()) return false;
        if (filter.path instanceof RegExp) return filter.path.test(entry.path);
        if (typeof filter.path === 'string') return entry.path.includes(filter.path);
        return true;
      })
      .map((entry) => ({ ...entry, query: { ...entry.query }, headerNames: [...entry.headerNames] }));
  }

  clear(): void {
    this.entries = [];
  }
}
