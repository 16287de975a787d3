/** JSON:API resource objects for hubs, projects, folders, items and versions, with absolute hrefs. */
import { choices } from '../choices';
import type { SeedFolder, SeedHub, SeedItem, SeedProject, SeedVersion } from '../seed';
import type { DataModel } from './dataModel';
import { derivativeState } from './derivatives';

type Json = Record<string, unknown>;

export interface ResourceContext {
  base(): string;
  model: DataModel;
}

const enc = encodeURIComponent;

export function href(url: string): { href: string } {
  return { href: url };
}

function extension(base: string, type: string, data: Json = {}): Json {
  return { type, version: '1.0', schema: href(`${base}/schema/v1/versions/${enc(type)}-1.0`), data };
}

export function base64Url(text: string): string {
  return Buffer.from(text).toString('base64url');
}

function uuidOf(projectOrHubId: string): string {
  return projectOrHubId.replace(/^b\./, '');
}

function isBim(project: SeedProject): boolean {
  return project.projectType !== undefined;
}

function webViewBase(project: SeedProject): string {
  return project.projectType === 'ACC' ? 'https://acc.autodesk.com/docs/files/projects' : 'https://docs.b360.autodesk.com/projects';
}

export function hubResource(ctx: ResourceContext, hub: SeedHub): Json {
  const self = `${ctx.base()}/project/v1/hubs/${enc(hub.id)}`;
  const type = hub.kind === 'personal' ? 'hubs:autodesk.a360:PersonalHub' : 'hubs:autodesk.bim360:Account';
  return {
    type: 'hubs',
    id: hub.id,
    attributes: { name: hub.name, extension: extension(ctx.base(), type), region: hub.region },
    links: { self: href(self) },
    relationships: {
      projects: { links: { related: href(`${self}/projects`) } },
      ...(hub.kind === 'personal' ? { pimCollection: { data: { type: 'collection', id: `co.${base64Url(hub.id).slice(0, 20)}` } } } : {}),
    },
  };
}

export function projectResource(ctx: ResourceContext, project: SeedProject): Json {
  const hubHref = `${ctx.base()}/project/v1/hubs/${enc(project.hubId)}`;
  const self = `${hubHref}/projects/${enc(project.id)}`;
  const uuid = uuidOf(project.id);
  const container = (type: string, path: string) => ({ data: { type, id: uuid }, meta: { link: href(`${ctx.base()}${path.replace('{id}', uuid)}`) } });
  return {
    type: 'projects',
    id: project.id,
    attributes: {
      name: project.name,
      scopes: ['global'],
      extension: isBim(project)
        ? extension(ctx.base(), 'projects:autodesk.bim360:Project', { projectType: project.projectType } as Json)
        : extension(ctx.base(), 'projects:autodesk.core:Project'),
    },
    links: { self: href(self), ...(isBim(project) ? { webView: href(`${webViewBase(project)}/${uuid}`) } : {}) },
    relationships: {
      hub: { data: { type: 'hubs', id: project.hubId }, links: { related: href(hubHref) } },
      rootFolder: {
        data: { type: 'folders', id: project.rootFolderId },
        meta: { link: href(`${ctx.base()}/data/v1/projects/${enc(project.id)}/folders/${enc(project.rootFolderId)}`) },
      },
      topFolders: { links: { related: href(`${self}/topFolders`) } },
      ...(isBim(project)
        ? {
            issues: container('issueContainerId', '/issues/v1/containers/{id}/issues'),
            submittals: container('submittalContainerId', '/submittals/v1/containers/{id}/items'),
            rfis: container('rfisContainerId', '/bim360/rfis/v1/containers/{id}/rfis'),
            markups: container('markupsContainerId', '/issues/v1/containers/{id}/markups'),
            checklists: container('checklistsContainerId', '/bim360/checklists/v1/containers/{id}/instances'),
            cost: container('costContainerId', '/cost/v1/containers/{id}/budgets'),
            locations: container('locationsContainerId', '/bim360/locations/v2/containers/{id}/trees/default/nodes'),
          }
        : {}),
    },
  };
}

function dataBase(ctx: ResourceContext, projectId: string): string {
  return `${ctx.base()}/data/v1/projects/${enc(projectId)}`;
}

