import { errorDetail } from '../errors';
import type { Interval, IntervalSet } from '../plan/intervals';
import { SYNC_EVERY_BYTES } from '../settings';
import type { TransferLog } from '../types';
import type { TransferFile, TransferFs } from './fileSystem';

/** What a resume needs to know; never holds a signed URL. */
export interface JournalData {
  readonly version: 1;
  readonly identity: string;
  readonly size: number;
  readonly sha1?: string;
  readonly chunkSize: number;
  /** Offsets of the storage segments ("start-end,..."), so a re-chunked object is not mistaken for the same one. */
  readonly layout: string;
  /** ETag per storage segment, once seen. */
  readonly etags: readonly (string | null)[];
  /** Byte intervals [start, end) synced to the temp file. */
  readonly done: readonly Interval[];
}

function isInterval(value: unknown, size: number): value is Interval {
  const [start, end] = Array.isArray(value) && value.length === 2 ? (value as unknown[]) : [];
  return Number.isSafeInteger(start) && Number.isSafeInteger(end) && 0 <= (start as number) && (start as number) < (end as number) && (end as number) <= size;
}

/** Parses a journal; anything damaged or foreign yields undefined (the caller then restarts cleanly). */
export function parseJournal(text: string): JournalData | undefined {
  let value: Partial<JournalData>;
  try {
    value = JSON.parse(text) as Partial<JournalData>;
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || value.version !== 1) return undefined;
  const { identity, size, sha1, chunkSize, layout, etags, done } = value;
  if (typeof identity !== 'string' || !Number.isSafeInteger(size) || (size as number) < 0) return undefined;
  if (sha1 !== undefined && typeof sha1 !== 'string') return undefined;
  if (!Number.isSafeInteger(chunkSize) || typeof layout !== 'string') return undefined;
  if (!Array.isArray(etags) || !etags.every((e) => e === null || typeof e === 'string')) return undefined;
  if (!Array.isArray(done) || !done.every((interval) => isInterval(interval, size as number))) return undefined;
  return value as JournalData;
}

export async function readJournal(fs: TransferFs, path: string): Promise<JournalData | undefined> {
  const text = await fs.readText(path).catch(() => undefined);
  return text === undefined ? undefined : parseJournal(text);
}

/** Atomic replace: a crash leaves either the old or the new journal, never half of one. */
export async function writeJournal(fs: TransferFs, path: string, data: JournalData): Promise<void> {
  const temp = `${path}.tmp`;
  await fs.writeText(temp, JSON.stringify(data));
  await fs.rename(temp, path);
}

export async function removeJournal(fs: TransferFs, path: string): Promise<void> {
  await Promise.all([fs.remove(`${path}.tmp`), fs.remove(path)]);
}

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
