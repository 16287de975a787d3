import { promises as fsp, writevSync } from 'node:fs';

/** The part of a file handle the engine uses (node:fs/promises FileHandle satisfies it). */
export interface TransferFile {
  writev(buffers: readonly Buffer[], position: number): Promise<{ bytesWritten: number }>;
  read(buffer: Buffer, offset: number, length: number, position: number): Promise<{ bytesRead: number }>;
  datasync(): Promise<void>;
  sync(): Promise<void>;
  stat(): Promise<{ size: number }>;
  truncate(length?: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * File-system seam: everything the engine does to disk goes through here, so tests can inject
 * ENOSPC, EACCES or rename failures (they run as root, where permissions alone stop nothing).
 */
export interface TransferFs {
  open(path: string, flags: 'r' | 'r+' | 'w+'): Promise<TransferFile>;
  rename(from: string, to: string): Promise<void>;
  /** Removes a file; a missing file is not an error. */
  remove(path: string): Promise<void>;
  mkdir(path: string): Promise<void>;
  /** Size of a file, or undefined when it does not exist. */
  size(path: string): Promise<number | undefined>;
  exists(path: string): Promise<boolean>;
  readText(path: string): Promise<string | undefined>;
  writeText(path: string, text: string): Promise<void>;
  /** Creates a file with this text; fails with EEXIST when the path exists. */
  createText(path: string, text: string): Promise<void>;
  /** Last modification time in epoch ms, or undefined when the path does not exist. */
  modifiedMs(path: string): Promise<number | undefined>;
  /** Sets a file's modification time to now. */
  touch(path: string): Promise<void>;
  realpath(path: string): Promise<string>;
}

/** What the operation yields, or undefined when its path does not exist. */
async function unlessMissing<T>(operation: Promise<T>): Promise<T | undefined> {
  try {
    return await operation;
  } catch (error) {
    if ((error as { code?: unknown } | null)?.code === 'ENOENT') return undefined;
    throw error;
  }
}

export const nodeFs: TransferFs = {
  open: (path, flags) => fsp.open(path, flags),
  rename: (from, to) => fsp.rename(from, to),
  remove: async (path) => {
    await unlessMissing(fsp.unlink(path));
  },
  mkdir: async (path) => {
    await fsp.mkdir(path, { recursive: true });
  },
  size: async (path) => (await unlessMissing(fsp.stat(path)))?.size,
  exists: async (path) => (await unlessMissing(fsp.lstat(path))) !== undefined,
  readText: (path) => unlessMissing(fsp.readFile(path, 'utf8')),
  writeText: (path, text) => fsp.writeFile(path, text, 'utf8'),
  createText: (path, text) => fsp.writeFile(path, text, { encoding: 'utf8', flag: 'wx' }),
  modifiedMs: async (path) => (await unlessMissing(fsp.stat(path)))?.mtimeMs,
  touch: async (path) => {
    const now = new Date();
    await fsp.utimes(path, now, now);
  },
  realpath: (path) => fsp.realpath(path),
};

/**
 * nodeFs, but data is written on the calling thread, as curl and aria2c write, instead of being
 * handed to libuv's thread pool and back: no hand-off per write, and each chunk is copied into the
 * page cache while it is still in the CPU's cache. For a process that only downloads (the command
 * line): a slow disk then holds up its event loop, which the extension host must never suffer.
 */
export const inlineWritesFs: TransferFs = {
  ...nodeFs,
  open: async (path, flags) => {
    const handle = await fsp.open(path, flags);
    return withWritev(handle, async (buffers, position) => ({ bytesWritten: writevSync(handle.fd, buffers, position) }));
  },
};

/** `handle` with its writes going through `writev` instead. */
export function withWritev(handle: TransferFile, writev: TransferFile['writev']): TransferFile {
  return {
    writev,
    read: (buffer, offset, length, position) => handle.read(buffer, offset, length, position),
    datasync: () => handle.datasync(),
    sync: () => handle.sync(),
    stat: () => handle.stat(),
    truncate: (length) => handle.truncate(length),
    close: () => handle.close(),
  };
}

/** Writes every byte of `buffers` at `position`, looping over short writes. */
export async function writeFully(file: TransferFile, buffers: readonly Buffer[], position: number): Promise<void> {
  let pending = buffers;
  let at = position;
  let remaining = pending.reduce((sum, b) => sum + b.length, 0);
  while (remaining > 0) {
    const { bytesWritten } = await file.writev(pending, at);
    if (bytesWritten <= 0) throw Object.assign(new Error('write made no progress'), { code: 'EIO' });
    remaining -= bytesWritten;
    at += bytesWritten;
    if (remaining > 0) pending = dropBytes(pending, bytesWritten);
  }
}

function dropBytes(buffers: readonly Buffer[], count: number): Buffer[] {
  const rest: Buffer[] = [];
  let skip = count;
  for (const buffer of buffers) {
    if (skip >= buffer.length) {
      skip -= buffer.length;
      continue;
    }
    rest.push(skip > 0 ? buffer.subarray(skip) : buffer);
    skip = 0;
  }
  return rest;
}
