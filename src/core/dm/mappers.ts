// JSON:API resources → models.
import { relationshipId, type JsonApiResource } from '../http/jsonApi';
import { parseStorageUrn } from './ids';
import type { Download, Folder, FolderEntry, Hub, HubKind, HubWarning, Item, Project, ProjectType, Version } from './models';

type Attributes = Record<string, unknown>;

interface Extension {
  type?: string;
  data?: Record<string, unknown>;
}

function attrs(resource: JsonApiResource): Attributes {
  return (resource.attributes ?? {}) as Attributes;
}

function extensionOf(resource: JsonApiResource): Extension {
  const ext = attrs(resource).extension;
  return ext && typeof ext === 'object' ? (ext as Extension) : {};
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function num(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return undefined;
}

function audited(a: Attributes): Record<string, string | undefined> {
  return {
    createTime: text(a.createTime),
    createUserId: text(a.createUserId),
    createUserName: text(a.createUserName),
    lastModifiedTime: text(a.lastModifiedTime),
    lastModifiedUserId: text(a.lastModifiedUserId),
    lastModifiedUserName: text(a.lastModifiedUserName),
  };
}

export function hubKindOf(extensionType: string | undefined, data?: Record<string, unknown>): HubKind {
  switch (extensionType) {
    case 'hubs:autodesk.a360:PersonalHub':
      return 'personal';
    case 'hubs:autodesk.core:Hub':
      return 'fusion';
    case 'hubs:autodesk.bim360:Account':
      return text(data?.accountType)?.toUpperCase() === 'ACC' || text(data?.projectType)?.toUpperCase() === 'ACC' ? 'acc' : 'bim360';
    default:
      if (extensionType?.includes(':autodesk.acc:')) return 'acc';
      return 'unknown';
  }
}

export function toHub(resource: JsonApiResource): Hub {
  const a = attrs(resource);
  const ext = extensionOf(resource);
  return {
    id: resource.id,
    name: text(a.name) ?? resource.id,
    kind: hubKindOf(ext.type, ext.data),
    extensionType: ext.type ?? '',
    region: text(a.region),
  };
}

export function toHubWarnings(meta: Record<string, unknown> | undefined): HubWarning[] {
  const warnings = meta?.warnings;
  if (!Array.isArray(warnings)) return [];
  return warnings.map((w: Record<string, unknown>) => ({
    status: num(w.HttpStatusCode ?? w.httpStatusCode ?? w.status),
    code: text(w.ErrorCode ?? w.errorCode ?? w.code),
    title: text(w.Title ?? w.title),
    detail: text(w.Detail ?? w.detail),
  }));
}

/**
 * A hub-listing warning as one sentence: which region APS could not list, and why
 * (e.g. "Unable to get hubs from BIM360DM EMEA." / "You don't have permission to access this API").
 */
export function describeHubWarning(warning: HubWarning): string {
  const region = /\b(US|EMEA|AUS|APAC|CAN|DEU|IND|JPN|GBR)\.?$/.exec(warning.title ?? '')?.[1];
  const what = region ? `Hubs in ${region} are missing: Autodesk could not list them` : 'Some hubs are missing: Autodesk could not list all of them';
  const why = [warning.detail, warning.status ? `HTTP ${warning.status}` : undefined].filter(Boolean).join(', ');
  return `${what}${why ? ` (${why.replace(/\.$/, '')})` : ''}.`;
}

export function projectTypeOf(data: Record<string, unknown> | undefined): ProjectType | undefined {
  const value = text(data?.projectType)?.toUpperCase();
  if (value === 'ACC') return 'ACC';
  if (value === 'BIM360') return 'BIM360';
  return undefined;
}

export function toProject(resource: JsonApiResource): Project {
  const a = attrs(resource);
  const ext = extensionOf(resource);
  const projectType = projectTypeOf(ext.data);
  const construction = ext.type === 'projects:autodesk.bim360:Project' || projectType !== undefined;
  return {
    id: resource.id,
    hubId: relationshipId(resource, 'hub'),
    name: text(a.name) ?? resource.id,
    extensionType: ext.type ?? '',
    ...(projectType ? { projectType } : {}),
    kind: projectType === 'ACC' ? 'acc' : construction ? 'bim360' : 'fusion',
    rootFolderId: relationshipId(resource, 'rootFolder'),
    webViewUrl: resource.links?.webView?.href,
  };
}

export function toFolder(resource: JsonApiResource, projectId: string): Folder {
  const a = attrs(resource);
  const ext = extensionOf(resource);
  return {
    type: 'folders',
    id: resource.id,
    projectId,
    name: text(a.name) ?? text(a.displayName) ?? resource.id,
    displayName: text(a.displayName),
    extensionType: ext.type ?? '',
    ...audited(a),
    lastModifiedTimeRollup: text(a.lastModifiedTimeRollup),
    objectCount: num(a.objectCount),
    hidden: a.hidden === true,
    folderType: text(ext.data?.folderType),
    isRoot: typeof ext.data?.isRoot === 'boolean' ? ext.data.isRoot : undefined,
    parentId: relationshipId(resource, 'parent'),
    webViewUrl: resource.links?.webView?.href,
  };
}

export function toVersion(resource: JsonApiResource, projectId: string): Version {
  const a = attrs(resource);
  const ext = extensionOf(resource);
  const storageUrn = relationshipId(resource, 'storage');
  const data = ext.data ?? {};
  return {
    type: 'versions',
    id: resource.id,
    projectId,
    itemId: relationshipId(resource, 'item'),
    name: text(a.name) ?? text(a.displayName) ?? resource.id,
    displayName: text(a.displayName),
    versionNumber: num(a.versionNumber),
    extensionType: ext.type ?? '',
    mimeType: text(a.mimeType),
    fileType: text(a.fileType),
    storageSize: num(a.storageSize),
    ...audited(a),
    processState: text(data.processState),
    extractionState: text(data.extractionState),
    revisionDisplayLabel: text(data.revisionDisplayLabel),
    sourceFileName: text(data.sourceFileName),
    storageUrn,
    storage: parseStorageUrn(storageUrn),
    derivativesId: relationshipId(resource, 'derivatives'),
    isSheet: ext.type === 'versions:autodesk.bim360:Document',
    viewableName: text(data.viewableName),
    webViewUrl: resource.links?.webView?.href,
  };
}

export function toItem(resource: JsonApiResource, projectId: string, tip?: Version): Item {
  const a = attrs(resource);
  const ext = extensionOf(resource);
  const displayName = text(a.displayName) ?? '';
  const construction = (ext.type ?? '').includes(':autodesk.bim360:');
  return {
    type: 'items',
    id: resource.id,
    projectId,
    name: (construction ? tip?.name || displayName : displayName || tip?.name) || resource.id,
    displayName,
    extensionType: ext.type ?? '',
    ...audited(a),
    hidden: a.hidden === true,
    reserved: typeof a.reserved === 'boolean' ? a.reserved : undefined,
    tipVersionId: relationshipId(resource, 'tip'),
    ...(tip ? { tip } : {}),
    parentId: relationshipId(resource, 'parent'),
    webViewUrl: resource.links?.webView?.href,
  };
}

/** Folder-contents entries, with each item's tip version taken from `included`. */
export function toFolderEntries(data: JsonApiResource[], included: JsonApiResource[] | undefined, projectId: string): FolderEntry[] {
  const tips = new Map<string, Version>();
  for (const resource of included ?? []) {
    if (resource.type === 'versions') tips.set(resource.id, toVersion(resource, projectId));
  }
  const entries: FolderEntry[] = [];
  for (const resource of data) {
    if (resource.type === 'folders') entries.push(toFolder(resource, projectId));
    else if (resource.type === 'items') {
      const tipId = relationshipId(resource, 'tip');
      entries.push(toItem(resource, projectId, tipId ? tips.get(tipId) : undefined));
    }
  }
  return entries;
}

export function toDownload(resource: JsonApiResource, projectId: string): Download {
  const a = attrs(resource);
  const format = a.format && typeof a.format === 'object' ? (a.format as Attributes) : {};
  const storageUrn = relationshipId(resource, 'storage');
  return {
    id: resource.id,
    projectId,
    fileType: text(format.fileType),
    sourceVersionId: relationshipId(resource, 'source'),
    storageUrn,
    storage: parseStorageUrn(storageUrn),
  };
}
