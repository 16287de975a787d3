// The local side of an upload: the files and folders named on the command line or dropped on the tree,
// walked into a list (folders recursively), and each problem with one as a sentence naming it.
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { errorCodeOf } from '../http/retryPolicy';
import type { TransferFile } from '../transfer/disk/fileSystem';

export interface LocalStat {
  readonly size: number;
  readonly mtimeMs: number;
  readonly isFile: boolean;
  readonly isDirectory: boolean;
}

/** What an upload does to local files, all reads: a seam so tests can make a file unreadable (they run as root). */
export interface UploadFs {
  /** Follows symbolic links. */
  stat(file: string): Promise<LocalStat>;
  readdir(folder: string): Promise<string[]>;
  realpath(file: string): Promise<string>;
  /** Opens a file for reading. */
  open(file: string): Promise<TransferFile>;
}

export const nodeUploadFs: UploadFs = {
  stat: async (file) => {
    const stats = await fsp.stat(file);
    return { size: stats.size, mtimeMs: stats.mtimeMs, isFile: stats.isFile(), isDirectory: stats.isDirectory() };
  },
  readdir: (folder) => fsp.readdir(folder),
  realpath: (file) => fsp.realpath(file),
  open: (file) => fsp.open(file, 'r'),
};

export interface LocalFile {
  readonly localPath: string;
  /** Names from the uploaded folder down (the file's own last); a file given on its own has just its name. */
  readonly names: readonly string[];
  readonly size: number;
  readonly mtimeMs: number;
}

export interface LocalFolder {
  readonly localPath: string;
  readonly names: readonly string[];
}

export interface LocalProblem {
  readonly localPath: string;
  readonly names: readonly string[];
  readonly reason: string;
}

export interface LocalTree {
  /** Parents before children. */
  readonly folders: LocalFolder[];
  readonly files: LocalFile[];
  /** Paths that cannot be uploaded, each with a sentence naming it. */
  readonly problems: LocalProblem[];
}

/** A sentence for a local path that cannot be read. */
export function localProblem(localPath: string, error: unknown): string {
  const code = errorCodeOf(error);
  if (code === 'ENOENT' || code === 'ENOTDIR') return `"${localPath}" does not exist.`;
  if (code === 'EACCES' || code === 'EPERM') return `"${localPath}" cannot be read: permission denied.`;
  if (code === 'ELOOP') return `"${localPath}" is a symbolic link that leads back to itself.`;
  return `"${localPath}" cannot be read: ${error instanceof Error ? error.message : String(error)}`;
}

/** The sources as files and folders (folders recursively, in name order), and what cannot be read. */
export async function walkSources(fs: UploadFs, sources: readonly string[], signal?: AbortSignal): Promise<LocalTree> {
  const tree: LocalTree = { folders: [], files: [], problems: [] };
  const visited = new Set<string>();
  const visit = async (localPath: string, names: string[]): Promise<void> => {
    signal?.throwIfAborted();
    let stats: LocalStat;
    try {
      stats = await fs.stat(localPath);
    } catch (error) {
      tree.problems.push({ localPath, names, reason: localProblem(localPath, error) });
      return;
    }
    if (stats.isFile) {
      try {
        await (await fs.open(localPath)).close();
      } catch (error) {
        tree.problems.push({ localPath, names, reason: localProblem(localPath, error) });
        return;
      }
      tree.files.push({ localPath, names, size: stats.size, mtimeMs: stats.mtimeMs });
      return;
    }
    if (!stats.isDirectory) {
      tree.problems.push({ localPath, names, reason: `"${localPath}" is not a file or a folder.` });
      return;
    }
    let entries: string[];
    try {
      const real = await fs.realpath(localPath);
      if (visited.has(real)) {
        tree.problems.push({ localPath, names, reason: `"${localPath}" is a folder already being uploaded (a link back into it).` });
        return;
      }
      visited.add(real);
      entries = (await fs.readdir(localPath)).sort();
    } catch (error) {
      tree.problems.push({ localPath, names, reason: localProblem(localPath, error) });
      return;
    }
    tree.folders.push({ localPath, names });
    for (const entry of entries) await visit(path.join(localPath, entry), [...names, entry]);
  };
  for (const source of sources) {
    const localPath = path.resolve(source);
    await visit(localPath, [path.basename(localPath)]);
  }
  return tree;
}
