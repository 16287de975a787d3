/** One line per HTTP attempt; URLs are redacted before the hook sees them, and no headers or bodies are included. */
export interface RequestLogEntry {
  method: string;
  url: string;
  /** Absent when no response arrived (network error, abort). */
  status?: number;
  durationMs: number;
  /** 1 for the first try, 2 for the first retry, … */
  attempt: number;
  requestId?: string;
  /** Transport error code (ECONNRESET, UND_ERR_HEADERS_TIMEOUT, …) or APS error code. */
  errorCode?: string;
  /** Set when this attempt will be retried after this many ms. */
  retryInMs?: number;
  /** Set when a 401 led to a token refresh before retrying. */
  refreshedToken?: boolean;
}

export type RequestLogHook = (entry: RequestLogEntry) => void;
