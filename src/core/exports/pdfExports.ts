// One exportPdf for both construction platforms: BIM 360 Docs exports for BIM 360 projects,
// ACC Files exports for ACC projects, with a clear error for anything that cannot be exported.
import { ApsError, isApsError } from '../http/apsError';
import type { HttpClient } from '../http/httpClient';
import { pollUntilDone, type PollTiming } from '../jobs/poller';
import type { Project, Version } from '../dm/models';
import { AccFilesExports } from './accFilesExports';
import { Bim360DocsExports } from './bim360DocsExports';
import type { ExportApi, ExportJob, MarkupOptions } from './exportTypes';

export type ExportProject = Pick<Project, 'id' | 'projectType'> & Partial<Pick<Project, 'name' | 'kind'>>;
export type ExportVersion = Pick<Version, 'id'> & Partial<Pick<Version, 'extensionType' | 'fileType' | 'isSheet' | 'name'>>;

export interface ExportPdfOptions extends MarkupOptions {
  /** ACC only: output name without extension. */
  outputFileName?: string;
  timing?: Partial<PollTiming>;
  onProgress?(job: ExportJob): void;
  /** Called once the export exists (started now, or found by `exportId`), before waiting for it. */
  onStarted?(job: ExportJob): void | Promise<void>;
  /** An export started earlier (before a window reload, say): wait for it instead of starting another. */
  exportId?: string;
  signal?: AbortSignal;
}

export interface ExportResult {
  api: ExportApi;
  job: ExportJob;
  /** Fetch without Authorization; BIM 360 URLs live ~2 minutes, ACC ones 1 hour. */
  signedUrl: string;
  /** ACC answers a ZIP for DWG/RVT sources. */
  expectedFormat: 'pdf' | 'zip';
  /** File name APS suggests (ACC), if any. */
  fileName?: string;
}

const ACC_EXPORTABLE_TYPES = new Set(['pdf', 'dwg', 'rvt']);

export class PdfExports {
  readonly bim360: Bim360DocsExports;
  readonly acc: AccFilesExports;

  /** `hasUserContext` says whether calls carry a user (3-legged token, or 2-legged with x-user-id); ACC exports need one. */
  constructor(http: HttpClient, private readonly hasUserContext: () => boolean = () => true) {
    this.bim360 = new Bim360DocsExports(http);
    this.acc = new AccFilesExports(http);
  }

  /** Which API would export this version, or an ApsError (kind 'unsupported') saying why it cannot be exported. */
  planExport(project: ExportProject, version: ExportVersion): ExportApi | ApsError {
    if (project.projectType === 'BIM360') {
      if (version.extensionType !== undefined && version.isSheet === false && version.extensionType !== 'versions:autodesk.bim360:Document') {
        return unsupported(
          'BIM360_NOT_A_SHEET',
          `Version ${version.id} is not a sheet`,
          'In BIM 360 only sheets (pages of PDFs uploaded to the Plans folder) can be exported to PDF.',
        );
      }
      return 'bim360-docs';
    }
    if (project.projectType === 'ACC') {
      if (!this.hasUserContext()) {
        return new ApsError({
          kind: 'auth',
          code: 'USER_CONTEXT_REQUIRED',
          message: 'ACC Files exports need a user context (3-legged token or x-user-id)',
          userMessage: 'Exporting from ACC needs a signed-in Autodesk user (or a user ID for app authentication).',
        });
      }
      const fileType = version.fileType?.toLowerCase();
      if (fileType && !ACC_EXPORTABLE_TYPES.has(fileType) && !version.isSheet) {
        return unsupported('ACC_UNSUPPORTED_TYPE', `Version ${version.id} is a .${fileType} file`, `Only PDF, DWG and RVT files can be exported to PDF (this is a .${fileType} file).`);
      }
      return 'acc-files';
    }
    return unsupported('NOT_A_CONSTRUCTION_PROJECT', `Project ${project.id} has no BIM 360/ACC project type`, 'PDF export is only available in BIM 360 and ACC projects.');
  }

  /** Starts the export, waits for it, and returns where to download the result. */
  async exportPdf(project: ExportProject, version: ExportVersion, options: ExportPdfOptions = {}): Promise<ExportResult> {
    const plan = this.planExport(project, version);
    if (plan instanceof ApsError) throw plan;
    const started = options.exportId ? await this.current(plan, project.id, version.id, options.exportId, options.signal) : await this.start(plan, project, version, options);
    await options.onStarted?.(started);
    options.onProgress?.(started);
    const finished = started.state === 'pending' ? await this.wait(started, options) : started;
    if (finished.state === 'failed') throw jobFailed(finished);
    if (!finished.signedUrl) {
      throw new ApsError({ kind: 'protocol', message: `Export ${finished.id} succeeded without a signed URL`, userMessage: 'Autodesk finished the export but returned no download link.' });
    }
    const fileType = version.fileType?.toLowerCase();
    const zipByName = finished.fileName?.toLowerCase().endsWith('.zip');
    const zipByType = plan === 'acc-files' && fileType !== undefined && fileType !== 'pdf';
    return {
      api: plan,
      job: finished,
      signedUrl: finished.signedUrl,
      expectedFormat: zipByName ?? zipByType ? 'zip' : 'pdf',
      ...(finished.fileName ? { fileName: finished.fileName } : {}),
    };
  }

  private async start(api: ExportApi, project: ExportProject, version: ExportVersion, options: ExportPdfOptions): Promise<ExportJob> {
    try {
      return api === 'bim360-docs'
        ? await this.bim360.start(project.id, version.id, options)
        : await this.acc.start(project.id, [version.id], options);
    } catch (error) {
      if (isApsError(error) && (error.status === 400 || error.status === 422)) {
        throw new ApsError({
          kind: 'unsupported',
          message: error.message,
          status: error.status,
          code: error.code,
          title: error.title,
          detail: error.detail,
          requestId: error.requestId,
          userMessage: `This version cannot be exported to PDF${error.detail ? `: ${error.detail.replace(/\.$/, '')}` : ''}.`,
          cause: error,
        });
      }
      throw error;
    }
  }

  private current(api: ExportApi, projectId: string, versionId: string, exportId: string, signal?: AbortSignal): Promise<ExportJob> {
    return api === 'bim360-docs' ? this.bim360.get(projectId, versionId, exportId, { signal }) : this.acc.get(projectId, exportId, { signal });
  }

  private wait(job: ExportJob, options: ExportPdfOptions): Promise<ExportJob> {
    return pollUntilDone<ExportJob>({
      poll: (signal) => this.current(job.api, job.projectId, job.versionId ?? '', job.id, signal),
      classify: (state) => state.state,
      failure: jobFailed,
      onProgress: (state) => options.onProgress?.(state),
      timing: options.timing,
      signal: options.signal,
      what: 'The PDF export',
    });
  }
}

function unsupported(code: string, message: string, userMessage: string): ApsError {
  return new ApsError({ kind: 'unsupported', code, message, userMessage });
}

function jobFailed(job: ExportJob): ApsError {
  const detail = job.error?.detail ?? job.error?.title;
  return new ApsError({
    kind: 'job-failed',
    code: job.error?.code ?? 'EXPORT_FAILED',
    title: job.error?.title,
    detail,
    message: `Export ${job.id} (${job.api}) failed${detail ? `: ${detail}` : ''}`,
    userMessage: `Autodesk could not export the PDF${detail ? `: ${detail.replace(/\.$/, '')}` : ''}.`,
  });
}
