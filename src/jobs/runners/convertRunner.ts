import * as path from 'node:path';
import * as vscode from 'vscode';
import { ApsError } from '../../core/http/apsError';
import { pollUntilDone } from '../../core/jobs/poller';
import type { ApsServices } from '../../core/client';
import type { DownloadJob } from '../../core/dm/models';
import type { TransferEngine } from '../../core/transfer';
import type { JobRunner, RunContext } from '../jobManager';
import type { ConvertPlan, FileTask } from '../jobRecord';
import { transferFiles } from './downloadRunner';

/**
 * "Download as another format": reuses a finished conversion of that type when APS has one, else
 * starts one (POST downloads) and polls it; then fetches the result like any stored object.
 */
export function convertRunner(services: () => ApsServices, engine: TransferEngine): JobRunner {
  return async (context) => {
    const plan = context.record.plan as ConvertPlan;
    const aps = services();
    const type = plan.fileType.toUpperCase();
    if (!plan.storage) await convert(context, plan, aps, type);
    const task: FileTask = { name: path.basename(plan.target), storage: plan.storage, target: plan.target, state: 'pending' };
    await transferFiles(context, engine, plan.where, [task], () => aps.objectSource(plan.storage!), plan.conflict);
    const where = path.relative(plan.where.folder, task.target);
    const message = plan.reused ? vscode.l10n.t('Converted to {0} (an earlier conversion, reused): {1}.', type, where) : vscode.l10n.t('Converted to {0}: {1}.', type, where);
    return { message, target: task.target };
  };
}

async function convert(context: RunContext, plan: ConvertPlan, aps: ApsServices, type: string): Promise<void> {
  const { dm } = aps;
  const { signal } = context;
  if (!plan.jobId) {
    context.update({ state: 'queued', detail: vscode.l10n.t('looking for an earlier {0} conversion', type) });
    const earlier = (await dm.listDownloads(plan.projectId, plan.versionId, { fileType: plan.fileType, signal })).find(
      (download) => download.storage && (download.fileType === undefined || download.fileType.toLowerCase() === plan.fileType.toLowerCase()),
    );
    if (earlier?.storage) {
      plan.storage = earlier.storage;
      plan.reused = true;
      await context.savePlan();
      return;
    }
    const job = await dm.createDownload(plan.projectId, plan.versionId, plan.fileType, { signal });
    plan.jobId = job.id;
    await context.savePlan();
    report(context, job, type);
  }
  const jobId = plan.jobId;
  const finished = await pollUntilDone<DownloadJob>({
    poll: (pollSignal) => dm.getDownloadJob(plan.projectId, jobId, { signal: pollSignal }),
    classify: (job) => (job.status === 'finished' ? 'succeeded' : job.status === 'failed' ? 'failed' : 'pending'),
    failure: () =>
      new ApsError({
        kind: 'job-failed',
        code: 'CONVERSION_FAILED',
        message: `Conversion of ${plan.versionId} to ${type} failed (job ${jobId})`,
        userMessage: vscode.l10n.t('Autodesk could not convert this file to {0}.', type),
      }),
    onProgress: (job) => report(context, job, type),
    signal,
    what: `Conversion to ${type}`,
  });
  if (!finished.download?.storage) {
    throw new ApsError({ kind: 'protocol', message: `Conversion job ${jobId} finished without a storage object`, userMessage: vscode.l10n.t('Autodesk finished the conversion but returned no file.') });
  }
  plan.storage = finished.download.storage;
  await context.savePlan();
}

function report(context: RunContext, job: DownloadJob, type: string): void {
  if (job.status === 'queued') context.update({ state: 'queued', detail: vscode.l10n.t('{0} conversion queued on Autodesk', type) });
  else if (job.status === 'processing') context.update({ state: 'processing', detail: vscode.l10n.t('{0} conversion processing on Autodesk', type) });
}
