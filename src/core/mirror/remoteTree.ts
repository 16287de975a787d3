// The remote side of a mirror: a project's or folder's tree, folder by folder, with the local name each entry
// gets (the download name rules, numbered on a collision, and stable from one run to the next). Folder
// contents carry each item's tip version, so a listing is one request per folder (per 200 entries).
import { setMaxListeners } from 'node:events';
import type { DataManagementClient } from '../dm/dataManagement';
import type { StorageLocation } from '../dm/ids';
import type { Folder, FolderEntry, Item } from '../dm/models';
import { sanitizeFileName, unclaimedName } from '../download/localNames';
import { Limiter } from '../http/limiter';
import { numberedName } from '../transfer';
import type { MirrorSource } from './manifest';

/** A file of the remote tree: its item's tip version, and where it goes below the mirror's root. */
export interface RemoteFile {
  /** Local path below the root, '/' between names. */
  path: string;
  /** Names in APS below the mirrored folder, '/' between them (for messages). */
  remotePath: string;
  /** The file name in APS. */
  name: string;
  itemId: string;
  folderId: string;
  versionId: string;
  versionNumber?: number;
  size?: number;
  /** Absent for a sheet, which has no file of its own. */
  storage?: StorageLocation;
}

/** Two names that are one file on Windows or macOS (case, or characters made safe): the later one is numbered. */
export interface NameCollision {
  /** The local path the entry got instead. */
  path: string;
  remotePath: string;
  /** The local path it would have had, which another entry holds. */
  collidesWith: string;
}

export interface RemoteListing {
  /** Local path of the folder below the root ('' for the root). */
  path: string;
  folderId?: string;
  files: RemoteFile[];
  collisions: NameCollision[];
}

export interface WalkOptions {
  signal?: AbortSignal;
  /** Folders listed at once (each listing may fetch a few pages at once too). */
  concurrency?: number;
  /** The local path an item or folder had in the last run, so it keeps its name (and its number). */
  previousPath?: (id: string) => string | undefined;
  /** Each folder once listed; the walk waits for it. */
  onListing(listing: RemoteListing): Promise<void> | void;
}

export interface WalkResult {
  /** Every local folder path and its APS folder. */
  folders: Map<string, string>;
  /** Subfolders that could not be listed (the mirror then deletes nothing, for it cannot know what is gone). */
  failures: Array<{ path: string; error: unknown }>;
}

type Lister = Pick<DataManagementClient, 'topFolders' | 'listFolderContents' | 'getTip'>;

interface PendingFolder {
  path: string;
  remotePath: string;
  folderId?: string;
}

const FOLDERS_AT_ONCE = 4;

/** Lists the source's tree; a failing subfolder is recorded and the rest goes on, a failing root throws. */
export async function walkRemote(dm: Lister, source: MirrorSource, options: WalkOptions): Promise<WalkResult> {
  const limiter = new Limiter(options.concurrency ?? FOLDERS_AT_ONCE);
  const stop = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
  setMaxListeners(0, signal);
  const result: WalkResult = { folders: new Map(), failures: [] };
  const visit = async (folder: PendingFolder): Promise<void> => {
    let entries: FolderEntry[];
    const release = await limiter.acquire(signal);
    try {
      entries = await listEntries(dm, source, folder, signal);
    } catch (error) {
      if (folder.path === '' || signal.aborted) throw error;
      result.failures.push({ path: folder.path, error });
      return;
    } finally {
      release();
    }
    if (folder.folderId) result.folders.set(folder.path, folder.folderId);
    const { subfolders, listing } = await nameEntries(dm, source, folder, entries, options.previousPath ?? (() => undefined), signal);
    await options.onListing(listing);
    await Promise.all(subfolders.map(visit));
  };
  try {
    await visit({ path: '', remotePath: '', folderId: source.folderId });
  } catch (error) {
    stop.abort(error);
    throw error;
  }
  return result;
}

async function listEntries(dm: Lister, source: MirrorSource, folder: PendingFolder, signal: AbortSignal): Promise<FolderEntry[]> {
  const entries: FolderEntry[] = folder.folderId ? await dm.listFolderContents(source.projectId, folder.folderId, { signal }) : await dm.topFolders(source.hubId, source.projectId, { signal });
  return entries.filter((entry) => !entry.hidden);
}

