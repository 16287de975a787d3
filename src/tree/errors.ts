import { ApsError, isApsError } from '../core/http/apsError';

export function toApsError(error: unknown): ApsError {
  if (isApsError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new ApsError({ kind: 'protocol', message, userMessage: message, cause: error });
}

/** What the error node says, and what its action does. */
export function describeTreeError(error: ApsError): { label: string; action: 'signIn' | 'retry' } {
  if (error.kind === 'auth' || error.status === 401) return { label: 'Signed out or session expired: sign in again', action: 'signIn' };
  if (error.status === 403) return { label: `No access: ${error.userMessage}`, action: 'retry' };
  if (error.kind === 'network' || error.kind === 'timeout') return { label: `Offline or APS unreachable: ${error.userMessage}`, action: 'retry' };
  return { label: error.userMessage, action: 'retry' };
}
