// A mirror's progress (files and bytes to download, rate, time left) and the queue its workers take files from.
import { etaSeconds, ProgressTicker, RateMeter } from '../transfer/progress';
import type { MirrorProgress } from './types';

export class MirrorProgressTracker {
  listing = true;
  listedFiles = 0;
  files = 0;
  doneFiles = 0;
  failedFiles = 0;
  totalBytes = 0;
  private finishedBytes = 0;
  private readonly active = new Map<number, number>();
  private readonly rate = new RateMeter();
  private readonly ticker: ProgressTicker;
  private nextKey = 0;

  constructor(
    private readonly listener: ((progress: MirrorProgress) => void) | undefined,
    intervalMs = 250,
  ) {
    this.ticker = new ProgressTicker(() => this.emit(), listener !== undefined, intervalMs);
  }

  start(): void {
    this.ticker.start();
  }

  stop(): void {
    this.ticker.stop();
    this.emit();
  }

  /** A file to download, of `size` bytes when known. */
  planned(size: number | undefined): void {
    this.files++;
    this.totalBytes += size ?? 0;
  }

  /** A download started; report its bytes through the returned function, then settle it. */
  begin(): { bytes(transferred: number): void; settle(ok: boolean, size: number): void } {
    const key = this.nextKey++;
    this.active.set(key, 0);
    return {
      bytes: (transferred) => this.active.set(key, transferred),
      settle: (ok, size) => {
        this.active.delete(key);
        if (ok) {
          this.doneFiles++;
          this.finishedBytes += size;
        } else this.failedFiles++;
      },
    };
  }

  snapshot(): MirrorProgress {
    const doneBytes = this.finishedBytes + [...this.active.values()].reduce((sum, bytes) => sum + bytes, 0);
    const bytesPerSecond = this.rate.bytesPerSecond();
    const eta = this.listing ? undefined : etaSeconds(this.totalBytes - doneBytes, bytesPerSecond);
    return {
      listing: this.listing,
      listedFiles: this.listedFiles,
      files: this.files,
      doneFiles: this.doneFiles,
      failedFiles: this.failedFiles,
      activeFiles: this.active.size,
      totalBytes: this.totalBytes,
      doneBytes,
      bytesPerSecond,
      ...(eta !== undefined ? { etaSeconds: eta } : {}),
    };
  }

  private emit(): void {
    const snapshot = this.snapshot();
    this.rate.sample(snapshot.doneBytes);
    try {
      this.listener?.({ ...snapshot, bytesPerSecond: this.rate.bytesPerSecond() });
    } catch {
      // A failing progress consumer must not stop the mirror.
    }
  }
}

/** Work handed to a fixed number of workers; `next` waits while the queue is empty and open. */
export class TaskQueue<T> {
  private readonly items: T[] = [];
  private readonly waiting: Array<(item: T | undefined) => void> = [];
  private closed = false;

  push(item: T): void {
    const waiter = this.waiting.shift();
    if (waiter) waiter(item);
    else this.items.push(item);
  }

  /** No more work: workers finish what is queued, then stop. With `drop`, what is queued is dropped too. */
  close(drop = false): void {
    this.closed = true;
    if (drop) this.items.length = 0;
    for (const waiter of this.waiting.splice(0)) waiter(undefined);
  }

  next(): Promise<T | undefined> {
    if (this.items.length > 0) return Promise.resolve(this.items.shift());
    if (this.closed) return Promise.resolve(undefined);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** Runs `work` on each item with `count` workers until the queue is closed and empty. */
  async drain(count: number, work: (item: T) => Promise<void>): Promise<void> {
    const worker = async () => {
      for (let item = await this.next(); item !== undefined; item = await this.next()) await work(item);
    };
    await Promise.all(Array.from({ length: Math.max(1, count) }, worker));
  }
}
