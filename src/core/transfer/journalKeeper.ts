import type { TransferFile, TransferFs } from './fileSystem';
import type { IntervalSet } from './intervals';
import { writeJournal, type JournalData } from './journal';
import { SYNC_EVERY_BYTES } from './settings';
import type { TransferLog } from './types';

/**
 * Keeps the resume journal current, at most every `intervalMs`: syncs the data file first, then
 * records only the intervals that were written before that sync.
 */
export class JournalKeeper {
  private timer?: NodeJS.Timeout;
  private chain: Promise<void> = Promise.resolve();
  private dirty = false;
  private dirtyBytes = 0;
  private queued = false;
  private forceQueued = false;

  constructor(
    private readonly fs: TransferFs,
    private readonly path: string,
    private readonly file: TransferFile,
    private readonly written: IntervalSet,
    private readonly describe: () => Omit<JournalData, 'done'>,
    private readonly intervalMs: number,
    private readonly log: TransferLog,
    private readonly syncEveryBytes = SYNC_EVERY_BYTES,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.flush(), this.intervalMs);
    this.timer.unref();
  }

  /** `bytes` more are written; past `syncEveryBytes` the data is synced now rather than at the next tick. */
  markDirty(bytes: number): void {
    this.dirty = true;
    this.dirtyBytes += bytes;
    if (this.dirtyBytes >= this.syncEveryBytes && this.timer) void this.flush();
  }

  flush(force = false): Promise<void> {
    this.forceQueued ||= force;
    if (this.queued) return this.chain;
    this.queued = true;
    this.chain = this.chain.then(async () => {
      const forced = this.forceQueued;
      this.queued = false;
      this.forceQueued = false;
      if (!this.dirty && !forced) return;
      this.dirty = false;
      this.dirtyBytes = 0;
      const done = this.written.toArray();
      try {
        await this.file.datasync();
        await writeJournal(this.fs, this.path, { ...this.describe(), done });
      } catch (error) {
        this.log('warn', `Could not update the resume journal ${this.path}: ${error instanceof Error ? error.message : String(error)}`);
      }
    });
    return this.chain;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.chain;
  }
}
