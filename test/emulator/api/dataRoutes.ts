import type { Exchange } from '../http/exchange';
import type { Actor } from '../model/dataModel';
import { folderResource, itemResource, versionResource } from '../model/resources';
import type { SeedFolder, SeedItem, SeedProject } from '../seed';
import type { ApiContext } from './context';
import { handleFolderSearch } from './folderSearch';
import { sendDataError, sendEmpty } from './http';
import { applyFilters, paginate, readFilters, readPage, sendDocument } from './jsonapi';
import { findFolder, findItem, findProject, findVersion } from './lookups';
import type { ApiRoute } from './route';
import { principalOf } from './route';

type Json = Record<string, unknown>;

/** The filters the folder-contents reference documents (aps-api.md §3.2, plus filter[hidden] from §0.4). */
const DOCUMENTED_CONTENTS_FILTERS = ['type', 'id', 'extension.type', 'lastModifiedTimeRollup', 'hidden'];

function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Resolves project (+ Data access) for a Data-service route. */
function dataProject(exchange: Exchange, ctx: ApiContext, actor: Actor, projectId: string): SeedProject | undefined {
  return findProject(exchange, ctx, actor, projectId, true);
}

function itemName(ctx: ApiContext, item: SeedItem): string {
  return ctx.model.tip(item).name;
}

function folderContents(ctx: ApiContext, actor: Actor, folder: SeedFolder, includeHidden: boolean): (SeedFolder | SeedItem)[] {
  const folders = ctx.model
    .childFolders(folder.id)
    .filter((f) => (includeHidden || !f.hidden) && ctx.model.canReadFolder(f, actor))
    .sort((a, b) => byName(a.name, b.name));
  const items = ctx.model
    .childItems(folder.id)
    .filter((i) => includeHidden || !i.hidden)
    .sort((a, b) => byName(itemName(ctx, a), itemName(ctx, b)));
  return [...folders, ...items];
}

function isFolder(entry: SeedFolder | SeedItem): entry is SeedFolder {
  return 'folderType' in entry;
}

function resourceOf(ctx: ApiContext, entry: SeedFolder | SeedItem): Json {
  return isFolder(entry) ? folderResource(ctx, entry) : itemResource(ctx, entry);
}

