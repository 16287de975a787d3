import * as vscode from 'vscode';
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
  if (uri.scheme !== APS_SCHEME || !projectId || !versionId || !name) return undefined;
  try {
    return { projectId: decodeURIComponent(projectId), versionId: decodeURIComponent(versionId), name };
  } catch {
    return undefined;
  }
}
