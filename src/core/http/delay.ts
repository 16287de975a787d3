import { setMaxListeners } from 'node:events';

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export function delay(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw signal.reason;
}

/** Settles like `promise`, or rejects with the signal's reason as soon as it aborts. */
export function raceAbort<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/**
 * An AbortController that also aborts, with the same reason, when `parent` does. Call `unlink` once
 * done with it, so that a long-lived parent holds no reference to it: in Node 20, AbortSignal.any
 * keeps its combined signal, and every listener still on it, alive for as long as the parent lives.
 */
export function linkedController(parent: AbortSignal | undefined): { controller: AbortController; unlink: () => void } {
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  const onAbort = (): void => controller.abort(parent?.reason);
  if (parent?.aborted) onAbort();
  parent?.addEventListener('abort', onAbort, { once: true });
  return { controller, unlink: () => parent?.removeEventListener('abort', onAbort) };
}

/**
 * Runs `count` copies of `worker` until all have settled. The first failure aborts `group`, so the
 * others stop at their next step, and is what this rejects with; failures after it are ignored.
 */
export async function runWorkers(count: number, group: AbortController, worker: () => Promise<void>): Promise<void> {
  let failure: { error: unknown } | undefined;
  const settled = Array.from({ length: count }, () =>
    worker().catch((error: unknown) => {
      if (failure || group.signal.aborted) return;
      failure = { error };
      group.abort(error);
    }),
  );
  await Promise.all(settled);
  if (failure) throw failure.error;
}
