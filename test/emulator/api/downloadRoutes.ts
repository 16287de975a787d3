import { createHash } from 'node:crypto';
import { choices } from '../choices';
import type { Exchange } from '../http/exchange';
import type { ConversionJob } from '../model/jobs';
import { href, storageMetaHref } from '../model/resources';
import type { SeedProject } from '../seed';
import type { ApiContext } from './context';
import { mediaType, readJson, sendDataError, sendEmpty, sendJsonApi } from './http';
import { JSONAPI, readFilters, sendDocument } from './jsonapi';
import { findProject, findVersion } from './lookups';
import type { ApiRoute } from './route';
import { principalOf } from './route';

type Json = Record<string, unknown>;
const enc = encodeURIComponent;

function projectHref(ctx: ApiContext, projectId: string): string {
  return `${ctx.base()}/data/v1/projects/${enc(projectId)}`;
}

function jobStatus(job: ConversionJob): 'queued' | 'processing' | 'finished' | 'failed' {
  if (job.phase === 'waiting') return 'queued';
  if (job.phase === 'working') return 'processing';
  return job.failed ? 'failed' : 'finished';
}

/** The job's own path; `absolute` prefixes the emulator's base URL (the reference page's 202 shows it root-relative). */
function jobHref(ctx: ApiContext, job: ConversionJob, absolute = true): string {
  return `${absolute ? ctx.base() : ''}/data/v1/projects/${enc(job.projectId)}/jobs/${job.id}`;
}

function jobResource(ctx: ApiContext, job: ConversionJob, absolute = true): Json {
  return { type: choices.jobResourceType, id: job.id, attributes: { status: jobStatus(job) }, links: { self: href(jobHref(ctx, job, absolute)) } };
}

function downloadResource(ctx: ApiContext, project: SeedProject, job: ConversionJob): Json {
  const self = `${projectHref(ctx, job.projectId)}/downloads/${job.id}`;
  return {
    type: 'downloads',
    id: job.id,
    attributes: { format: { fileType: job.fileType } },
    relationships: {
      source: { links: { related: href(`${self}/source`) }, data: { type: 'versions', id: job.versionId } },
      storage: { data: { type: 'objects', id: `urn:adsk.objects:os.object:${job.storageKey}` }, meta: { link: href(storageMetaHref(ctx, project, job.storageKey as string)) } },
    },
    links: { self: href(self) },
  };
}

function refuseAcc(exchange: Exchange, project: SeedProject): boolean {
  if (project.projectType !== 'ACC') return false;
  const refusal = choices.accDownloadsRefusal;
  sendDataError(exchange, refusal.status, refusal.detail, refusal.code);
  return true;
}

