import type { Exchange } from '../http/exchange';
import type { Actor } from '../model/dataModel';
import type { SeedFolder, SeedHub, SeedItem, SeedProject, SeedVersion } from '../seed';
import type { ApiContext } from './context';
import { sendDataError } from './http';

/** Each lookup answers 404/403 itself and returns undefined when the caller may not proceed. */

export function findHub(exchange: Exchange, ctx: ApiContext, actor: Actor, hubId: string): SeedHub | undefined {
  const hub = ctx.model.hubs.get(hubId);
  if (!hub) {
    sendDataError(exchange, 404, `The hub ${hubId} was not found.`);
    return undefined;
  }
  if (!ctx.model.hubVisible(hub, actor)) {
    sendDataError(exchange, 403, "You don't have permission to access this hub.");
    return undefined;
  }
  if (hub.region === 'EMEA' && ctx.options.switches.hubWarnings === 'emea-refused') {
    sendDataError(exchange, 403, "You don't have permission to access this API", 'BIM360DM_ERROR');
    return undefined;
  }
  return hub;
}

export function findProject(exchange: Exchange, ctx: ApiContext, actor: Actor, projectId: string, needData: boolean): SeedProject | undefined {
  const project = ctx.model.projects.get(projectId);
  if (!project) {
    sendDataError(exchange, 404, `The project ${projectId} was not found.`);
    return undefined;
  }
  const access = ctx.model.access(project, actor);
  if (access === undefined || (needData && access === 'noAccess')) {
    sendDataError(exchange, 403, "You don't have permission to access this project.");
    return undefined;
  }
  return project;
}

export function findFolder(exchange: Exchange, ctx: ApiContext, actor: Actor, project: SeedProject, folderId: string): SeedFolder | undefined {
  const folder = ctx.model.folders.get(folderId);
  if (!folder || folder.projectId !== project.id) {
    sendDataError(exchange, 404, `The folder ${folderId} was not found.`);
    return undefined;
  }
  if (!ctx.model.canReadFolder(folder, actor)) {
    sendDataError(exchange, 403, "You don't have permission to access this folder.");
    return undefined;
  }
  return folder;
}

export function findItem(exchange: Exchange, ctx: ApiContext, actor: Actor, project: SeedProject, itemId: string): SeedItem | undefined {
  const item = ctx.model.items.get(itemId);
  if (!item || item.projectId !== project.id) {
    sendDataError(exchange, 404, `The item ${itemId} was not found.`);
    return undefined;
  }
  if (!ctx.model.canReadFolder(ctx.model.folders.get(item.folderId) as SeedFolder, actor)) {
    sendDataError(exchange, 403, "You don't have permission to access this item.");
    return undefined;
  }
  return item;
}

export function findVersion(exchange: Exchange, ctx: ApiContext, actor: Actor, project: SeedProject, versionId: string): SeedVersion | undefined {
  const version = ctx.model.versions.get(versionId);
  if (!version) {
    sendDataError(exchange, 404, `The version ${versionId} was not found.`);
    return undefined;
  }
  return findItem(exchange, ctx, actor, project, version.itemId) ? version : undefined;
}
