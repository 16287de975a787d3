// What an upload will do, decided before anything is written: the local files and folders, the target folder
// (and its existing subfolders) listed once, each file a new item, a new version, skipped or refused.
import type { DataManagementClient } from '../dm/dataManagement';
import type { FolderEntry } from '../dm/models';
import { plansFolderAccepts, plansRefusalSentence } from '../dm/uploadRefusals';
import { formatNamesPath } from '../remote/address';
import { splitExtension } from '../transfer/disk/placement';
import { walkSources, type LocalFile, type UploadFs } from './localFiles';
import { FolderNames, nameKey, pathKey, remoteName } from './names';
import { UploadTargetError } from './target';
import type { ConflictChoice, PlanOptions, UploadFile, UploadFolder, UploadPlan, UploadSummary, UploadTarget } from './types';

export type PlanReader = Pick<DataManagementClient, 'listFolderContents'>;

/** One folder of the target tree as the plan sees it: in APS already (listed) or to be made. */
interface RemoteFolder {
  readonly names: readonly string[];
  readonly id?: string;
  /** Entries in APS by name key (existing folders only). */
  readonly listing: ReadonlyMap<string, FolderEntry>;
  /** Names taken: listed, and claimed by this plan. */
  readonly taken: FolderNames;
  /** Names this plan gives a file or a new folder. */
  readonly claimed: FolderNames;
  readonly refused?: string;
}


/** Plans the upload of `sources` (files and folders, recursively) into `target`. Nothing is written. */
export async function planUpload(dm: PlanReader, fs: UploadFs, sources: readonly string[], target: UploadTarget, options: PlanOptions = {}): Promise<UploadPlan> {
  const conflict = options.conflict ?? 'new-version';
  if (conflict === 'ask' && !options.onConflict) throw new TypeError("The conflict policy 'ask' needs onConflict.");
  const local = await walkSources(fs, sources, options.signal);
  const refusedFile = (file: Pick<LocalFile, 'localPath' | 'names'> & Partial<LocalFile>, reason: string): UploadFile => ({
    localPath: file.localPath,
    size: file.size ?? 0,
    mtimeMs: file.mtimeMs ?? 0,
    folder: file.names.slice(0, -1).map(remoteName),
    name: remoteName(file.names.at(-1) ?? ''),
    action: 'refused',
    reason,
    state: 'pending',
  });

  if (target.item) {
    if (sources.length !== 1 || local.folders.length > 0) {
      throw new UploadTargetError(`${formatNamesPath(target.names)} is a file: it takes one file as its new version, not ${local.folders.length > 0 ? 'a folder' : `${sources.length} files`}.`);
    }
    const files = [...local.problems.map((problem) => refusedFile(problem, problem.reason)), ...local.files.map((file) => newVersionOf(file, target))];
    return finish(target, conflict, [], files);
  }

  const folders = new Map<string, RemoteFolder>();
  const plannedFolders: UploadFolder[] = [];
  const listed = async (names: readonly string[], id: string | undefined, refused?: string): Promise<RemoteFolder> => {
    const entries = id === undefined ? [] : await dm.listFolderContents(target.projectId, id, { signal: options.signal });
    const listing = new Map(entries.map((entry) => [nameKey(entry.name), entry]));
    const folder = { names, id, listing, taken: new FolderNames(listing.keys()), claimed: new FolderNames(), ...(refused ? { refused } : {}) };
    folders.set(pathKey(names), folder);
    return folder;
  };
  await listed([], target.folderId);

  for (const { localPath, names: localNames } of local.folders) {
    const names = localNames.map(remoteName);
    if (folders.has(pathKey(names))) continue;
    const parent = folders.get(pathKey(names.slice(0, -1))) as RemoteFolder;
    const name = names.at(-1) as string;
    const there = parent.listing.get(nameKey(name));
    let refused = parent.refused;
    if (!refused && there?.type === 'items') refused = `"${localPath}" cannot become a folder in ${formatNamesPath([...target.names, ...parent.names])}: a file named "${there.name}" is there.`;
    const existing = !refused && there?.type === 'folders' ? there : undefined;
    if (!existing && !refused) claim(parent, name);
    await listed(names, existing?.id, refused);
    plannedFolders.push({ path: names, localPath, existing: existing !== undefined, ...(existing ? { id: existing.id } : {}), ...(refused ? { refused } : {}) });
  }

  const files: UploadFile[] = local.problems.map((problem) => refusedFile(problem, problem.reason));
  for (const file of local.files) {
    const folder = folders.get(pathKey(file.names.slice(0, -1).map(remoteName))) as RemoteFolder;
    const name = remoteName(file.names.at(-1) as string);
    const base: UploadFile = { localPath: file.localPath, size: file.size, mtimeMs: file.mtimeMs, folder: folder.names, name, action: 'new-item', state: 'pending' };
    if (folder.refused) {
      files.push(refusedFile(file, `"${file.localPath}" was not uploaded: ${folder.refused}`));
      continue;
    }
    if (target.plansFolder && !plansFolderAccepts(name)) {
      files.push(refusedFile(file, plansRefusalSentence(name)));
      continue;
    }
    const there = folder.claimed.has(name) ? undefined : folder.listing.get(nameKey(name));
    if (!folder.taken.has(name)) {
      claim(folder, name);
      files.push(base);
    } else if (there?.type === 'items') {
      folder.claimed.add(name);
      const choice = await choose({ ...base, action: 'new-version', itemId: there.id, name: there.name }, there, folder);
      files.push(resolved(base, choice, there, folder));
    } else if (conflict === 'keep-both') {
      files.push({ ...base, name: numbered(folder, name), conflict: 'keep-both' });
    } else {
      const what = there?.type === 'folders' ? `a folder named "${there.name}" is there` : `another file of the upload has that name`;
      files.push(refusedFile(file, `"${file.localPath}" cannot go into ${formatNamesPath([...target.names, ...folder.names])} as "${name}": ${what}.`));
    }
  }
  return finish(target, conflict, plannedFolders, files);

  async function choose(file: UploadFile, there: FolderEntry, folder: RemoteFolder): Promise<ConflictChoice> {
    if (conflict !== 'ask') return conflict;
    const tip = there.type === 'items' ? there.tip : undefined;
    const existing = {
      id: there.id,
      name: there.name,
      ...(tip?.versionNumber !== undefined ? { versionNumber: tip.versionNumber } : {}),
      ...(tip?.storageSize !== undefined ? { size: tip.storageSize } : {}),
      ...(there.lastModifiedTime ? { lastModifiedTime: there.lastModifiedTime } : {}),
    };
    return (options.onConflict as NonNullable<PlanOptions['onConflict']>)({ file, existing, folderNames: [...target.names, ...folder.names] }, options.signal);
  }
}

