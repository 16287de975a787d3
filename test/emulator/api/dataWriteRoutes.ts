// POST projects/:id/storage, items, versions and folders: the Data Management half of "Upload a File".
import { randomUUID } from 'node:crypto';
import { choices } from '../choices';
import { newFolder, newItem, newVersion } from '../model/creations';
import { folderResource, href, itemResource, versionResource } from '../model/resources';
import { REGIONAL_DOCS } from '../seed';
import type { Actor } from '../model/dataModel';
import type { SeedProject } from '../seed';
import type { ApiContext } from './context';
import { sendDataError } from './http';
import { sendDocument } from './jsonapi';
import { findItem, findProject } from './lookups';
import type { ApiRoute } from './route';
import { principalOf } from './route';
import {
  at,
  extensionFits,
  nameAllowed,
  nameFree,
  nonEmptyString,
  plansAccept,
  readJsonApiBody,
  relationshipOf,
  storageFor,
  writableFolder,
} from './writeChecks';

type Json = Record<string, unknown>;
const enc = encodeURIComponent;

function dataHref(ctx: ApiContext, projectId: string, kind: 'items' | 'versions' | 'folders', id: string): { href: string } {
  return href(`${ctx.base()}/data/v1/projects/${enc(projectId)}/${kind}/${enc(id)}`);
}

type Handle = ApiRoute['handle'];

/**
 * What every write starts with: the acting principal, the project with Data access, and the JSON:API body.
 * copyFrom (copying a version) is documented but not emulated: refused plainly rather than ignored.
 */
async function writeRequest(...[exchange, params, ctx, principal]: Parameters<Handle>): Promise<{ actor: Actor; project: SeedProject; body: Json } | undefined> {
  const { actor } = principalOf(principal);
  const project = findProject(exchange, ctx, actor, params.projectId, true);
  if (!project) return undefined;
  if (exchange.query.has('copyFrom')) {
    sendDataError(exchange, 400, 'The APS emulator does not emulate copyFrom.');
    return undefined;
  }
  const body = await readJsonApiBody(exchange);
  return body && { actor, project, body };
}

