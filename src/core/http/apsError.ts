// One error type for everything that can go wrong talking to APS, with a sentence fit for the UI.

export type ApsErrorKind =
  | 'http' // APS answered with an error status
  | 'network' // connection failed / reset / timed out
  | 'auth' // sign-in missing, expired or refused
  | 'unsupported' // the operation is not possible for this resource (e.g. export of a non-PDF)
  | 'job-failed' // a conversion/export job ended in failure
  | 'timeout' // an overall deadline passed (e.g. polling)
  | 'protocol'; // APS answered something this client cannot interpret

export interface ApsErrorInit {
  kind: ApsErrorKind;
  message: string;
  status?: number;
  code?: string;
  title?: string;
  detail?: string;
  requestId?: string;
  retryable?: boolean;
  retryAfterMs?: number;
  userMessage?: string;
  method?: string;
  /** Redacted URL of the failing request. */
  url?: string;
  cause?: unknown;
}

export class ApsError extends Error {
  readonly kind: ApsErrorKind;
  readonly status?: number;
  readonly code?: string;
  readonly title?: string;
  readonly detail?: string;
  readonly requestId?: string;
  readonly retryable: boolean;
  readonly retryAfterMs?: number;
  readonly userMessage: string;
  readonly method?: string;
  readonly url?: string;

  constructor(init: ApsErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'ApsError';
    this.kind = init.kind;
    this.status = init.status;
    this.code = init.code;
    this.title = init.title;
    this.detail = init.detail;
    this.requestId = init.requestId;
    this.retryable = init.retryable ?? false;
    this.retryAfterMs = init.retryAfterMs;
    this.method = init.method;
    this.url = init.url;
    this.userMessage = init.userMessage ?? init.message;
  }
}

export function isApsError(value: unknown): value is ApsError {
  return value instanceof ApsError;
}
