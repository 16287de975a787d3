import { errorCodeOf } from '../http/retryPolicy';

export type TransferErrorCode =
  | 'cancelled'
  | 'url-expired'
  | 'access-denied'
  | 'not-found'
  | 'http'
  | 'retries-exhausted'
  | 'object-changed'
  | 'verify-failed'
  | 'no-space'
  | 'file-access-denied'
  | 'rename-failed'
  | 'io'
  | 'unsafe-path'
  | 'bad-source'
  | 'busy';

/** The one error type the engine rejects with; `message` is safe to show and log. */
export class TransferError extends Error {
  constructor(
    readonly code: TransferErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'TransferError';
  }
}

export function isTransferError(error: unknown, code?: TransferErrorCode): error is TransferError {
  return error instanceof TransferError && (code === undefined || error.code === code);
}

/** An error's message, or what was thrown when it is not an Error. */
export function errorDetail(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Maps a file-system failure to a clear, user-facing TransferError. */
export function fileSystemError(action: string, path: string, error: unknown): TransferError {
  if (error instanceof TransferError) return error;
  const code = errorCodeOf(error);
  if (code === 'ENOSPC' || code === 'EDQUOT') return new TransferError('no-space', `Not enough disk space to ${action} ${path}.`, { cause: error });
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return new TransferError('file-access-denied', `Permission denied: cannot ${action} ${path} (${code}).`, { cause: error });
  }
  return new TransferError('io', `Cannot ${action} ${path}: ${errorDetail(error)}`, { cause: error });
}

export function hasErrnoCode(error: unknown, ...codes: string[]): boolean {
  return codes.includes(errorCodeOf(error) ?? '');
}

// Control flow inside one download, never seen outside the engine:

/** The stored object changed, so start over from byte 0. */
export class RestartRequired extends Error {
  constructor(readonly reason: string) {
    super(`The object changed during the download: ${reason}`);
    this.name = 'RestartRequired';
  }
}

/** Storage answered a range request with the whole object. */
export class RangeIgnored extends Error {
  constructor() {
    super('The storage origin ignored the Range header');
    this.name = 'RangeIgnored';
  }
}

/** The finished file does not hash to the expected sha1. */
export class VerifyMismatch extends RestartRequired {}