function folderWebView(project: SeedProject, folderId: string): Json {
  return isBim(project) ? { webView: href(`${webViewBase(project)}/${uuidOf(project.id)}/folders/${enc(folderId)}`) } : {};
}

export function folderResource(ctx: ResourceContext, folder: SeedFolder, options: { top?: boolean } = {}): Json {
  const project = ctx.model.projects.get(folder.projectId) as SeedProject;
  const self = `${dataBase(ctx, folder.projectId)}/folders/${enc(folder.id)}`;
  const visibleChildren = ctx.model.childFolders(folder.id).filter((f) => !f.hidden).length + ctx.model.childItems(folder.id).filter((i) => !i.hidden).length;
  const creator = Object.keys(project.members).find((id) => project.members[id] === 'admin') ?? Object.keys(project.members)[0];
  const rollup = ctx.model.childItems(folder.id).reduce((latest, item) => {
    const time = ctx.model.tip(item).createTime;
    return time > latest ? time : latest;
  }, folder.createTime);
  const isRoot = folder.parentId === null;
  const bimData: Json = {
    allowedTypes: ['folders', 'items:autodesk.bim360:File', 'items:autodesk.bim360:Document', 'items:autodesk.bim360:TitleBlock'],
    visibleTypes: ['folders', 'items:autodesk.bim360:Document'],
    namingStandardIds: [],
    ...(options.top ? { isRoot, folderType: folder.folderType } : {}),
  };
  return {
    type: 'folders',
    id: folder.id,
    attributes: {
      name: folder.name,
      displayName: folder.name,
      createTime: folder.createTime,
      createUserId: creator,
      createUserName: ctx.model.userName(creator),
      lastModifiedTime: folder.createTime,
      lastModifiedUserId: creator,
      lastModifiedUserName: ctx.model.userName(creator),
      lastModifiedTimeRollup: rollup,
      objectCount: visibleChildren,
      hidden: folder.hidden,
      extension: isBim(project) ? extension(ctx.base(), 'folders:autodesk.bim360:Folder', bimData) : extension(ctx.base(), 'folders:autodesk.core:Folder'),
    },
    links: { self: href(self), ...folderWebView(project, folder.id) },
    relationships: {
      parent: folder.parentId
        ? { data: { type: 'folders', id: folder.parentId }, links: { related: href(`${self}/parent`) } }
        : { links: { related: href(`${self}/parent`) } },
      refs: { links: { self: href(`${self}/relationships/refs`), related: href(`${self}/refs`) } },
      links: { links: { self: href(`${self}/relationships/links`) } },
      contents: { links: { related: href(`${self}/contents`) } },
    },
  };
}

function itemExtensionType(project: SeedProject, item: SeedItem): string {
  if (!isBim(project)) return 'items:autodesk.core:File';
  return item.kind === 'document' ? 'items:autodesk.bim360:Document' : 'items:autodesk.bim360:File';
}

export function itemResource(ctx: ResourceContext, item: SeedItem): Json {
  const project = ctx.model.projects.get(item.projectId) as SeedProject;
  const self = `${dataBase(ctx, item.projectId)}/items/${enc(item.id)}`;
  const first = item.versions[0];
  const tip = ctx.model.tip(item);
  return {
    type: 'items',
    id: item.id,
    attributes: {
      displayName: item.kind === 'document' && choices.documentItemDisplayName === 'sheet-title' ? tip.name : item.displayName,
      createTime: first.createTime,
      createUserId: first.createUserId,
      createUserName: ctx.model.userName(first.createUserId),
      lastModifiedTime: tip.createTime,
      lastModifiedUserId: tip.createUserId,
      lastModifiedUserName: ctx.model.userName(tip.createUserId),
      lastModifiedTimeRollup: tip.createTime,
      hidden: item.hidden,
      reserved: false,
      extension: extension(ctx.base(), itemExtensionType(project, item)),
    },
    links: {
      self: href(self),
      ...(isBim(project) ? { webView: href(`${webViewBase(project)}/${uuidOf(project.id)}/folders/${enc(item.folderId)}/detail/viewer/items/${enc(item.id)}`) } : {}),
    },
    relationships: {
      tip: { data: { type: 'versions', id: tip.id }, links: { related: href(`${self}/tip`) } },
      versions: { links: { related: href(`${self}/versions`) } },
      parent: { data: { type: 'folders', id: item.folderId }, links: { related: href(`${self}/parent`) } },
      refs: { links: { self: href(`${self}/relationships/refs`), related: href(`${self}/refs`) } },
      links: { links: { self: href(`${self}/relationships/links`) } },
    },
  };
}

