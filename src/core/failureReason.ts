import { isApsError } from './http/apsError';

/** The sentence to show for a failure: APS's own reason when there is one, however deep it is wrapped. */
export function failureReason(error: unknown): string {
  for (let current: unknown = error, depth = 0; current && depth < 5; current = (current as { cause?: unknown }).cause, depth++) {
    if (isApsError(current)) return current.userMessage;
  }
  return error instanceof Error ? error.message : String(error);
}

/** The log line: technical message plus request id where APS gave one. */
export function failureDetail(error: unknown): string {
  for (let current: unknown = error, depth = 0; current && depth < 5; current = (current as { cause?: unknown }).cause, depth++) {
    if (isApsError(current)) return `${current.message}${current.requestId ? ` (request ${current.requestId})` : ''}`;
  }
  return error instanceof Error ? error.message : String(error);
}