function claim(folder: RemoteFolder, name: string): void {
  folder.taken.add(name);
  folder.claimed.add(name);
}

/** The first free `name (n).ext` of the folder, claimed. */
function numbered(folder: RemoteFolder, name: string): string {
  const chosen = folder.taken.claimNumbered(name);
  folder.claimed.add(chosen);
  return chosen;
}

function resolved(base: UploadFile, choice: ConflictChoice, there: FolderEntry, folder: RemoteFolder): UploadFile {
  if (choice === 'new-version') return { ...base, action: 'new-version', itemId: there.id, name: there.name, conflict: choice };
  if (choice === 'keep-both') return { ...base, name: numbered(folder, base.name), conflict: choice };
  return { ...base, action: 'skip', conflict: choice };
}

/** The one file of an item target, as the item's next version (under the item's name). */
function newVersionOf(file: LocalFile, target: UploadTarget): UploadFile {
  const item = target.item as NonNullable<UploadTarget['item']>;
  const own = remoteName(file.names.at(-1) as string);
  const base: UploadFile = { localPath: file.localPath, size: file.size, mtimeMs: file.mtimeMs, folder: [], name: item.name, action: 'new-version', itemId: item.id, state: 'pending' };
  const ownType = splitExtension(own).extension.toLowerCase();
  const itemType = splitExtension(item.name).extension.toLowerCase();
  if (ownType !== itemType) {
    return { ...base, action: 'refused', reason: `"${file.localPath}" cannot be a version of "${item.name}": ${ownType ? `it is a ${ownType} file` : 'it has no file type'}, the item ${itemType ? `a ${itemType} file` : 'has no file type'}.` };
  }
  if (target.plansFolder && !plansFolderAccepts(item.name)) return { ...base, action: 'refused', reason: plansRefusalSentence(item.name) };
  return base;
}

function finish(target: UploadTarget, conflict: UploadPlan['conflict'], folders: UploadFolder[], files: UploadFile[]): UploadPlan {
  const count = (action: UploadFile['action']) => files.filter((file) => file.action === action).length;
  const sending = files.filter((file) => file.action === 'new-item' || file.action === 'new-version');
  const summary: UploadSummary = {
    files: sending.length,
    bytes: sending.reduce((sum, file) => sum + file.size, 0),
    newItems: count('new-item'),
    newVersions: count('new-version'),
    newFolders: folders.filter((folder) => !folder.existing && !folder.refused).length,
    skipped: count('skip'),
    refused: count('refused'),
  };
  return { version: 1, target, conflict, folders, files, summary };
}