export const downloadRoutes: ApiRoute[] = [
  {
    method: 'GET', pattern: '/data/v1/projects/:projectId/versions/:versionId/downloadFormats', name: 'data.versionDownloadFormats', scope: 'read',
    handle(exchange, params, ctx, principal) {
      const { actor } = principalOf(principal);
      const project = findProject(exchange, ctx, actor, params.projectId, true);
      const version = project && findVersion(exchange, ctx, actor, project, params.versionId);
      if (!version) return;
      const id = createHash('sha1').update(version.id).digest('hex');
      const uuid = `${id.slice(0, 8)}-${id.slice(8, 12)}-${id.slice(12, 16)}-${id.slice(16, 20)}-${id.slice(20, 32)}`;
      sendDocument(exchange, ctx, { type: 'downloadFormats', id: uuid, attributes: { formats: version.downloadFormats.map((fileType) => ({ fileType })) } });
    },
  },
  {
    method: 'GET', pattern: '/data/v1/projects/:projectId/versions/:versionId/downloads', name: 'data.versionDownloads', scope: 'read',
    handle(exchange, params, ctx, principal) {
      const { actor } = principalOf(principal);
      const project = findProject(exchange, ctx, actor, params.projectId, true);
      const version = project && findVersion(exchange, ctx, actor, project, params.versionId);
      if (!project || !version) return;
      const wanted = readFilters(exchange).find((clause) => clause.field === 'format.fileType')?.values;
      const data = [...ctx.jobs.conversions.values()]
        .filter((job) => job.versionId === version.id && job.projectId === project.id && job.storageKey && (!wanted || wanted.includes(job.fileType)))
        .map((job) => downloadResource(ctx, project, job));
      sendDocument(exchange, ctx, data);
    },
  },
  {
    method: 'POST', pattern: '/data/v1/projects/:projectId/downloads', name: 'data.createDownload', scope: 'create',
    async handle(exchange, params, ctx, principal) {
      const { actor } = principalOf(principal);
      const project = findProject(exchange, ctx, actor, params.projectId, true);
      if (!project || refuseAcc(exchange, project)) return;
      if (mediaType(exchange) !== 'application/vnd.api+json') {
        return sendDataError(exchange, 400, 'Content-Type must be application/vnd.api+json.');
      }
      const body = await readJson(exchange);
      if (!body.ok) return sendDataError(exchange, 400, `Malformed JSON: ${body.error}`);
      const data = (body.value as { data?: Json } | undefined)?.data;
      const fileType = ((data?.attributes as Json | undefined)?.format as Json | undefined)?.fileType;
      const source = ((data?.relationships as Json | undefined)?.source as Json | undefined)?.data as Json | undefined;
      if (data?.type !== 'downloads' || typeof fileType !== 'string' || fileType === '' || source?.type !== 'versions' || typeof source.id !== 'string') {
        return sendDataError(exchange, 400, 'The body must be a downloads resource with attributes.format.fileType and relationships.source.data {type: versions, id}.');
      }
      const version = findVersion(exchange, ctx, actor, project, source.id);
      if (!version) return;
      if (!version.downloadFormats.includes(fileType)) {
        return sendDataError(exchange, choices.unsupportedFileTypeStatus, `The file type ${fileType} is not supported for this version.`);
      }
      const fault = ctx.faults.take('failJob', { origin: 'api', method: exchange.method, path: exchange.path });
      const job = ctx.jobs.createConversion({
        projectId: project.id,
        versionId: version.id,
        fileType,
        sourceSize: (version.storage && ctx.model.objectSize(version.storage)) || 0,
        failed: fault !== undefined && fault.stuck !== true,
        stuck: fault?.stuck === true,
      });
      // Seed form (seeds/000): one object, hrefs root-relative; spec form (OpenAPI CreatedDownload): an array.
      const seedForm = ctx.options.switches.createdDownload === 'object';
      const resource = jobResource(ctx, job, !seedForm);
      sendJsonApi(exchange, 202, { jsonapi: JSONAPI, links: { self: href(jobHref(ctx, job, !seedForm)) }, data: seedForm ? resource : [resource] });
    },
  },
  {
    method: 'GET', pattern: '/data/v1/projects/:projectId/jobs/:jobId', name: 'data.job', scope: 'read',
    handle(exchange, params, ctx, principal) {
      const { actor } = principalOf(principal);
      const project = findProject(exchange, ctx, actor, params.projectId, true);
      if (!project || refuseAcc(exchange, project)) return;
      const job = ctx.jobs.conversions.get(params.jobId);
      if (!job || job.projectId !== project.id) return sendDataError(exchange, 404, `The job ${params.jobId} was not found.`);
      ctx.jobs.pollConversion(job);
      if (jobStatus(job) === 'finished') {
        const path = `/data/v1/projects/${enc(project.id)}/downloads/${job.id}`;
        const location = ctx.options.switches.jobLocation === 'absolute' ? `${ctx.base()}${path}` : path;
        return sendEmpty(exchange, 303, { location });
      }
      sendDocument(exchange, ctx, jobResource(ctx, job), { links: { self: href(jobHref(ctx, job)) } });
    },
  },
  {
    method: 'GET', pattern: '/data/v1/projects/:projectId/downloads/:downloadId', name: 'data.download', scope: 'read',
    handle(exchange, params, ctx, principal) {
      const { actor } = principalOf(principal);
      const project = findProject(exchange, ctx, actor, params.projectId, true);
      if (!project || refuseAcc(exchange, project)) return;
      const job = ctx.jobs.conversions.get(params.downloadId);
      if (!job || job.projectId !== project.id || !job.storageKey) return sendDataError(exchange, 404, `The download ${params.downloadId} was not found.`);
      sendDocument(exchange, ctx, downloadResource(ctx, project, job));
    },
  },
];
