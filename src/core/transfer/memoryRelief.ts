import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

type CollectGarbage = (options?: { type?: 'minor' | 'major' }) => void;

let collector: CollectGarbage | null | undefined;

/**
 * V8's gc function: the global one when the process runs with --expose-gc, else one obtained by
 * enabling that flag for a fresh context (it only adds `gc` to contexts created afterwards).
 */
function garbageCollector(): CollectGarbage | null {
  if (collector !== undefined) return collector;
  try {
    const existing = (globalThis as { gc?: unknown }).gc;
    if (typeof existing === 'function') {
      collector = existing as CollectGarbage;
    } else {
      setFlagsFromString('--expose-gc');
      const fromContext = runInNewContext('typeof gc === "function" ? gc : undefined') as unknown;
      collector = typeof fromContext === 'function' ? (fromContext as CollectGarbage) : null;
    }
  } catch {
    collector = null;
  }
  return collector;
}

/**
 * Socket reads allocate a new buffer each time; V8 only collects them once ~64 MiB of such
 * external memory piled up, so a fast download holds tens of MiB of dead buffers. A cheap
 * young-generation collection every few MiB keeps resident memory low and flat: the buffers die
 * young (copied into the write buffers at once), so full collections add nothing but pauses.
 * Bytes read into a ReadRing's reused buffers are not counted: they leave nothing to collect.
 * Disabled when everyBytes is 0.
 */
export class MemoryRelief {
  private since = 0;
  private due = false;

  constructor(
    private readonly everyBytes: number,
    private readonly collect: () => void = collectYoungGeneration,
  ) {}

  /**
   * `bytes` more were received. A collection that came due runs at the next call instead: the last
   * bytes of a download (whose collection would only delay finishing it) then cost none.
   */
  received(bytes: number): void {
    if (this.everyBytes <= 0) return;
    if (this.due) this.collect();
    this.due = false;
    this.since += bytes;
    if (this.since < this.everyBytes) return;
    this.since = 0;
    this.due = true;
  }
}

function collectYoungGeneration(): void {
  garbageCollector()?.({ type: 'minor' });
}

/**
 * For a process that only downloads: keep V8 from optimizing undici's HTTP parser (WebAssembly), whose
 * one-time optimizing compile costs ~35 MiB of transient memory and gains nothing measurable here; and
 * the JavaScript too (TurboFan): the work per socket chunk is small, so optimizing it only takes CPU
 * from a download while it runs (256 MiB here: 0.42 s instead of 0.47 s on 2 busy cores; 1 GiB is as
 * fast either way) and a few MiB of memory; and keep the young generation from growing (socket
 * buffers live off-heap and MemoryRelief collects it every few MiB anyway, so a bigger one only holds
 * more pages); and free the dead buffers' memory within each of those collections rather than on a
 * background thread that lags when the CPU is busy. Must run before the first request; the CLI runs
 * it before it loads the engine.
 */
export function tuneProcessForDownloading(): void {
  // --expose-gc as well, which the first collection would set: all flag changes come at once (see
  // compileCache: V8 takes a code cache only under the flags it was made with).
  for (const flag of ['--liftoff-only', '--no-turbofan', '--semi-space-growth-factor=1', '--no-concurrent-array-buffer-sweeping', '--expose-gc']) {
    try {
      setFlagsFromString(flag);
    } catch {
      // An engine without the flag just keeps its default.
    }
  }
}
