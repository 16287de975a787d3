import { etaSeconds } from './rate';
import type { AggregateProgress, FileProgress } from './types';

/** Sums per-file progress of a batch; emits about every `intervalMs` while running and once at the end. */
export class AggregateProgressTracker {
  private readonly latest = new Map<number, FileProgress>();
  private ticker?: NodeJS.Timeout;

  constructor(
    private readonly fileCount: () => number,
    private readonly listener: ((progress: AggregateProgress) => void) | undefined,
    private readonly intervalMs = 250,
  ) {}

  update(key: number, progress: FileProgress): void {
    this.latest.set(key, progress);
  }

  start(): void {
    if (!this.listener || this.ticker) return;
    this.ticker = setInterval(() => this.emit(), this.intervalMs);
    this.ticker.unref();
  }

  stop(): void {
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = undefined;
    this.emit();
  }

  snapshot(): AggregateProgress {
    let totalBytes = 0;
    let transferredBytes = 0;
    let bytesPerSecond = 0;
    let finishedFiles = 0;
    let failedFiles = 0;
    let skippedFiles = 0;
    let activeFiles = 0;
    for (const file of this.latest.values()) {
      totalBytes += file.totalBytes ?? 0;
      transferredBytes += file.transferredBytes;
      bytesPerSecond += file.bytesPerSecond;
      if (file.phase === 'done') finishedFiles++;
      else if (file.phase === 'failed' || file.phase === 'cancelled') failedFiles++;
      else if (file.phase === 'skipped') skippedFiles++;
      else if (file.phase !== 'queued') activeFiles++;
    }
    return {
      files: this.fileCount(),
      finishedFiles,
      failedFiles,
      skippedFiles,
      activeFiles,
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
