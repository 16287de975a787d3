/** BIM 360 Docs PDF exports (/bim360/docs/v1, BIM 360 projects only) and ACC Files exports (/construction/files/v1). */
import { randomBytes } from 'node:crypto';
import { choices } from '../choices';
import type { Exchange } from '../http/exchange';
import type { Actor } from '../model/dataModel';
import { EXPORT_BUCKET, type AccExport, type Bim360Export } from '../model/jobs';
import { base64Url } from '../model/resources';
import type { SeedFolder, SeedProject, SeedVersion } from '../seed';
import type { ApiContext } from './context';
import { serveObject } from '../storage/serve';
import { mediaType, readJson, sendJson } from './http';
import type { ApiRoute } from './route';
import { principalOf } from './route';

type Json = Record<string, unknown>;

function sendExportError(exchange: Exchange, status: number, code: string, detail: string, title?: string): void {
  sendJson(exchange, status, { code, ...(title ? { title } : {}), detail });
}

/** BIM 360 Docs and ACC Files take the project id without `b.` (ACC also with it). */
function exportProject(exchange: Exchange, ctx: ApiContext, actor: Actor, rawId: string, acceptPrefixed: boolean): SeedProject | undefined {
  const prefixed = rawId.startsWith('b.');
  const project = prefixed && !acceptPrefixed ? undefined : ctx.model.projects.get(prefixed ? rawId : `b.${rawId}`);
  if (!project) {
    sendExportError(exchange, 404, 'ERR_RESOURCE_NOT_EXIST', `The project ${rawId} does not exist.`);
    return undefined;
  }
  if (!ctx.model.dataAccess(project, actor)) {
    sendExportError(exchange, 403, 'ERR_NOT_ALLOWED', 'You do not have permission to access this project.');
    return undefined;
  }
  return project;
}

function readableVersion(ctx: ApiContext, actor: Actor, project: SeedProject, versionId: string): SeedVersion | 'missing' | 'forbidden' {
  const version = ctx.model.versions.get(versionId);
  if (!version) return 'missing';
  const item = ctx.model.itemOf(version);
  if (item.projectId !== project.id) return 'missing';
  return ctx.model.canReadFolder(ctx.model.folders.get(item.folderId) as SeedFolder, actor) ? version : 'forbidden';
}

function pdfPageSheet(version: SeedVersion): boolean {
  return version.kind === 'document' && version.sheet?.sourceFileType === 'pdf';
}

function bim360Status(job: Bim360Export): string {
  if (job.phase === 'waiting') return 'committed';
  if (job.phase === 'working') return 'processing';
  return job.failed ? 'failed' : 'completed';
}

/** The Model Derivative derivative URN of an export's PDF (what `data.resourceId` and `data.link` name). */
function exportResourceId(job: Bim360Export): string {
  const outputId = base64Url(`${job.id}:output`).slice(0, 22);
  const pageId = base64Url(`${job.id}:page`).slice(0, 22);
  return `urn:adsk.viewing:fs.file:${base64Url(job.versionId)}/output/${outputId}/${pageId}.pdf`;
}

function bim360Body(ctx: ApiContext, job: Bim360Export): Json {
  const status = bim360Status(job);
  if (status === 'failed') return { id: job.id, status, data: { error: { ...choices.bim360ExportFailure } } };
  if (status !== 'completed' || !job.storageKey) return { id: job.id, status };
  const versionUrn = base64Url(job.versionId);
  const resourceId = exportResourceId(job);
  const sheetName = ctx.model.versions.get(job.versionId)?.name ?? 'export';
  const objectKey = job.storageKey.slice(EXPORT_BUCKET.length + 1);
  return {
    id: job.id,
    status,
    data: {
      versionUrn,
      resourceId,
      link: `${ctx.base()}/modelderivative/v2/designdata/${versionUrn}/manifest/${encodeURIComponent(resourceId)}`,
      signedUrl: ctx.signer.sign({
        bucketKey: EXPORT_BUCKET,
        objectKey,
        expiresInSeconds: ctx.options.bim360ExportUrlSeconds,
        useCdn: false,
        overrides: { 'response-content-type': 'application/pdf', 'response-content-disposition': `attachment; filename="${sheetName.replace(/"/g, '')}.pdf"` },
      }),
    },
  };
}

function accStatus(job: AccExport): string {
  if (job.phase !== 'done') return 'processing';
  if (job.failed || job.skipped.length === job.fileVersions.length) return 'failed';
  return job.skipped.length > 0 ? 'partialSuccess' : 'successful';
}

const accUrls = new WeakMap<AccExport, string>();