/**
 * Local names for one folder's entries: safe on every file system and unique in the folder regardless of
 * case. An entry keeps the name it had in the last run when that still fits; the others take theirs in
 * APS's order (folders, then files), so the numbering is the same every run.
 */
async function nameEntries(
  dm: Lister,
  source: MirrorSource,
  folder: PendingFolder,
  entries: FolderEntry[],
  previousPath: (id: string) => string | undefined,
  signal: AbortSignal,
): Promise<{ subfolders: PendingFolder[]; listing: RemoteListing }> {
  const claimed = new Set<string>();
  const kept = new Map<string, string>();
  for (const entry of entries) {
    const name = previousName(previousPath(entry.id), folder.path, sanitizeFileName(await entryName(dm, source, entry, signal)));
    if (name && !claimed.has(name.toLowerCase())) {
      claimed.add(name.toLowerCase());
      kept.set(entry.id, name);
    }
  }
  const ordered = [...entries.filter((entry) => entry.type === 'folders'), ...entries.filter((entry) => entry.type === 'items')];
  const subfolders: PendingFolder[] = [];
  const listing: RemoteListing = { path: folder.path, folderId: folder.folderId, files: [], collisions: [] };
  for (const entry of ordered) {
    const remoteName = await entryName(dm, source, entry, signal);
    const safe = sanitizeFileName(remoteName);
    const local = kept.get(entry.id) ?? unclaimedName(safe, claimed);
    const path = join(folder.path, local);
    const remotePath = join(folder.remotePath, remoteName);
    if (local !== safe) listing.collisions.push({ path, remotePath, collidesWith: join(folder.path, safe) });
    if (entry.type === 'folders') subfolders.push({ path, remotePath, folderId: entry.id });
    else listing.files.push(await remoteFile(dm, source, entry, folder, path, remotePath, remoteName, signal));
  }
  return { subfolders, listing };
}

/** The name an entry had last time, when it was in this folder and is still its safe name (or a numbered one of it). */
function previousName(previous: string | undefined, folderPath: string, safe: string): string | undefined {
  if (previous === undefined) return undefined;
  const slash = previous.lastIndexOf('/');
  const [parent, name] = slash < 0 ? ['', previous] : [previous.slice(0, slash), previous.slice(slash + 1)];
  if (parent !== folderPath) return undefined;
  if (name === safe) return name;
  const number = /\((\d+)\)(?:\.[^.]*)?$/.exec(name)?.[1];
  return number !== undefined && numberedName(safe, Number(number)) === name ? name : undefined;
}

const tips = new WeakMap<Item, ReturnType<Lister['getTip']>>();

/** Folder contents include each item's tip; an item listed without it costs one more request (rare). */
function tipOf(dm: Lister, source: MirrorSource, item: Item, signal: AbortSignal): ReturnType<Lister['getTip']> {
  if (item.tip) return Promise.resolve(item.tip);
  let tip = tips.get(item);
  if (!tip) {
    tip = dm.getTip(source.projectId, item.id, { signal });
    tips.set(item, tip);
  }
  return tip;
}

/** The file name: the tip version's (BIM 360 and ACC item names are unreliable), as downloads name files. */
async function entryName(dm: Lister, source: MirrorSource, entry: FolderEntry, signal: AbortSignal): Promise<string> {
  if (entry.type === 'folders') return (entry as Folder).name;
  return (await tipOf(dm, source, entry, signal)).name || entry.name;
}

async function remoteFile(dm: Lister, source: MirrorSource, item: Item, folder: PendingFolder, path: string, remotePath: string, name: string, signal: AbortSignal): Promise<RemoteFile> {
  const tip = await tipOf(dm, source, item, signal);
  return {
    path,
    remotePath,
    name,
    itemId: item.id,
    folderId: folder.folderId ?? '',
    versionId: tip.id,
    ...(tip.versionNumber !== undefined ? { versionNumber: tip.versionNumber } : {}),
    ...(tip.storageSize !== undefined ? { size: tip.storageSize } : {}),
    ...(tip.storage ? { storage: tip.storage } : {}),
  };
}

function join(parent: string, name: string): string {
  return parent ? `${parent}/${name}` : name;
}