export const dataWriteRoutes: ApiRoute[] = [
  {
    method: 'POST', pattern: '/data/v1/projects/:projectId/storage', name: 'data.createStorage', scope: 'create',
    async handle(exchange, params, ctx, principal) {
      const request = await writeRequest(exchange, params, ctx, principal);
      if (!request) return;
      const { actor, project, body } = request;
      const name = at(body, 'data', 'attributes', 'name');
      const target = at(body, 'data', 'relationships', 'target', 'data');
      const targetType = at(target, 'type');
      const targetId = at(target, 'id');
      if (at(body, 'data', 'type') !== 'objects' || !nonEmptyString(name) || (targetType !== 'folders' && targetType !== 'items') || !nonEmptyString(targetId)) {
        return sendDataError(exchange, 400, 'The body must be an objects resource with attributes.name and relationships.target.data {type: folders | items, id}.');
      }
      let folderId = targetId;
      if (targetType === 'items') {
        const item = findItem(exchange, ctx, actor, project, targetId);
        if (!item) return;
        folderId = item.folderId;
      }
      const folder = writableFolder(exchange, ctx, actor, project, folderId);
      if (!folder || !nameAllowed(exchange, ctx, name)) return;
      const dot = name.lastIndexOf('.');
      const bucketKey = REGIONAL_DOCS[ctx.model.hubOf(project).region].bucket;
      const objectKey = `${randomUUID()}${dot > 0 ? name.slice(dot).toLowerCase() : ''}`;
      ctx.uploads.reserve({ bucketKey, objectKey, projectId: project.id, folderId: folder.id, clientId: actor.clientId, name });
      sendDocument(
        exchange,
        ctx,
        {
          type: 'objects',
          id: `urn:adsk.objects:os.object:${bucketKey}/${objectKey}`,
          relationships: { target: { links: { related: dataHref(ctx, project.id, 'folders', folder.id) }, data: { type: 'folders', id: folder.id } } },
        },
        { status: 201, links: { self: href(`${ctx.base()}/oss/v2/buckets/${enc(bucketKey)}/objects/${enc(objectKey)}`) } },
      );
    },
  },
  {
    method: 'POST', pattern: '/data/v1/projects/:projectId/items', name: 'data.createItem', scope: 'create',
    async handle(exchange, params, ctx, principal) {
      const request = await writeRequest(exchange, params, ctx, principal);
      if (!request) return;
      const { actor, project, body } = request;
      const data = body.data;
      const tipId = relationshipOf(data, 'tip', 'versions');
      const parentId = relationshipOf(data, 'parent', 'folders');
      const included = Array.isArray(body.included) ? body.included : [];
      const first = included.find((entry) => at(entry, 'type') === 'versions' && at(entry, 'id') === tipId);
      const displayName = at(data, 'attributes', 'displayName');
      const name = at(first, 'attributes', 'name');
      if (at(data, 'type') !== 'items' || !tipId || !parentId || !first || !nonEmptyString(name) || (displayName !== undefined && !nonEmptyString(displayName))) {
        return sendDataError(
          exchange,
          400,
          'The body must be an items resource with relationships.tip (versions) and .parent (folders), and the tip version in included with attributes.name.',
        );
      }
      if (!extensionFits(exchange, ctx, project, 'items', at(data, 'attributes', 'extension'))) return;
      if (!extensionFits(exchange, ctx, project, 'versions', at(first, 'attributes', 'extension'))) return;
      const folder = writableFolder(exchange, ctx, actor, project, parentId);
      if (!folder || !nameAllowed(exchange, ctx, name) || !plansAccept(exchange, ctx, project, folder, name) || !nameFree(exchange, ctx, folder, name)) return;
      const storageKey = storageFor(exchange, ctx, project, relationshipOf(first, 'storage', 'objects'));
      if (!storageKey) return;
      const item = { ...newItem(ctx.model, folder, name, storageKey, actor, ctx.now()), ...(displayName ? { displayName: displayName as string } : {}) };
      ctx.model.addItem(item);
      sendDocument(exchange, ctx, itemResource(ctx, item), {
        status: 201,
        links: { self: dataHref(ctx, project.id, 'items', item.id) },
        included: [versionResource(ctx, item.versions[0])],
      });
    },
  },
  {
    method: 'POST', pattern: '/data/v1/projects/:projectId/versions', name: 'data.createVersion', scope: 'create',
    async handle(exchange, params, ctx, principal) {
      const request = await writeRequest(exchange, params, ctx, principal);
      if (!request) return;
      const { actor, project, body } = request;
      const data = body.data;
      const itemId = relationshipOf(data, 'item', 'items');
      const name = at(data, 'attributes', 'name');
      if (at(data, 'type') !== 'versions' || !itemId || !nonEmptyString(name)) {
        return sendDataError(exchange, 400, 'The body must be a versions resource with attributes.name and relationships.item.data {type: items, id}.');
      }
      if (!extensionFits(exchange, ctx, project, 'versions', at(data, 'attributes', 'extension'))) return;
      const item = findItem(exchange, ctx, actor, project, itemId);
      if (!item) return;
      if (item.kind !== 'file') return sendDataError(exchange, 400, 'Versions can be added only to file items, not to sheets.');
      const folder = writableFolder(exchange, ctx, actor, project, item.folderId);
      if (!folder || !nameAllowed(exchange, ctx, name) || !plansAccept(exchange, ctx, project, folder, name) || !nameFree(exchange, ctx, folder, name, item)) return;
      const storageKey = storageFor(exchange, ctx, project, relationshipOf(data, 'storage', 'objects'));
      if (!storageKey) return;
      const version = newVersion(item.id, item.versions.length + 1, name, storageKey, actor, ctx.now());
      const grown = ctx.model.addVersion(item.id, version);
      sendDocument(exchange, ctx, versionResource(ctx, version), {
        status: 201,
        links: { self: dataHref(ctx, project.id, 'versions', version.id) },
        included: [itemResource(ctx, grown)],
      });
    },
  },
  {
    method: 'POST', pattern: '/data/v1/projects/:projectId/folders', name: 'data.createFolder', scope: 'create',
    async handle(exchange, params, ctx, principal) {
      const request = await writeRequest(exchange, params, ctx, principal);
      if (!request) return;
      const { actor, project, body } = request;
      const data = body.data;
      const parentId = relationshipOf(data, 'parent', 'folders');
      const name = at(data, 'attributes', 'name');
      if (at(data, 'type') !== 'folders' || !parentId || !nonEmptyString(name)) {
        return sendDataError(exchange, 400, 'The body must be a folders resource with attributes.name and relationships.parent.data {type: folders, id}.');
      }
      if (!extensionFits(exchange, ctx, project, 'folders', at(data, 'attributes', 'extension'))) return;
      const parent = writableFolder(exchange, ctx, actor, project, parentId);
      if (!parent || !nameAllowed(exchange, ctx, name) || !nameFree(exchange, ctx, parent, name)) return;
      // Depth below the project's top folders (the root of a BIM 360 / ACC project does not count).
      const depth = ctx.model.ancestry(parent).length - (project.projectType !== undefined ? 1 : 0);
      if (depth >= choices.upload.maxFolderDepth) return sendDataError(exchange, 400, `Folders nest at most ${choices.upload.maxFolderDepth} levels deep.`);
      const folder = newFolder(ctx.model, parent, name, ctx.now());
      ctx.model.addFolder(folder);
      sendDocument(exchange, ctx, folderResource(ctx, folder), { status: 201, links: { self: dataHref(ctx, project.id, 'folders', folder.id) } });
    },
  },
];
