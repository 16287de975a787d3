import { errorDetail } from './errors';
import type { TransferFile, TransferFs } from './fileSystem';
import type { IntervalSet } from './intervals';
import { writeJournal, type JournalData } from './journal';
import { SYNC_EVERY_BYTES } from './settings';
import type { TransferLog } from './types';

/**
 * Keeps the resume journal current, at most every `intervalMs`: syncs the data file first, then
 * records only the intervals that were written before that sync. In between, every `syncEveryBytes`
 * written are synced without touching the journal, so the kernel writes the data out while the
 * download runs and little is left to sync at the end.
 */
export class JournalKeeper {
  private timer?: NodeJS.Timeout;
  private chain: Promise<void> = Promise.resolve();
  private dirty = false;
  private unsyncedBytes = 0;
  private queued = false;
  private forceQueued = false;
  private syncQueued = false;

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

  /** `bytes` more are written; past `syncEveryBytes` since the last sync, the data is synced now. */
  markDirty(bytes: number): void {
    this.dirty = true;
    this.unsyncedBytes += bytes;
    if (this.unsyncedBytes >= this.syncEveryBytes && this.timer) this.syncData();
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
      this.unsyncedBytes = 0;
      const done = this.written.toArray();
      try {
        await this.file.datasync();
        await writeJournal(this.fs, this.path, { ...this.describe(), done });
      } catch (error) {
        this.log('warn', `Could not update the resume journal ${this.path}: ${errorDetail(error)}`);
      }
    });
    return this.chain;
  }

  private syncData(): void {
    if (this.syncQueued) return;
    this.syncQueued = true;
    this.chain = this.chain.then(async () => {
      this.syncQueued = false;
      this.unsyncedBytes = 0;
      try {
        await this.file.datasync();
      } catch (error) {
        this.log('warn', `Could not sync the partial download beside ${this.path}: ${errorDetail(error)}`);
      }
    });
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.chain;
  }
}
