import * as vscode from 'vscode';
import { pathName } from '../core/dm/folderPaths';
import { sanitizeFileName } from '../core/download/localNames';

export const APS_SCHEME = 'aps';

export interface VersionRef {
  projectId: string;
  versionId: string;
  /** File name, last in the path so editors pick the right viewer and language. */
  name: string;
}

/** `aps:/<project id>/<version id>/<file name>`, ids percent-encoded into single segments. */
export function versionUri(ref: VersionRef): vscode.Uri {
  return vscode.Uri.from({ scheme: APS_SCHEME, path: `/${encodeURIComponent(ref.projectId)}/${encodeURIComponent(ref.versionId)}/${sanitizeFileName(ref.name)}` });
}

export function parseVersionUri(uri: vscode.Uri): VersionRef | undefined {
  const [projectId, versionId, name] = uri.path.split('/').filter(Boolean);
  if (uri.scheme !== APS_SCHEME || uri.authority || !projectId || !versionId || !name) return undefined;
  try {
    return { projectId: decodeURIComponent(projectId), versionId: decodeURIComponent(versionId), name };
  } catch {
    return undefined;
  }
}

const FOLDER_AUTHORITY = 'folder';

export interface FolderRef {
  projectId: string;
  folderId: string;
  /** Names below the folder (none: the folder itself). */
  path: string[];
}

/** `aps://folder/<project id>/<folder id>/<name>/…`: an APS folder, and what lies below it by name. */
export function folderUri(ref: FolderRef): vscode.Uri {
  const below = ref.path.map((name) => `/${pathName(name)}`).join('');
  return vscode.Uri.from({ scheme: APS_SCHEME, authority: FOLDER_AUTHORITY, path: `/${encodeURIComponent(ref.projectId)}/${encodeURIComponent(ref.folderId)}${below}` });
}

export function parseFolderUri(uri: vscode.Uri): FolderRef | undefined {
  if (uri.scheme !== APS_SCHEME || uri.authority !== FOLDER_AUTHORITY) return undefined;
  const [projectId, folderId, ...path] = uri.path.split('/').filter(Boolean);
  if (!projectId || !folderId) return undefined;
  try {
    return { projectId: decodeURIComponent(projectId), folderId: decodeURIComponent(folderId), path };
  } catch {
    return undefined;
  }
}
