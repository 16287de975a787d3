// Finds where something lives in APS (hub, project, folder chain, item, version): for "Reveal by ID or
// URL" in the tree and for the CLI's `<remote>` arguments.
import type { DataManagementClient } from '../dm/dataManagement';
import type { Folder, FolderEntry, Hub, Item, Project, Version } from '../dm/models';
import { isApsError } from '../http/apsError';
import { formatNamesPath, parseNamesPath, parseRemoteIds, type RemoteIds } from './address';

/** The ancestry of one entity, top-down. */
export interface EntityPath {
  hub: Hub;
  project?: Project;
  /** From the top folder down to the folder holding the item (or the folder itself). */
  folders?: Folder[];
  item?: Item;
  version?: Version;
}

/** The Data Management calls that finding an entity needs. */
export type RemoteReader = Pick<DataManagementClient, 'listHubs' | 'listProjects' | 'getProject' | 'topFolders' | 'getFolder' | 'listFolderContents' | 'getItem' | 'getVersion'>;

/** Nothing the user can see has that ID or name. The message is English; the extension shows a localized one. */
export class RemoteNotFound extends Error {
  constructor(
    message: string,
    readonly projectId?: string,
  ) {
    super(message);
    this.name = 'RemoteNotFound';
  }
}

/** An ID, URN or web link (see parseRemoteIds), else a path of names (see parseNamesPath). */
export function locateRemote(dm: RemoteReader, input: string, signal?: AbortSignal): Promise<EntityPath> {
  const ids = parseRemoteIds(input);
  return ids ? locateIds(dm, ids, signal) : locateNames(dm, parseNamesPath(input), signal);
}

export async function locateIds(dm: RemoteReader, target: RemoteIds, signal?: AbortSignal): Promise<EntityPath> {
  const { hubs } = await dm.listHubs({ signal });
  if (target.hubOrProjectId) {
    const hub = hubs.find((candidate) => candidate.id === target.hubOrProjectId);
    if (hub) return { hub };
    return { ...(await locateProject(dm, hubs, target.hubOrProjectId, signal)), folders: [] };
  }
  const { hub, project } = target.projectId ? await locateProject(dm, hubs, target.projectId, signal) : await locateByEntity(dm, hubs, target, signal);
  let version: Version | undefined;
  let item: Item | undefined;
  if (target.versionId) {
    version = await dm.getVersion(project.id, target.versionId, { signal });
    if (version.itemId) item = await dm.getItem(project.id, version.itemId, { signal });
  } else if (target.itemId) {
    item = await dm.getItem(project.id, target.itemId, { signal });
  }
  const leafFolderId = item?.parentId ?? target.folderId;
  const folders = leafFolderId ? await folderChain(dm, project, leafFolderId, signal) : [];
  return { hub, project, folders, item, version };
}

/** Hub, project, top folder, folders…, and last a folder or a file, matched by name. */
export async function locateNames(dm: RemoteReader, names: readonly string[], signal?: AbortSignal): Promise<EntityPath> {
  if (names.length === 0) throw new RemoteNotFound('No remote given.');
  const [hubName, projectName, ...rest] = names;
  const hub = byName((await dm.listHubs({ signal })).hubs, hubName, 'hub', []);
  if (projectName === undefined) return { hub };
  const project = byName(await dm.listProjects(hub.id, { signal }), projectName, 'project', names.slice(0, 1));
  const folders: Folder[] = [];
  let item: Item | undefined;
  for (const [index, name] of rest.entries()) {
    const where = names.slice(0, 2 + index);
    if (item) throw new RemoteNotFound(`${formatNamesPath(where)} is a file, not a folder.`);
    const parent = folders.at(-1);
    const entries: readonly FolderEntry[] = parent
      ? await dm.listFolderContents(project.id, parent.id, { nameContains: name, signal })
      : await dm.topFolders(hub.id, project.id, { signal });
    const entry = byName(entries, name, parent ? 'file or folder' : 'top folder', where);
    if (entry.type === 'folders') folders.push(entry);
    else item = entry;
  }
  return { hub, project, folders, item };
}

/** The entity's names from the hub down, as a names path takes them. */
export function namesOf(path: EntityPath): string[] {
  const names = [path.hub.name];
  if (path.project) names.push(path.project.name);
  for (const folder of path.folders ?? []) names.push(folder.name);
  if (path.item) names.push(path.item.name);
  return names;
}

/** The exact name, else the only one that differs in case. */
function byName<T extends { name: string; displayName?: string }>(entries: readonly T[], name: string, kind: string, where: readonly string[]): T {
  const named = (entry: T) => [entry.name, entry.displayName].filter((value): value is string => value !== undefined);
  const exact = entries.find((entry) => named(entry).includes(name));
  if (exact) return exact;
  const folded = entries.filter((entry) => named(entry).some((candidate) => candidate.toLowerCase() === name.toLowerCase()));
  if (folded.length === 1) return folded[0];
  throw new RemoteNotFound(where.length ? `No ${kind} named "${name}" in ${formatNamesPath(where)}.` : `No ${kind} named "${name}" among your hubs.`);
}

async function folderChain(dm: RemoteReader, project: Project, folderId: string, signal?: AbortSignal): Promise<Folder[]> {
  const chain: Folder[] = [];
  let id: string | undefined = folderId;
  while (id && chain.length < 64) {
    const folder = await dm.getFolder(project.id, id, { signal });
    if (folder.isRoot || folder.id === project.rootFolderId) break;
    chain.unshift(folder);
    id = folder.parentId;
  }
  return chain;
}

async function locateProject(dm: RemoteReader, hubs: readonly Hub[], projectId: string, signal?: AbortSignal): Promise<{ hub: Hub; project: Project }> {
  for (const hub of hubs) {
    try {
      return { hub, project: await dm.getProject(hub.id, projectId, { signal }) };
    } catch (error) {
      if (!isMissing(error)) throw error;
    }
  }
  throw new RemoteNotFound(`No hub you can see has the project ${projectId}.`, projectId);
}

async function locateByEntity(dm: RemoteReader, hubs: readonly Hub[], target: RemoteIds, signal?: AbortSignal): Promise<{ hub: Hub; project: Project }> {
  for (const hub of hubs) {
    for (const project of await dm.listProjects(hub.id, { signal })) {
      signal?.throwIfAborted();
      try {
        if (target.versionId) await dm.getVersion(project.id, target.versionId, { signal });
        else if (target.itemId) await dm.getItem(project.id, target.itemId, { signal });
        else if (target.folderId) await dm.getFolder(project.id, target.folderId, { signal });
        return { hub, project };
      } catch (error) {
        if (!isMissing(error)) throw error;
      }
    }
  }
  throw new RemoteNotFound('None of your projects has that ID.');
}

function isMissing(error: unknown): boolean {
  return isApsError(error) && (error.status === 404 || error.status === 403 || error.status === 400);
}
