import * as path from 'node:path';
import type { Dispatcher } from 'undici';
import * as vscode from 'vscode';
import type { ApsServices } from '../../core/client';
import { withExtension } from '../../core/download/localNames';
import type { ExportJob } from '../../core/exports/exportTypes';
import type { ExportResult, PdfExports } from '../../core/exports/pdfExports';
import { ApsError } from '../../core/http/apsError';
import { isTransferError, urlSource, type ObjectSource, type TransferEngine } from '../../core/transfer';
import type { JobRunner, RunContext } from '../jobManager';
import type { ExportPlan, FileTask } from '../jobRecord';
import { transferFiles } from './downloadRunner';

/**
 * Export as PDF (BIM 360 Docs exports or ACC Files exports, chosen by the core), then download the
 * result; an expired signed URL is replaced by polling the export again. The export's id is saved as
 * soon as it exists, so after a reload the job waits for that export instead of starting another.
 */
export function exportRunner(services: () => ApsServices, engine: TransferEngine): JobRunner {
  return async (context) => {
    const plan = context.record.plan as ExportPlan;
    const aps = services();
    context.update({ state: 'queued', detail: vscode.l10n.t('export requested') });
    const result = await aps.exports.exportPdf(plan.project, plan.version, {
      ...plan.markups,
      ...(plan.project.projectType === 'ACC' && plan.version.name ? { outputFileName: stem(plan.version.name) } : {}),
      signal: context.signal,
      exportId: plan.exportId,
      onStarted: async (job) => {
        plan.exportId = job.id;
        plan.api = job.api;
        await context.savePlan();
      },
      onProgress: (job) => report(context, job),
    });
    plan.api = result.api;
    if (result.expectedFormat === 'zip' && !plan.target.toLowerCase().endsWith('.zip')) plan.target = withExtension(plan.target, 'zip');
    await context.savePlan();
    const task: FileTask = { name: path.basename(plan.target), target: plan.target, state: 'pending' };
    const source = exportSource(result, (signal) => freshUrl(aps.exports, result.job, signal), engine.dispatcher);
    await transferFiles(context, engine, plan.where, [task], () => source, plan.conflict);
    const where = path.relative(plan.where.folder, task.target);
    const left = result.job.failedFiles?.length;
    const message = left ? vscode.l10n.t('Exported as PDF: {0}. {1} file(s) could not be included.', where, left) : vscode.l10n.t('Exported as PDF: {0}.', where);
    return { message, target: task.target };
  };
}

function report(context: RunContext, job: ExportJob): void {
  if (job.state !== 'pending') return;
  const queued = job.rawStatus === 'committed';
  context.update({ state: queued ? 'queued' : 'processing', detail: queued ? vscode.l10n.t('export queued on Autodesk') : vscode.l10n.t('export processing on Autodesk') });
}

/** The export's file; resolving again (the URL expired) asks the export for a fresh signed URL. */
function exportSource(result: ExportResult, refresh: (signal: AbortSignal) => Promise<string>, dispatcher: Dispatcher): ObjectSource {
  let url: string | undefined = result.signedUrl;
  return {
    identity: `export:${result.api}:${result.job.id}`,
    resolve: async (signal) => {
      url ??= await refresh(signal);
      try {
        return await urlSource(url, dispatcher).resolve(signal);
      } catch (error) {
        if (!isTransferError(error, 'url-expired')) throw error;
        url = await refresh(signal);
        return urlSource(url, dispatcher).resolve(signal);
      } finally {
        url = undefined;
      }
    },
  };
}

async function freshUrl(exports: PdfExports, job: ExportJob, signal: AbortSignal): Promise<string> {
  const again = job.api === 'bim360-docs' ? await exports.bim360.get(job.projectId, job.versionId ?? '', job.id, { signal }) : await exports.acc.get(job.projectId, job.id, { signal });
  if (!again.signedUrl) throw new ApsError({ kind: 'protocol', message: `Export ${job.id} has no signed URL any more`, userMessage: vscode.l10n.t('The export finished, but Autodesk no longer offers its file. Export again.') });
  return again.signedUrl;
}

function stem(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(0, dot) : name;
}
