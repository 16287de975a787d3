// Web pages of projects, folders, items and versions in Autodesk Docs (BIM 360 Docs or ACC Docs).
// APS sends most of them as `links.webView`; where a resource lacks one, the page is built from its ids in
// the form the web apps use (and parseWebLink reads back).
import { withoutBPrefix } from './ids';
import type { Project } from './models';

export interface WebLinkTarget {
  /** links.webView of the resource, when APS sent it. */
  webViewUrl?: string;
  project: Pick<Project, 'id' | 'kind' | 'webViewUrl'>;
  /** The folder itself, or the folder holding the item. */
  folderId?: string;
  itemId?: string;
  versionId?: string;
  /** Hub region: BIM 360 Docs has a site per region. */
  region?: string;
}

/** The Autodesk Docs page of the resource; undefined for Fusion and personal hubs, which have no Docs. */
export function docsWebLink(target: WebLinkTarget): string | undefined {
  if (target.webViewUrl) return target.webViewUrl;
  const { project } = target;
  if (project.kind === 'fusion') return undefined;
  const uuid = encodeURIComponent(withoutBPrefix(project.id));
  const entity = target.versionId ?? target.itemId;
  if (project.kind === 'acc') {
    const base = `https://acc.autodesk.com/docs/files/projects/${uuid}`;
    if (!target.folderId) return project.webViewUrl ?? base;
    const query = new URLSearchParams({ folderUrn: target.folderId, ...(entity ? { entityId: entity } : {}), viewModel: 'detail', moduleId: 'folders' });
    return `${base}?${query.toString()}`;
  }
  const site = target.region === 'EMEA' ? 'https://docs.b360.eu.autodesk.com' : 'https://docs.b360.autodesk.com';
  const base = `${site}/projects/${uuid}`;
  if (!target.folderId) return project.webViewUrl ?? base;
  const folder = `${base}/folders/${encodeURIComponent(target.folderId)}/detail`;
  return entity ? `${folder}/viewer/items/${encodeURIComponent(entity)}` : folder;
}
