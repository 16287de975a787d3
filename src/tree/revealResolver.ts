import { parseWebLink, withBPrefix } from '../core/dm/ids';
import type { Folder, Hub, Item, Project, Version } from '../core/dm/models';
import { isApsError } from '../core/http/apsError';
import type { HubsData } from './hubsData';
import type { EntityPath } from './hubsModel';

/** What the user pasted, sorted into ids. */
export interface RevealTarget {
  hubOrProjectId?: string;
  projectId?: string;
  folderId?: string;
  itemId?: string;
  versionId?: string;
}

/**
 * Nothing the user can see has the pasted ID. The message is English because this module stays free of
 * the vscode API (unit tests run it outside the editor); the commands layer shows a localized one.
 */
export class RevealNotFound extends Error {
  constructor(readonly projectId?: string) {
    super(projectId ? `No hub you can see has the project ${projectId}.` : 'None of your projects has that ID.');
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function parseRevealInput(input: string): RevealTarget | undefined {
  const text = input.trim();
  if (!text) return undefined;
  if (/^https?:\/\//i.test(text)) return parseWebLink(text);
  if (/^urn:adsk\.[a-z0-9]+:fs\.file:/i.test(text) || /\?version=\d+$/.test(text)) return { versionId: text };
  if (/^urn:adsk\.[a-z0-9]+:dm\.lineage:/i.test(text)) return { itemId: text };
  if (/^urn:adsk\.[a-z0-9]+:fs\.folder:/i.test(text)) return { folderId: text };
  if (/^[ab]\.[\w-]+$/i.test(text)) return { hubOrProjectId: text };
  if (UUID.test(text)) return { hubOrProjectId: withBPrefix(text) };
  return undefined;
}

/** Finds where a target lives (hub, project, folder chain) so the tree can reveal it. */
export async function resolveRevealTarget(data: HubsData, target: RevealTarget, signal?: AbortSignal): Promise<EntityPath> {
  const hubs = await data.hubs().all();
  if (target.hubOrProjectId) {
    const hub = hubs.find((candidate) => candidate.id === target.hubOrProjectId);
    if (hub) return { hub };
    return { ...(await locateProject(data, hubs, target.hubOrProjectId)), folders: [] };
  }
  const located = target.projectId ? await locateProject(data, hubs, target.projectId) : await locateByEntity(data, hubs, target, signal);
  const { hub, project } = located;
  let version: Version | undefined;
  let item: Item | undefined;
  if (target.versionId) {
    version = await data.version(project.id, target.versionId);
    if (version.itemId) item = await data.item(project.id, version.itemId);
  } else if (target.itemId) {
    item = await data.item(project.id, target.itemId);
  }
  const leafFolderId = item?.parentId ?? target.folderId;
  const folders = leafFolderId ? await folderChain(data, project, leafFolderId) : [];
  return { hub, project, folders, item, version };
}

async function folderChain(data: HubsData, project: Project, folderId: string): Promise<Folder[]> {
  const chain: Folder[] = [];
  let id: string | undefined = folderId;
  while (id && chain.length < 64) {
    const folder = await data.folder(project.id, id);
    if (folder.isRoot || folder.id === project.rootFolderId) break;
    chain.unshift(folder);
    id = folder.parentId;
  }
  return chain;
}

async function locateProject(data: HubsData, hubs: readonly Hub[], projectId: string): Promise<{ hub: Hub; project: Project }> {
  for (const hub of hubs) {
    try {
      return { hub, project: await data.project(hub.id, projectId) };
    } catch (error) {
      if (!isMissing(error)) throw error;
    }
  }
  throw new RevealNotFound(projectId);
}

async function locateByEntity(data: HubsData, hubs: readonly Hub[], target: RevealTarget, signal?: AbortSignal): Promise<{ hub: Hub; project: Project }> {
  for (const hub of hubs) {
    for (const project of await data.projects(hub.id).all()) {
      signal?.throwIfAborted();
      try {
        if (target.versionId) await data.version(project.id, target.versionId);
        else if (target.itemId) await data.item(project.id, target.itemId);
        else if (target.folderId) await data.folder(project.id, target.folderId);
        return { hub, project };
      } catch (error) {
        if (!isMissing(error)) throw error;
      }
    }
  }
  throw new RevealNotFound();
}

function isMissing(error: unknown): boolean {
  return isApsError(error) && (error.status === 404 || error.status === 403 || error.status === 400);
}
