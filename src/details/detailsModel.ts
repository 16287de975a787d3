import * as vscode from 'vscode';
import { toBase64UrlUrn } from '../core/dm/ids';
import type { Version } from '../core/dm/models';
import { isApsError } from '../core/http/apsError';
import type { ApsServices } from '../core/client';
import { formatBytes, formatDate } from '../tree/format';
import type { TreeNode } from '../tree/nodes';
import { thumbnailDataUri, thumbnailOf, thumbnailPendingText, type ThumbnailSource } from '../tree/thumbnailTooltips';
import { entityWebLink } from '../tree/treeItems';

export interface DetailsField {
  label: string;
  value: string;
  /** An ID or URN: shown in a monospace font. */
  code?: boolean;
}

export interface VersionRow {
  id: string;
  number: string;
  size: string;
  modified: string;
  by: string;
  processState: string;
  /** The version the details are about. */
  current: boolean;
}

/** Everything the Details view shows for one node, worked out before it is drawn. */
export interface Details {
  nodeId?: string;
  title: string;
  subtitle?: string;
  /** data: URI of the PNG, or a sentence in place of it. */
  thumbnail?: { image: string } | { note: string };
  fields: DetailsField[];
  versions?: VersionRow[];
  /** Why something could not be shown (the rest still is). */
  problem?: string;
  webLink?: string;
}

export interface DetailsSources {
  services: () => ApsServices | undefined;
  thumbnails: ThumbnailSource;
}

export function emptyDetails(): Details {
  return { title: vscode.l10n.t('Details'), subtitle: vscode.l10n.t('Select a file, version, folder or project in the Hubs view to see its details here.'), fields: [] };
}

export async function loadDetails(sources: DetailsSources, node: TreeNode, token?: vscode.CancellationToken): Promise<Details> {
  const webLink = entityWebLink(node);
  switch (node.kind) {
    case 'hub':
      return { nodeId: node.id, title: node.hub.name, fields: [field(vscode.l10n.t('Hub ID'), node.hub.id, true), field(vscode.l10n.t('Region'), node.hub.region), field(vscode.l10n.t('Type'), node.hub.extensionType, true)], webLink };
    case 'project':
      return {
        nodeId: node.id,
        title: node.project.name,
        subtitle: node.hub.name,
        fields: [field(vscode.l10n.t('Project ID'), node.project.id, true), field(vscode.l10n.t('Type'), node.project.projectType ?? node.project.extensionType), field(vscode.l10n.t('Root folder'), node.project.rootFolderId, true)],
        webLink,
      };
    case 'folder': {
      const { folder } = node;
      return {
        nodeId: node.id,
        title: folder.name,
        subtitle: [node.project.name, ...node.path.slice(0, -1)].join(' / '),
        fields: [
          field(vscode.l10n.t('Folder ID'), folder.id, true),
          field(vscode.l10n.t('Items'), folder.objectCount === undefined ? undefined : String(folder.objectCount)),
          field(vscode.l10n.t('Created'), when(folder.createTime, folder.createUserName)),
          field(vscode.l10n.t('Modified'), when(folder.lastModifiedTime, folder.lastModifiedUserName)),
          field(vscode.l10n.t('Hidden'), folder.hidden ? vscode.l10n.t('yes (deleted)') : undefined),
        ].filter(isShown),
        webLink,
      };
    }
    case 'item':
    case 'version':
      return fileDetails(sources, node, webLink, token);
    default:
      return emptyDetails();
  }
}

async function fileDetails(sources: DetailsSources, node: Extract<TreeNode, { kind: 'item' | 'version' }>, webLink: string | undefined, token?: vscode.CancellationToken): Promise<Details> {
  const { item, project } = node;
  const services = sources.services();
  let version: Version | undefined = node.kind === 'version' ? node.version : item.tip;
  let problem: string | undefined;
  let versions: Version[] | undefined;
  if (services) {
    try {
      versions = await services.dm.listVersions(project.id, item.id);
      version ??= versions[0];
    } catch (error) {
      problem = vscode.l10n.t('Could not list the versions: {0}', isApsError(error) ? error.userMessage : String(error));
    }
  }
  const found = await thumbnailOf(sources.thumbnails, version, token);
  const image = await thumbnailDataUri(found);
  const thumbnail = image ? { image } : found?.state === 'pending' ? { note: thumbnailPendingText() } : undefined;
  const number = version?.versionNumber;
  const latest = version && versions && versions[0]?.id === version.id;
  return {
    nodeId: node.id,
    title: item.name,
    subtitle: number === undefined ? undefined : latest ? vscode.l10n.t('Version {0} (latest)', number) : vscode.l10n.t('Version {0}', number),
    thumbnail,
    fields: [
      field(vscode.l10n.t('File name'), version?.name),
      field(vscode.l10n.t('Size'), version?.storageSize === undefined ? (version && !version.storage ? vscode.l10n.t('no file of its own (a sheet)') : undefined) : vscode.l10n.t('{0} ({1} bytes)', formatBytes(version.storageSize), version.storageSize.toLocaleString())),
      field(vscode.l10n.t('File type'), version?.fileType ?? version?.mimeType),
      field(vscode.l10n.t('Created'), when(version?.createTime, version?.createUserName)),
      field(vscode.l10n.t('Modified'), when(version?.lastModifiedTime, version?.lastModifiedUserName)),
      field(vscode.l10n.t('Process state'), version?.processState),
      field(vscode.l10n.t('Extraction state'), version?.extractionState),
      field(vscode.l10n.t('Item ID'), item.id, true),
      field(vscode.l10n.t('Version ID'), version?.id, true),
      field(vscode.l10n.t('Storage'), version?.storageUrn, true),
      field(vscode.l10n.t('Viewer URN'), version ? (version.derivativesId ?? toBase64UrlUrn(version.id)) : undefined, true),
    ].filter(isShown),
    versions: versions?.map((candidate) => ({
      id: candidate.id,
      number: vscode.l10n.t('v{0}', candidate.versionNumber ?? '?'),
      size: formatBytes(candidate.storageSize),
      modified: formatDate(candidate.lastModifiedTime ?? candidate.createTime),
      by: candidate.lastModifiedUserName ?? candidate.createUserName ?? '',
      processState: candidate.processState ?? '',
      current: candidate.id === version?.id,
    })),
    problem,
    webLink,
  };
}

function field(label: string, value: string | undefined, code = false): DetailsField {
  return { label, value: value ?? '', ...(code ? { code } : {}) };
}

function isShown(entry: DetailsField): boolean {
  return entry.value !== '';
}

function when(time: string | undefined, who: string | undefined): string | undefined {
  if (!time) return who;
  return who ? vscode.l10n.t('{0} by {1}', formatDate(time), who) : formatDate(time);
}
