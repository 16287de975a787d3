// What a download of versions, items (their tip) and folders (recursively) writes where: the extension's
// Download command and the CLI's `download` both list their files here.
import type { DataManagementClient } from '../dm/dataManagement';
import type { StorageLocation } from '../dm/ids';
import type { Version } from '../dm/models';
import { safeJoin, unclaimed } from './localNames';

/**
 * Something to download. `path`: the names of the folders, below the download root, that its file (or,
 * for a folder, its contents) lands in; the folder's own subfolders are added below that.
 */
export type DownloadEntry =
  | { type: 'version'; projectId: string; path: string[]; versionId: string; name: string; storage?: StorageLocation; size?: number }
  | { type: 'item'; projectId: string; path: string[]; itemId: string; name: string }
  | { type: 'folder'; projectId: string; path: string[]; folderId: string };

export interface PlannedFile {
  /** Server names below the root, the file's last (unsanitized, for messages). */
  path: string[];
  /** Absolute; every name sanitized, inside the root, and unique within the download. */
  target: string;
  /** Absent for a sheet, which has no file of its own. */
  storage?: StorageLocation;
  size?: number;
}

export interface PlanOptions {
  signal?: AbortSignal;
  /** Files found so far, while folders are listed. */
  onListed?: (count: number) => void;
}

const FOLDER_LISTINGS_AT_ONCE = 4;

type Lister = Pick<DataManagementClient, 'getVersion' | 'getTip' | 'listFolderContents'>;

/** Lists the entries' files into `root`, in listing order. */
export async function planDownload(dm: Lister, entries: readonly DownloadEntry[], root: string, options: PlanOptions = {}): Promise<PlannedFile[]> {
  const files: Omit<PlannedFile, 'target'>[] = [];
  for (const entry of entries) await expand(dm, entry, files, options);
  const claimed = new Set<string>();
  return files.map((file) => ({ ...file, target: unclaimed(safeJoin(root, file.path), claimed) }));
}

async function expand(dm: Lister, entry: DownloadEntry, into: Omit<PlannedFile, 'target'>[], options: PlanOptions): Promise<void> {
  const { signal } = options;
  switch (entry.type) {
    case 'version': {
      const storage = entry.storage ?? (await dm.getVersion(entry.projectId, entry.versionId, { signal })).storage;
      into.push(fileOf(entry.path, entry.name, storage, entry.size));
      break;
    }
    case 'item':
      into.push(fromVersion(entry.path, await dm.getTip(entry.projectId, entry.itemId, { signal }), entry.name));
      break;
    case 'folder':
      await walkFolder(dm, entry.projectId, entry.folderId, entry.path, into, options);
  }
  options.onListed?.(into.length);
}

async function walkFolder(dm: Lister, projectId: string, folderId: string, folders: string[], into: Omit<PlannedFile, 'target'>[], options: PlanOptions): Promise<void> {
  const { signal } = options;
  const subfolders: Array<{ id: string; path: string[] }> = [];
  for (const entry of await dm.listFolderContents(projectId, folderId, { signal })) {
    if (entry.type === 'folders') subfolders.push({ id: entry.id, path: [...folders, entry.name] });
    else into.push(fromVersion(folders, entry.tip ?? (await dm.getTip(projectId, entry.id, { signal })), entry.name));
  }
  options.onListed?.(into.length);
  for (let index = 0; index < subfolders.length; index += FOLDER_LISTINGS_AT_ONCE) {
    await Promise.all(subfolders.slice(index, index + FOLDER_LISTINGS_AT_ONCE).map((sub) => walkFolder(dm, projectId, sub.id, sub.path, into, options)));
  }
}

function fromVersion(folders: string[], version: Version, fallbackName: string): Omit<PlannedFile, 'target'> {
  return fileOf(folders, version.name || fallbackName, version.storage, version.storageSize);
}

function fileOf(folders: string[], fileName: string, storage: StorageLocation | undefined, size: number | undefined): Omit<PlannedFile, 'target'> {
  return { path: [...folders, fileName], ...(storage ? { storage } : {}), ...(size !== undefined ? { size } : {}) };
}