export const dataRoutes: ApiRoute[] = [
  {
    method: 'GET', pattern: '/data/v1/projects/:projectId/folders/:folderId', name: 'data.folder', scope: 'read',
    handle(exchange, params, ctx, principal) {
      const { actor } = principalOf(principal);
      const project = dataProject(exchange, ctx, actor, params.projectId);
      const folder = project && findFolder(exchange, ctx, actor, project, params.folderId);
      if (!folder) return;
      const resource = folderResource(ctx, folder);
      const modified = Date.parse((resource.attributes as Json).lastModifiedTime as string);
      const lastModified = new Date(modified).toUTCString();
      const since = exchange.req.headers['if-modified-since'];
      if (typeof since === 'string' && !Number.isNaN(Date.parse(since)) && Math.floor(modified / 1000) <= Math.floor(Date.parse(since) / 1000)) {
        return sendEmpty(exchange, 304, { 'last-modified': lastModified });
      }
      exchange.res.setHeader('last-modified', lastModified);
      sendDocument(exchange, ctx, resource);
    },
  },
  {
    method: 'GET', pattern: '/data/v1/projects/:projectId/folders/:folderId/parent', name: 'data.folderParent', scope: 'read',
    handle(exchange, params, ctx, principal) {
      const { actor } = principalOf(principal);
      const project = dataProject(exchange, ctx, actor, params.projectId);
      const folder = project && findFolder(exchange, ctx, actor, project, params.folderId);
      if (!folder) return;
      const parent = folder.parentId ? ctx.model.folders.get(folder.parentId) : undefined;
      if (!parent) return sendDataError(exchange, 404, 'The folder has no parent.');
      sendDocument(exchange, ctx, folderResource(ctx, parent));
    },
  },
  {
    method: 'GET', pattern: '/data/v1/projects/:projectId/folders/:folderId/contents', name: 'data.folderContents', scope: 'read',
    handle(exchange, params, ctx, principal) {
      const { actor } = principalOf(principal);
      const project = dataProject(exchange, ctx, actor, params.projectId);
      const folder = project && findFolder(exchange, ctx, actor, project, params.folderId);
      if (!folder) return;
      const page = readPage(exchange);
      if (!page) return;
      const includeHidden = exchange.query.get('includeHidden') === 'true' || exchange.query.has('filter[hidden]');
      let entries = folderContents(ctx, actor, folder, includeHidden);
      const filters = readFilters(exchange);
      const undocumented = filters.find((clause) => !DOCUMENTED_CONTENTS_FILTERS.includes(clause.field));
      if (undocumented && ctx.options.switches.contentsFilters === 'documented') {
        return sendDataError(exchange, 400, `The filter field ${undocumented.field} is not supported on folder contents.`);
      }
      if (filters.length > 0) {
        const resources = applyFilters(entries.map((entry) => resourceOf(ctx, entry)), filters);
        const kept = new Set(resources.map((resource) => resource.id));
        entries = entries.filter((entry) => kept.has(entry.id));
      }
      const { slice, links } = paginate(exchange, ctx, entries, page);
      const data = slice.map((entry) => resourceOf(ctx, entry));
      const included = slice.filter((entry): entry is SeedItem => !isFolder(entry)).map((item) => versionResource(ctx, ctx.model.tip(item)));
      sendDocument(exchange, ctx, data, { links, ...(included.length > 0 ? { included } : {}) });
    },
  },
  {
    method: 'GET', pattern: '/data/v1/projects/:projectId/folders/:folderId/search', name: 'data.folderSearch', scope: 'search',
    handle: handleFolderSearch,
  },
  {
    method: 'GET', pattern: '/data/v1/projects/:projectId/items/:itemId', name: 'data.item', scope: 'read',
    handle(exchange, params, ctx, principal) {
      const { actor } = principalOf(principal);
      const project = dataProject(exchange, ctx, actor, params.projectId);
      const item = project && findItem(exchange, ctx, actor, project, params.itemId);
      if (!item) return;
      const resource = itemResource(ctx, item);
      if (exchange.query.get('includePathInProject') === 'true') {
        const folder = ctx.model.folders.get(item.folderId) as SeedFolder;
        const path = ctx.model.ancestry(folder).slice(1).map((f) => f.name).join('/');
        (resource.attributes as Json).pathInProject = `/${path}`;
      }
      sendDocument(exchange, ctx, resource, { included: [versionResource(ctx, ctx.model.tip(item))] });
    },
  },
  {
    method: 'GET', pattern: '/data/v1/projects/:projectId/items/:itemId/tip', name: 'data.itemTip', scope: 'read',
    handle(exchange, params, ctx, principal) {
      const { actor } = principalOf(principal);
      const project = dataProject(exchange, ctx, actor, params.projectId);
      const item = project && findItem(exchange, ctx, actor, project, params.itemId);
      if (!item) return;
      // The OpenAPI ItemTip schema types `links` as a link object (href required); APS sends links.self.
      const self = `${ctx.base()}${exchange.req.url ?? exchange.path}`;
      sendDocument(exchange, ctx, versionResource(ctx, ctx.model.tip(item)), { links: { href: self } });
    },
  },
  {
    method: 'GET', pattern: '/data/v1/projects/:projectId/items/:itemId/parent', name: 'data.itemParent', scope: 'read',
    handle(exchange, params, ctx, principal) {
      const { actor } = principalOf(principal);
      const project = dataProject(exchange, ctx, actor, params.projectId);
      const item = project && findItem(exchange, ctx, actor, project, params.itemId);
      if (!item) return;
      sendDocument(exchange, ctx, folderResource(ctx, ctx.model.folders.get(item.folderId) as SeedFolder));
    },
  },
  {
    method: 'GET', pattern: '/data/v1/projects/:projectId/items/:itemId/versions', name: 'data.itemVersions', scope: 'read',
    handle(exchange, params, ctx, principal) {
      const { actor } = principalOf(principal);
      const project = dataProject(exchange, ctx, actor, params.projectId);
      const item = project && findItem(exchange, ctx, actor, project, params.itemId);
      if (!item) return;
      const page = readPage(exchange);
      if (!page) return;
      const newestFirst = [...item.versions].reverse().map((version) => versionResource(ctx, version));
      const { slice, links } = paginate(exchange, ctx, applyFilters(newestFirst, readFilters(exchange)), page);
      sendDocument(exchange, ctx, slice, { links });
    },
  },
  {
    method: 'GET', pattern: '/data/v1/projects/:projectId/versions/:versionId', name: 'data.version', scope: 'read',
    handle(exchange, params, ctx, principal) {
      const { actor } = principalOf(principal);
      const project = dataProject(exchange, ctx, actor, params.projectId);
      const version = project && findVersion(exchange, ctx, actor, project, params.versionId);
      if (version) sendDocument(exchange, ctx, versionResource(ctx, version));
    },
  },
  {
    method: 'GET', pattern: '/data/v1/projects/:projectId/versions/:versionId/item', name: 'data.versionItem', scope: 'read',
    handle(exchange, params, ctx, principal) {
      const { actor } = principalOf(principal);
      const project = dataProject(exchange, ctx, actor, params.projectId);
      const version = project && findVersion(exchange, ctx, actor, project, params.versionId);
      if (!version) return;
      const item = ctx.model.itemOf(version);
      sendDocument(exchange, ctx, itemResource(ctx, item), { included: [versionResource(ctx, ctx.model.tip(item))] });
    },
  },
];