export function storageMetaHref(ctx: ResourceContext, project: SeedProject, storageKey: string): string {
  const slash = storageKey.indexOf('/');
  const bucket = storageKey.slice(0, slash);
  const objectKey = storageKey.slice(slash + 1);
  const url = `${ctx.base()}/oss/v2/buckets/${enc(bucket)}/objects/${enc(objectKey)}`;
  return isBim(project) ? `${url}?scopes=b360project.${uuidOf(project.id)},global,O2tenant.${uuidOf(project.hubId)}` : url;
}

function versionExtension(ctx: ResourceContext, project: SeedProject, version: SeedVersion): Json {
  if (!isBim(project)) return extension(ctx.base(), 'versions:autodesk.core:File');
  if (version.kind === 'document') {
    const sheet = version.sheet;
    return extension(ctx.base(), 'versions:autodesk.bim360:Document', {
      processState: choices.processState,
      viewableId: String(sheet?.viewableOrder ?? 1),
      viewableGuid: base64Url(`${version.id}:viewable`).slice(0, 36),
      viewableName: sheet?.viewableName ?? version.name,
      viewableOrder: sheet?.viewableOrder ?? 1,
    } as Json);
  }
  return extension(ctx.base(), 'versions:autodesk.bim360:File', {
    processState: choices.processState,
    extractionState: derivativeState(version) === 'none' ? 'UNSUPPORTED' : 'SUCCESS',
    splittingState: 'NOT_SPLIT',
    reviewState: 'NOT_IN_REVIEW',
    revisionDisplayLabel: String(version.versionNumber),
    sourceFileName: version.name,
    conformingStatus: 'NONE',
  } as Json);
}

export function versionResource(ctx: ResourceContext, version: SeedVersion): Json {
  const item = ctx.model.itemOf(version);
  const project = ctx.model.projects.get(item.projectId) as SeedProject;
  const self = `${dataBase(ctx, item.projectId)}/versions/${enc(version.id)}`;
  const derivativeId = base64Url(version.id);
  const object = version.storage ? ctx.model.objectSize(version.storage) : undefined;
  return {
    type: 'versions',
    id: version.id,
    attributes: {
      name: version.name,
      displayName: version.name,
      createTime: version.createTime,
      createUserId: version.createUserId,
      createUserName: ctx.model.userName(version.createUserId),
      lastModifiedTime: version.createTime,
      lastModifiedUserId: version.createUserId,
      lastModifiedUserName: ctx.model.userName(version.createUserId),
      versionNumber: version.versionNumber,
      ...(version.mimeType ? { mimeType: version.mimeType } : {}),
      ...(version.kind === 'file' && version.fileType ? { fileType: version.fileType } : {}),
      ...(object !== undefined ? { storageSize: object } : {}),
      extension: versionExtension(ctx, project, version),
    },
    links: {
      self: href(self),
      ...(isBim(project) ? { webView: href(`${webViewBase(project)}/${uuidOf(project.id)}/folders/${enc(item.folderId)}/detail/viewer/items/${enc(version.id)}`) } : {}),
    },
    relationships: {
      item: { data: { type: 'items', id: item.id }, links: { related: href(`${self}/item`) } },
      refs: { links: { self: href(`${self}/relationships/refs`), related: href(`${self}/refs`) } },
      links: { links: { self: href(`${self}/relationships/links`) } },
      ...(version.storage
        ? { storage: { data: { type: 'objects', id: `urn:adsk.objects:os.object:${version.storage}` }, meta: { link: href(storageMetaHref(ctx, project, version.storage)) } } }
        : {}),
      ...(derivativeState(version) === 'none'
        ? {}
        : {
            derivatives: { data: { type: 'derivatives', id: derivativeId }, meta: { link: href(`${ctx.base()}/modelderivative/v2/designdata/${derivativeId}/manifest`) } },
            thumbnails: { data: { type: 'thumbnails', id: derivativeId }, meta: { link: href(`${ctx.base()}/modelderivative/v2/designdata/${derivativeId}/thumbnail`) } },
          }),
      downloadFormats: { links: { related: href(`${self}/downloadFormats`) } },
    },
  };
}
