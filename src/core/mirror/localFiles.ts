// The local side of a mirror: whether a file is still what the mirror wrote, judged by size and modification
// time, and by its SHA-1 when those differ (a file saved unchanged, or copied back, is still unchanged).
import { createHash } from 'node:crypto';
import { createReadStream, promises as fsp } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { LocalStamp } from './manifest';

export type LocalState = { kind: 'missing' } | { kind: 'unchanged'; stamp: LocalStamp } | { kind: 'changed'; stamp: LocalStamp };

/** Size and modification time of a file; undefined when there is no file (or a folder) there. */
export async function stampOf(file: string): Promise<LocalStamp | undefined> {
  try {
    const stat = await fsp.stat(file);
    return stat.isFile() ? { localSize: stat.size, localMtimeMs: stat.mtimeMs } : undefined;
  } catch (error) {
    if (['ENOENT', 'ENOTDIR'].includes((error as { code?: string }).code ?? '')) return undefined;
    throw error;
  }
}

/** Whether anything (file or folder) is at `file`. */
export async function occupied(file: string): Promise<boolean> {
  return fsp.lstat(file).then(
    () => true,
    () => false,
  );
}

export async function sha1OfFile(file: string, signal?: AbortSignal): Promise<string> {
  const hash = createHash('sha1');
  await pipeline(createReadStream(file), hash, { signal });
  return hash.digest('hex');
}

/**
 * The file compared with what the mirror recorded after writing it. Size and time equal: unchanged. Same
 * size, another time, and a known SHA-1: unchanged when the bytes hash to it (the new stamp is returned so
 * the record can follow). Anything else: changed.
 */
export async function localState(file: string, recorded: LocalStamp & { sha1?: string }, signal?: AbortSignal): Promise<LocalState> {
  const stamp = await stampOf(file);
  if (!stamp) return { kind: 'missing' };
  if (stamp.localSize === recorded.localSize && stamp.localMtimeMs === recorded.localMtimeMs) return { kind: 'unchanged', stamp };
  if (stamp.localSize === recorded.localSize && recorded.sha1 && (await sha1OfFile(file, signal)) === recorded.sha1.toLowerCase()) return { kind: 'unchanged', stamp };
  return { kind: 'changed', stamp };
}