function accBody(ctx: ApiContext, job: AccExport): Json {
  const status = accStatus(job);
  if (status === 'processing') return { id: job.id, status };
  if (status === 'failed') {
    return { id: job.id, status, result: { error: { code: '500', title: 'ERR_INTERNAL_SERVER_ERROR', detail: job.failed ? 'The export job failed.' : 'No file could be processed.' } } };
  }
  const fileName = `${job.outputName}.${job.zip ? 'zip' : 'pdf'}`;
  let signedUrl = accUrls.get(job);
  if (!signedUrl) {
    signedUrl = ctx.signer.sign({
      bucketKey: EXPORT_BUCKET,
      objectKey: (job.storageKey as string).slice(EXPORT_BUCKET.length + 1),
      expiresInSeconds: ctx.options.accExportUrlSeconds,
      useCdn: false,
      overrides: { 'response-content-type': job.zip ? 'application/zip' : 'application/pdf', 'response-content-disposition': `attachment; filename="${fileName.replace(/"/g, '')}"` },
    });
    accUrls.set(job, signedUrl);
  }
  if (status === 'successful') return { id: job.id, status, result: { output: { signedUrl, fileName } } };
  const failedFiles = job.skipped.map((id) => ({ id, reason: 'ERR_NO_PROCESSABLE_FILES', detail: 'The file has not been processed yet.' }));
  return {
    id: job.id,
    status,
    result: {
      output: { signedUrl, fileName },
      ...(choices.accPartialSuccessUrlPlacement === 'both' ? { signedUrl } : {}),
      failedFiles,
    },
  };
}

function takeExportFault(ctx: ApiContext, exchange: Exchange): { failed: boolean; stuck: boolean } {
  const fault = ctx.faults.take('failExport', { origin: 'api', method: exchange.method, path: exchange.path });
  return { failed: fault !== undefined && fault.stuck !== true, stuck: fault?.stuck === true };
}

