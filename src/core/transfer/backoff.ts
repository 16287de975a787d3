// The engine waits the way the API client does: the same Retry-After parsing, jitter and abortable sleep.
import { backoffDelay } from '../http/retryPolicy';

export { parseRetryAfter } from '../http/retryPolicy';
export { delay as sleep } from '../http/delay';

/** Full-jitter exponential backoff: uniform in [0, min(max, base * 2^attempt)). */
export function fullJitterDelay(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  return backoffDelay(attempt, { baseDelayMs: baseMs, maxDelayMs: maxMs }, random);
}
