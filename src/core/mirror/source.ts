// What a `<remote>` (a path of names, an ID, a web link) means as a mirror source: a project or a folder.
import { formatNamesPath } from '../remote/address';
import { namesOf, type EntityPath } from '../remote/locate';
import type { MirrorSource } from './manifest';

/** The remote names a hub or a file: a mirror copies projects and folders. The message says what to do instead. */
export class NotMirrorable extends Error {
  constructor(
    readonly kind: 'hub' | 'file',
    message: string,
  ) {
    super(message);
    this.name = 'NotMirrorable';
  }
}

export function mirrorSourceOf(at: EntityPath): MirrorSource {
  const names = namesOf(at);
  if (!at.project) throw new NotMirrorable('hub', `${at.hub.name} is a hub: mirror one of its projects or folders.`);
  if (at.item || at.version) throw new NotMirrorable('file', `${formatNamesPath(names)} is a file: mirror its folder, or download the file.`);
  const folder = at.folders?.at(-1);
  return { hubId: at.hub.id, projectId: at.project.id, ...(folder ? { folderId: folder.id } : {}), names };
}
