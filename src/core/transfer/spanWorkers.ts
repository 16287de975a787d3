import { setMaxListeners } from 'node:events';
import type { Limiter } from './limiter';
import { fetchSpan, type FetchContext } from './rangeFetcher';
import type { SpanScheduler } from './scheduler';

/**
 * Up to `connections` workers take spans from the scheduler, each holding one slot of the global
 * connection cap per span; the first failure stops all of them. Resolves once every worker settled.
 */
export async function runSpanWorkers(
  scheduler: SpanScheduler,
  connections: number,
  limiter: Limiter,
  parent: AbortSignal,
  contextFor: (signal: AbortSignal) => FetchContext,
): Promise<void> {
  const group = new AbortController();
  setMaxListeners(0, group.signal);
  const onParentAbort = () => group.abort(parent.reason);
  if (parent.aborted) onParentAbort();
  parent.addEventListener('abort', onParentAbort, { once: true });
  const ctx = contextFor(group.signal);
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (!group.signal.aborted) {
      const release = await limiter.acquire(group.signal);
      try {
        const span = scheduler.next();
        if (!span) return;
        try {
          await fetchSpan(ctx, span);
        } finally {
          scheduler.finish(span);
        }
      } finally {
        release();
      }
    }
  };
  const workers = Array.from({ length: Math.max(1, Math.min(connections, scheduler.pending)) }, () =>
    worker().catch((error: unknown) => {
      if (!failure && !group.signal.aborted) {
        failure = { error };
        group.abort(error);
      }
    }),
  );
  await Promise.all(workers);
  parent.removeEventListener('abort', onParentAbort);
  if (parent.aborted) throw parent.reason;
  if (failure) throw failure.error;
}
