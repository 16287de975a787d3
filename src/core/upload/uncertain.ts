// When a write's answer does not say whether it happened: the connection dropped, APS answered a 5xx, or an
// answer that cannot be read. Such a POST is never sent again before looking at what exists.
import { isApsError } from '../http/apsError';
import { delay } from '../http/delay';
import { backoffDelay } from '../http/retryPolicy';
import type { RetryPolicy } from '../transfer/types';

/** The call may or may not have been carried out by APS. */
export function isUncertain(error: unknown): boolean {
  return isApsError(error) && (error.kind === 'network' || error.kind === 'protocol' || (error.status !== undefined && error.status >= 500));
}

/**
 * Runs `step` until it settles, waiting with backoff between tries, as long as `again(error)` says the error is
 * worth another try and fewer than `retry.attempts` retries were spent; the last error is thrown.
 */
export async function tryAgain<T>(retry: RetryPolicy, signal: AbortSignal | undefined, again: (error: unknown) => boolean, step: (attempt: number) => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await step(attempt);
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      if (attempt >= retry.attempts || !again(error)) throw error;
      await delay(backoffDelay(attempt, retry), signal);
    }
  }
}
