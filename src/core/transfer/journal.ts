import type { TransferFs } from './fileSystem';
import type { Interval } from './intervals';

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
  return (
    Array.isArray(value) &&
    value.length === 2 &&
    Number.isSafeInteger(value[0]) &&
    Number.isSafeInteger(value[1]) &&
    value[0] >= 0 &&
    value[0] < value[1] &&
    value[1] <= size
  );
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
