// Where an upload can go: a folder, or an item (for its next version). Built from an entity's ancestry (the
// CLI's located `<remote>`, or a tree node and its parents).
import type { DataManagementClient } from '../dm/dataManagement';
import { formatNamesPath } from '../remote/address';
import { namesOf, type EntityPath } from '../remote/locate';
import type { UploadTarget } from './types';

/** The remote cannot take an upload (a hub, a project, a version). The message says what to name instead. */
export class UploadTargetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UploadTargetError';
  }
}

/**
 * The upload target for a located folder or item. Whether the folder is a BIM 360 Plans folder (or below one)
 * comes from its top folder's type; when `path.folders[0]` does not carry it (found by id), the project's top
 * folders are listed once.
 */
export async function uploadTargetOf(dm: Pick<DataManagementClient, 'topFolders'>, path: EntityPath, signal?: AbortSignal): Promise<UploadTarget> {
  const { hub, project, item, version } = path;
  const folders = path.folders ?? [];
  const shown = formatNamesPath(namesOf(path));
  if (!project) throw new UploadTargetError(`${shown} is a hub: upload into a folder of one of its projects.`);
  if (version) throw new UploadTargetError(`${shown} is a version: upload into its item (a new version) or into a folder.`);
  const folder = folders.at(-1);
  if (!folder && !item) throw new UploadTargetError(`${shown} is a project: upload into one of its folders.`);
  const folderId = item?.parentId ?? folder?.id;
  if (!folderId) throw new UploadTargetError(`Cannot tell which folder ${shown} is in.`);
  let plansFolder = false;
  if (project.kind === 'bim360' && folders.length > 0) {
    const top = folders[0];
    const type = top.folderType ?? (await dm.topFolders(hub.id, project.id, { signal })).find((candidate) => candidate.id === top.id)?.folderType;
    plansFolder = type === 'plan';
  }
  return {
    projectId: project.id,
    kind: project.kind,
    folderId,
    names: namesOf(path),
    plansFolder,
    ...(item ? { item: { id: item.id, name: item.name } } : {}),
  };
}
