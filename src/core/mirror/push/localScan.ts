// The local side of a push: every file and folder below a mirror's root that could go to APS, leaving out the
// mirror's own files, downloads in progress, and the files operating systems and editors leave behind.
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { isPartFileName } from '../../transfer/disk/partFiles';
import { isMirrorFileName, type LocalStamp } from '../manifest';

export interface LocalScan {
  /** Files by path below the root ('/' between names). */
  readonly files: Map<string, LocalStamp>;
  /** Folders below the root (not the root), parents first. */
  readonly folders: string[];
  /** Entries a push does not take, with why. */
  readonly ignored: Array<{ path: string; reason: string }>;
}

/** Written by Finder, Explorer and Office beside the files people work on; never theirs to push. */
const LITTER = /^(\.DS_Store|Thumbs\.db|desktop\.ini|~\$.*)$/i;

export async function scanLocal(root: string, signal?: AbortSignal): Promise<LocalScan> {
  const scan: LocalScan = { files: new Map(), folders: [], ignored: [] };
  const visit = async (folder: string): Promise<void> => {
    signal?.throwIfAborted();
    const entries = await fsp.readdir(folder === '' ? root : path.join(root, ...folder.split('/')), { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const subfolders: string[] = [];
    for (const entry of entries) {
      const at = folder ? `${folder}/${entry.name}` : entry.name;
      if (isMirrorFileName(entry.name) || isPartFileName(entry.name) || LITTER.test(entry.name)) continue;
      if (entry.isSymbolicLink()) scan.ignored.push({ path: at, reason: 'a symbolic link' });
      else if (entry.isDirectory()) subfolders.push(at);
      else if (!entry.isFile()) scan.ignored.push({ path: at, reason: 'not a file or a folder' });
      else {
        const stat = await fsp.stat(path.join(root, ...at.split('/'))).catch(() => undefined);
        if (stat?.isFile()) scan.files.set(at, { localSize: stat.size, localMtimeMs: stat.mtimeMs });
      }
    }
    for (const subfolder of subfolders) {
      scan.folders.push(subfolder);
      await visit(subfolder);
    }
  };
  await visit('');
  return scan;
}
