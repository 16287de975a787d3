// New folders, items and versions as POST folders / items / versions create them: APS-shaped ids in the
// hub region's environment, the time of the emulator's clock, the acting user (or the app) as creator.
import { randomBytes } from 'node:crypto';
import { fileFacts, REGIONAL_DOCS, type SeedFolder, type SeedItem, type SeedProject, type SeedVersion } from '../seed';
import type { Actor, DataModel } from './dataModel';

/** 22 url-safe characters, like the ids APS puts after `co.`, `vf.` and `dm.lineage:`. */
function freshId(): string {
  return randomBytes(16).toString('base64url').slice(0, 22);
}

function envOf(model: DataModel, project: SeedProject): string {
  return REGIONAL_DOCS[model.hubOf(project).region].env;
}

/** The user the call acts for; a 2-legged call without x-user-id records the app (its client id). */
function creator(actor: Actor): string {
  return actor.userId ?? actor.clientId;
}

/** A subfolder of `parent`; below a Plans folder it is a plan folder too. */
export function newFolder(model: DataModel, parent: SeedFolder, name: string, now: number): SeedFolder {
  const project = model.projects.get(parent.projectId) as SeedProject;
  return {
    id: `urn:adsk.${envOf(model, project)}:fs.folder:co.${freshId()}`,
    projectId: parent.projectId,
    parentId: parent.id,
    name,
    folderType: parent.folderType,
    hidden: false,
    createTime: new Date(now).toISOString(),
  };
}

/** Version `number` of the item whose lineage id is `itemId`, stored in `storageKey` (`bucketKey/objectKey`). */
export function newVersion(itemId: string, number: number, name: string, storageKey: string, actor: Actor, now: number): SeedVersion {
  const lineage = itemId.slice(itemId.lastIndexOf(':') + 1);
  const env = /^urn:adsk\.([^:]+):/.exec(itemId)?.[1] ?? 'wipprod';
  const facts = fileFacts(name);
  return {
    id: `urn:adsk.${env}:fs.file:vf.${lineage}?version=${number}`,
    itemId,
    versionNumber: number,
    name,
    ...(facts.fileType ? { fileType: facts.fileType } : {}),
    mimeType: facts.mimeType,
    kind: 'file',
    storage: storageKey,
    downloadFormats: facts.downloadFormats,
    createTime: new Date(now).toISOString(),
    createUserId: creator(actor),
  };
}

export function newItem(model: DataModel, folder: SeedFolder, name: string, storageKey: string, actor: Actor, now: number): SeedItem {
  const project = model.projects.get(folder.projectId) as SeedProject;
  const id = `urn:adsk.${envOf(model, project)}:dm.lineage:${freshId()}`;
  return { id, projectId: project.id, folderId: folder.id, displayName: name, kind: 'file', hidden: false, versions: [newVersion(id, 1, name, storageKey, actor, now)] };
}