export const exportRoutes: ApiRoute[] = [
  {
    method: 'POST', pattern: '/bim360/docs/v1/projects/:projectId/versions/:versionId/exports', name: 'bim360.createExport', scope: 'read',
    async handle(exchange, params, ctx, principal) {
      const { actor } = principalOf(principal);
      const project = exportProject(exchange, ctx, actor, params.projectId, choices.bim360ExportAcceptsPrefixedProjectId);
      if (!project) return;
      if (project.projectType !== 'BIM360') {
        const refusal = choices.bim360ExportOnAcc;
        return sendExportError(exchange, refusal.status, refusal.code, refusal.detail);
      }
      const body = await readJson(exchange);
      if (!body.ok) return sendExportError(exchange, 400, 'ERR_BAD_INPUT', `Malformed JSON: ${body.error}`);
      if (body.value !== undefined && mediaType(exchange) !== 'application/json') {
        return sendExportError(exchange, 400, 'ERR_BAD_INPUT', 'Content-Type must be application/json.');
      }
      const version = readableVersion(ctx, actor, project, params.versionId);
      if (version === 'missing') return sendExportError(exchange, 404, 'ERR_RESOURCE_NOT_EXIST', `The document ${params.versionId} does not exist.`);
      if (version === 'forbidden') return sendExportError(exchange, 403, 'ERR_NOT_ALLOWED', 'You do not have permission to view this document.');
      if (!pdfPageSheet(version)) {
        const refusal = choices.bim360ExportNotPdf;
        return sendExportError(exchange, refusal.status, refusal.code, refusal.detail);
      }
      const previous = [...ctx.jobs.bim360Exports.values()].find((job) => job.versionId === version.id && job.projectId === project.id && bim360Status(job) === 'completed');
      if (previous) return sendJson(exchange, choices.bim360ExportCreateStatus, bim360Body(ctx, previous));
      const job = ctx.jobs.createBim360Export({ projectId: project.id, versionId: version.id, ...takeExportFault(ctx, exchange) });
      sendJson(exchange, choices.bim360ExportCreateStatus, { id: job.id, status: bim360Status(job) });
    },
  },
  {
    method: 'GET', pattern: '/bim360/docs/v1/projects/:projectId/versions/:versionId/exports/:exportId', name: 'bim360.export', scope: 'read',
    handle(exchange, params, ctx, principal) {
      const { actor } = principalOf(principal);
      const project = exportProject(exchange, ctx, actor, params.projectId, choices.bim360ExportAcceptsPrefixedProjectId);
      if (!project) return;
      const job = ctx.jobs.bim360Exports.get(params.exportId);
      if (!job || job.projectId !== project.id || job.versionId !== params.versionId) {
        return sendExportError(exchange, 404, 'ERR_RESOURCE_NOT_EXIST', `The export job ${params.exportId} does not exist.`);
      }
      ctx.jobs.pollBim360Export(job);
      sendJson(exchange, 200, bim360Body(ctx, job));
    },
  },
  {
    // Deprecated direct derivative download that BIM 360 export `data.link` points at (Bearer token, Range).
    method: 'GET', pattern: '/modelderivative/v2/designdata/:urn/manifest/:derivativeUrn', name: 'md.derivative', scope: 'read',
    async handle(exchange, params, ctx) {
      const job = [...ctx.jobs.bim360Exports.values()].find((candidate) => candidate.storageKey && exportResourceId(candidate) === params.derivativeUrn);
      const object = job?.storageKey ? ctx.store.get(EXPORT_BUCKET, job.storageKey.slice(EXPORT_BUCKET.length + 1)) : undefined;
      if (!job || !object || base64Url(job.versionId) !== params.urn) return sendJson(exchange, 404, { diagnostic: 'Requested derivative not found.' });
      await serveObject(exchange, { object, overrides: { 'response-content-type': 'application/pdf' } }, ctx);
    },
  },
  {
    method: 'POST', pattern: '/construction/files/v1/projects/:projectId/exports', name: 'acc.createExport', scope: 'write',
    async handle(exchange, params, ctx, principal) {
      const { actor } = principalOf(principal);
      if (!actor.userId && ctx.options.switches.userContext === 'required') {
        return sendExportError(exchange, 403, 'ERR_NOT_ALLOWED', 'A user context is required: use a 3-legged token or send x-user-id.');
      }
      const project = exportProject(exchange, ctx, actor, params.projectId, true);
      if (!project) return;
      if (project.projectType !== 'ACC') return sendExportError(exchange, 400, 'ERR_BAD_INPUT', 'This API is only compatible with Autodesk Construction Cloud projects.');
      if (mediaType(exchange) !== 'application/json') return sendExportError(exchange, 400, 'ERR_BAD_INPUT', 'Content-Type must be application/json.');
      const body = await readJson(exchange);
      if (!body.ok) return sendExportError(exchange, 400, 'ERR_BAD_INPUT', `Malformed JSON: ${body.error}`);
      const request = (body.value ?? {}) as { fileVersions?: unknown; options?: { outputFileName?: unknown } };
      const fileVersions = request.fileVersions;
      if (!Array.isArray(fileVersions) || fileVersions.length === 0 || fileVersions.length > 200 || fileVersions.some((v) => typeof v !== 'string')) {
        return sendExportError(exchange, 400, 'ERR_BAD_INPUT', 'fileVersions must be an array of 1 to 200 version URNs.');
      }
      const outputName = request.options?.outputFileName;
      if (outputName !== undefined && (typeof outputName !== 'string' || outputName === '')) {
        return sendExportError(exchange, 400, 'ERR_BAD_INPUT', 'options.outputFileName must be a non-empty string.');
      }
      const skipped: string[] = [];
      let zip = fileVersions.length > 1;
      for (const id of fileVersions as string[]) {
        const version = readableVersion(ctx, actor, project, id);
        if (version === 'missing') return sendExportError(exchange, 404, 'ERR_RESOURCE_NOT_EXIST', `The file version ${id} does not exist.`);
        if (version === 'forbidden') return sendExportError(exchange, 403, 'ERR_NOT_ALLOWED', `You do not have permission to download ${id}.`);
        const type = version.kind === 'document' ? version.sheet?.sourceFileType : version.fileType;
        if (type !== 'pdf' && type !== 'dwg' && type !== 'rvt') {
          return sendExportError(exchange, 400, 'ERR_BAD_INPUT', 'Only PDF, DWG, and RVT files are accepted.');
        }
        if (type !== 'pdf') zip = true;
        const object = version.storage ? ctx.store.get(...(splitKey(version.storage))) : undefined;
        if (object?.chunked) skipped.push(id);
      }
      const job = ctx.jobs.createAccExport({
        projectId: project.id,
        fileVersions: fileVersions as string[],
        skipped,
        outputName: (outputName as string | undefined) ?? `export-${randomBytes(4).toString('hex')}`,
        zip,
        userId: actor.userId,
        ...takeExportFault(ctx, exchange),
      });
      sendJson(exchange, 202, { id: job.id, status: accStatus(job) });
    },
  },
  {
    method: 'GET', pattern: '/construction/files/v1/projects/:projectId/exports/:exportId', name: 'acc.export', scope: 'read',
    handle(exchange, params, ctx, principal) {
      const { actor } = principalOf(principal);
      const project = exportProject(exchange, ctx, actor, params.projectId, true);
      if (!project) return;
      const job = ctx.jobs.accExports.get(params.exportId);
      if (!job || job.projectId !== project.id) return sendExportError(exchange, 404, 'ERR_RESOURCE_NOT_EXIST', 'The job does not exist');
      if (job.userId !== actor.userId) return sendExportError(exchange, 403, 'ERR_NOT_ALLOWED', 'Only the user who started the export may read it.');
      ctx.jobs.pollAccExport(job);
      sendJson(exchange, 200, accBody(ctx, job));
    },
  },
];

function splitKey(storageKey: string): [string, string] {
  const slash = storageKey.indexOf('/');
  return [storageKey.slice(0, slash), storageKey.slice(slash + 1)];
}

