import type { AggregateProgress, FileProgress, TransferPhase } from './types';

const TERMINAL: ReadonlySet<TransferPhase> = new Set(['done', 'skipped', 'failed', 'cancelled']);
/** The phases in which bytes move: progress ticks and the rate is measured. */
const MOVING: ReadonlySet<TransferPhase> = new Set(['downloading', 'uploading']);

/**
 * Progress of one file: counts distinct bytes written (or, uploading, sent), never goes backwards (a
 * restart holds the shown value until the new attempt passes it), never exceeds the size; emits on
 * phase changes and about every `intervalMs` while bytes move. When a restart finds the object
 * resized, the value held keeps its fraction of the size: the percentage still never goes back nor past 100 %.
 */
export class FileProgressTracker {
  private phase: TransferPhase = 'queued';
  private total?: number;
  private written = 0;
  private shown = 0;
  private moved = 0;
  private readonly rate = new RateMeter();
  private readonly ticker: ProgressTicker;

  constructor(
    readonly identity: string,
    private path: string,
    private readonly listener: ((progress: FileProgress) => void) | undefined,
    intervalMs = 250,
  ) {
    this.ticker = new ProgressTicker(() => this.emit(), listener !== undefined, intervalMs);
  }

  setPath(path: string): void {
    this.path = path;
  }

  setTotal(total: number): void {
    if (this.total && total !== this.total) this.shown = Math.min(total, Math.floor((this.shown * total) / this.total));
    this.total = total;
  }

  /** A new attempt starts with `alreadyOnDisk` bytes (resumed) in place. */
  startAttempt(alreadyOnDisk: number): void {
    this.written = alreadyOnDisk;
    this.update();
  }

  addWritten(newBytes: number): void {
    this.written += newBytes;
    this.moved += newBytes;
    this.update();
  }

  setPhase(phase: TransferPhase): void {
    if (TERMINAL.has(this.phase)) return;
    this.phase = phase;
    if (phase === 'done') this.shown = this.total ?? this.shown;
    if (MOVING.has(phase)) this.ticker.start();
    else this.ticker.stop();
    this.emit();
  }

  snapshot(): FileProgress {
    const bytesPerSecond = MOVING.has(this.phase) ? this.rate.bytesPerSecond() : 0;
    return {
      identity: this.identity,
      path: this.path,
      phase: this.phase,
      totalBytes: this.total,
      transferredBytes: this.shown,
      bytesPerSecond,
      etaSeconds: this.total === undefined || TERMINAL.has(this.phase) ? undefined : etaSeconds(this.total - this.shown, bytesPerSecond),
    };
  }

  dispose(): void {
    this.ticker.stop();
  }

  private update(): void {
    const capped = this.total === undefined ? this.written : Math.min(this.total, this.written);
    this.shown = Math.max(this.shown, capped);
  }

  private emit(): void {
    this.rate.sample(this.moved);
    try {
      this.listener?.(this.snapshot());
    } catch {
      // A failing progress consumer must not break the download.
    }
  }
}

/** Calls `emit` about every `intervalMs` between start() and stop(), only when someone listens. */
export class ProgressTicker {
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly emit: () => void,
    private readonly listening: boolean,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    if (!this.listening || this.timer) return;
    this.timer = setInterval(this.emit, this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}

/** Sums per-file progress of a batch; emits about every `intervalMs` while running and once at the end. */
export class AggregateProgressTracker {
  private readonly latest = new Map<number, FileProgress>();
  private readonly ticker: ProgressTicker;

  constructor(
    private readonly fileCount: number,
    private readonly listener: ((progress: AggregateProgress) => void) | undefined,
    intervalMs = 250,
  ) {
    this.ticker = new ProgressTicker(() => this.emit(), listener !== undefined, intervalMs);
  }

  update(key: number, progress: FileProgress): void {
    this.latest.set(key, progress);
  }

  start(): void {
    this.ticker.start();
  }

  stop(): void {
    this.ticker.stop();
    this.emit();
  }

  snapshot(): AggregateProgress {
    const files = [...this.latest.values()];
    const sum = (pick: (file: FileProgress) => number) => files.reduce((total, file) => total + pick(file), 0);
    const count = (...phases: TransferPhase[]) => files.filter((file) => phases.includes(file.phase)).length;
    const totalBytes = sum((file) => file.totalBytes ?? 0);
    const transferredBytes = sum((file) => file.transferredBytes);
    const bytesPerSecond = sum((file) => file.bytesPerSecond);
    return {
      files: this.fileCount,
      finishedFiles: count('done'),
      failedFiles: count('failed', 'cancelled'),
      skippedFiles: count('skipped'),
      activeFiles: count('resolving', 'downloading', 'uploading', 'verifying', 'finalizing'),
      totalBytes,
      transferredBytes,
      bytesPerSecond,
      etaSeconds: etaSeconds(totalBytes - transferredBytes, bytesPerSecond),
    };
  }

  private emit(): void {
    try {
      this.listener?.(this.snapshot());
    } catch {
      // A failing progress consumer must not stop the batch.
    }
  }
}

/** Bytes per second over a sliding window of (time, total) samples. */
export class RateMeter {
  private readonly samples: { at: number; bytes: number }[] = [];

  constructor(
    private readonly windowMs = 3_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records the running total of bytes moved (excluding bytes that never crossed the network). */
  sample(totalBytes: number): void {
    const at = this.now();
    this.samples.push({ at, bytes: totalBytes });
    while (this.samples.length > 2 && at - this.samples[1].at >= this.windowMs) this.samples.shift();
  }

  bytesPerSecond(): number {
    if (this.samples.length < 2) return 0;
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    const elapsed = last.at - first.at;
    return elapsed <= 0 ? 0 : Math.max(0, ((last.bytes - first.bytes) * 1000) / elapsed);
  }
}

export function etaSeconds(remainingBytes: number, bytesPerSecond: number): number | undefined {
  if (remainingBytes <= 0) return 0;
  return bytesPerSecond > 0 ? remainingBytes / bytesPerSecond : undefined;
}
