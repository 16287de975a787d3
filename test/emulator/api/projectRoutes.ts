import { choices } from '../choices';
import type { SeedFolder } from '../seed';
import { folderResource, hubResource, projectResource } from '../model/resources';
import type { ApiRoute } from './route';
import { principalOf } from './route';
import { applyFilters, paginate, readFilters, readPage, sendDocument } from './jsonapi';
import { findHub, findProject } from './lookups';
import { sendDataError } from './http';

/** The observed warning (aps-api.md §0.6) when APS's EMEA back-end refuses the app. */
const EMEA_REFUSED = {
  Id: null,
  HttpStatusCode: '403',
  ErrorCode: 'BIM360DM_ERROR',
  Title: 'Unable to get hubs from BIM360DM EMEA.',
  Detail: "You don't have permission to access this API",
  AboutLink: null,
  Source: [],
  meta: [],
};

function truthy(value: string | null): boolean {
  return value === 'true' || value === '1';
}

export const projectRoutes: ApiRoute[] = [
  {
    method: 'GET', pattern: '/project/v1/hubs', name: 'project.hubs', scope: 'read',
    handle(exchange, _params, ctx, principal) {
      const { actor } = principalOf(principal);
      const emeaRefused = ctx.options.switches.hubWarnings === 'emea-refused';
      const hubs = [...ctx.model.hubs.values()]
        .filter((hub) => ctx.model.hubVisible(hub, actor) && !(emeaRefused && hub.region === 'EMEA'))
        .map((hub) => hubResource(ctx, hub));
      const data = applyFilters(hubs, readFilters(exchange));
      sendDocument(exchange, ctx, data, emeaRefused ? { meta: { warnings: [EMEA_REFUSED] } } : {});
    },
  },
  {
    method: 'GET', pattern: '/project/v1/hubs/:hubId', name: 'project.hub', scope: 'read',
    handle(exchange, params, ctx, principal) {
      const hub = findHub(exchange, ctx, principalOf(principal).actor, params.hubId);
      if (hub) sendDocument(exchange, ctx, hubResource(ctx, hub));
    },
  },
  {
    method: 'GET', pattern: '/project/v1/hubs/:hubId/projects', name: 'project.projects', scope: 'read',
    handle(exchange, params, ctx, principal) {
      const { actor } = principalOf(principal);
      const hub = findHub(exchange, ctx, actor, params.hubId);
      if (!hub) return;
      const page = readPage(exchange);
      if (!page) return;
      const projects = [...ctx.model.projects.values()]
        .filter((project) => project.hubId === hub.id && ctx.model.projectListed(project, actor))
        .map((project) => projectResource(ctx, project));
      const { slice, links } = paginate(exchange, ctx, applyFilters(projects, readFilters(exchange)), page);
      sendDocument(exchange, ctx, slice, { links });
    },
  },
  {
    method: 'GET', pattern: '/project/v1/hubs/:hubId/projects/:projectId', name: 'project.project', scope: 'read',
    handle(exchange, params, ctx, principal) {
      const { actor } = principalOf(principal);
      if (!findHub(exchange, ctx, actor, params.hubId)) return;
      const project = findProject(exchange, ctx, actor, params.projectId, false);
      if (!project) return;
      if (project.hubId !== params.hubId) return sendDataError(exchange, 404, `The project ${params.projectId} was not found in hub ${params.hubId}.`);
      sendDocument(exchange, ctx, projectResource(ctx, project));
    },
  },
  {
    method: 'GET', pattern: '/project/v1/hubs/:hubId/projects/:projectId/hub', name: 'project.projectHub', scope: 'read',
    handle(exchange, params, ctx, principal) {
      const { actor } = principalOf(principal);
      const hub = findHub(exchange, ctx, actor, params.hubId);
      if (!hub) return;
      const project = findProject(exchange, ctx, actor, params.projectId, false);
      if (!project) return;
      if (project.hubId !== hub.id) return sendDataError(exchange, 404, `The project ${params.projectId} was not found in hub ${params.hubId}.`);
      sendDocument(exchange, ctx, hubResource(ctx, hub));
    },
  },
  {
    method: 'GET', pattern: '/project/v1/hubs/:hubId/projects/:projectId/topFolders', name: 'project.topFolders', scope: 'read',
    handle(exchange, params, ctx, principal) {
      const { actor } = principalOf(principal);
      if (!findHub(exchange, ctx, actor, params.hubId)) return;
      const project = findProject(exchange, ctx, actor, params.projectId, true);
      if (!project) return;
      if (project.hubId !== params.hubId) return sendDataError(exchange, 404, `The project ${params.projectId} was not found in hub ${params.hubId}.`);
      let folders: SeedFolder[] = !actor.userId && choices.twoLeggedTopFoldersAreRealTopFolders
        ? project.topFolderIds.map((id) => ctx.model.folders.get(id) as SeedFolder)
        : ctx.model.topFolders(project, actor);
      if (truthy(exchange.query.get('excludeDeleted'))) folders = folders.filter((folder) => !folder.hidden);
      if (truthy(exchange.query.get('projectFilesOnly'))) {
        folders = folders.filter((folder) => ctx.model.ancestry(folder).some((f) => f.name === 'Project Files' && project.topFolderIds.includes(f.id)));
      }
      sendDocument(exchange, ctx, folders.map((folder) => folderResource(ctx, folder, { top: true })));
    },
  },
];
