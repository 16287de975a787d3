// Polls a job until it reaches a terminal state, backing off between polls.
import { ApsError } from '../http/apsError';
import { delay, throwIfAborted } from '../http/delay';

export type PollVerdict = 'pending' | 'succeeded' | 'failed';

export interface PollTiming {
  /** Wait before the second poll (the first one happens at once). */
  initialDelayMs: number;
  /** Ceiling for the wait between polls. */
  maxDelayMs: number;
  /** Growth of the wait after each poll. */
  factor: number;
  /** Give up after this long overall. */
  timeoutMs: number;
}

export const DEFAULT_POLL_TIMING: PollTiming = { initialDelayMs: 1_000, maxDelayMs: 10_000, factor: 1.5, timeoutMs: 15 * 60_000 };

export interface PollOptions<T> {
  /** Fetches the current state. */
  poll(signal?: AbortSignal): Promise<T>;
  classify(state: T): PollVerdict;
  /** The error for a state classified 'failed' (default: a generic job-failed ApsError). */
  failure?(state: T): Error;
  /** Called after every poll. */
  onProgress?(state: T, pollCount: number): void;
  timing?: Partial<PollTiming>;
  signal?: AbortSignal;
  /** What is being waited for, for messages ("Conversion to DWF"). */
  what?: string;
  /** Injectable clock and sleep (tests). */
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** Resolves with the first 'succeeded' state; throws on 'failed', timeout (ApsError kind 'timeout') or abort (the signal's reason). */
export async function pollUntilDone<T>(options: PollOptions<T>): Promise<T> {
  const timing = { ...DEFAULT_POLL_TIMING, ...options.timing };
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? delay;
  const what = options.what ?? 'The job';
  const deadline = now() + timing.timeoutMs;
  let wait = timing.initialDelayMs;

  for (let pollCount = 1; ; pollCount++) {
    throwIfAborted(options.signal);
    const state = await options.poll(options.signal);
    options.onProgress?.(state, pollCount);
    const verdict = options.classify(state);
    if (verdict === 'succeeded') return state;
    if (verdict === 'failed') {
      throw options.failure?.(state) ?? new ApsError({ kind: 'job-failed', code: 'JOB_FAILED', message: `${what} failed`, userMessage: `${what} failed on Autodesk's side.` });
    }
    const remaining = deadline - now();
    if (remaining <= 0) {
      throw new ApsError({
        kind: 'timeout',
        code: 'POLL_TIMEOUT',
        message: `${what} did not finish within ${Math.round(timing.timeoutMs / 1000)} s`,
        userMessage: `${what} is taking too long on Autodesk's side. Try again later.`,
        retryable: true,
      });
    }
    await sleep(Math.min(wait, remaining), options.signal);
    wait = Math.min(timing.maxDelayMs, wait * timing.factor);
  }
}
