import * as path from 'node:path';
import * as vscode from 'vscode';
import { readSettings } from '../../config/settings';
import type { ApsServices } from '../../core/client';
import { formatNamesPath } from '../../core/remote/address';
import { MirrorError, runMirror, type MirrorDecisions, type MirrorReport } from '../../core/mirror';
import type { TransferEngine } from '../../core/transfer';
import { mirrorQuestions } from '../../mirror/mirrorQuestions';
import { JobDeclined, type JobRunner, type RunContext } from '../jobManager';
import type { FileFailure, MirrorPlan } from '../jobRecord';

/**
 * Mirrors a project or folder into the workspace, through the same engine and budget as every other job.
 * `mirrored(root)` runs after each run, whatever its end (the Explorer's decorations read the new record).
 */
export function mirrorRunner(services: () => ApsServices, engine: TransferEngine, mirrored: (root: string) => Promise<void>): JobRunner {
  return async (context) => {
    const plan = context.record.plan as MirrorPlan;
    const aps = services();
    const settings = readSettings();
    context.update({ state: 'processing', detail: vscode.l10n.t('listing files'), target: plan.root });
    let report: MirrorReport;
    try {
      report = await runMirror({
        root: plan.root,
        source: plan.source,
        services: aps,
        engine,
        decisions: remembered(context, plan, mirrorQuestions(context.prompts(), plan.where)),
        connections: settings.connections,
        chunkSize: settings.chunkSizeBytes,
        verifySha1: settings.verifyChecksums,
        signal: context.signal,
        deleteOnCancel: () => !context.shuttingDown(),
        onProgress: (progress) =>
          context.update({
            state: progress.files > 0 ? 'downloading' : 'processing',
            ...(progress.files === 0 ? { detail: vscode.l10n.t('listing: {0} files', progress.listedFiles) } : {}),
            progress: {
              doneBytes: progress.doneBytes,
              totalBytes: progress.totalBytes,
              bytesPerSecond: progress.bytesPerSecond,
              etaSeconds: progress.etaSeconds,
              files: { total: progress.files, finished: progress.doneFiles, failed: progress.failedFiles },
            },
          }),
      });
    } catch (error) {
      if (error instanceof MirrorError && error.code === 'declined') throw new JobDeclined();
      throw error;
    } finally {
      await mirrored(plan.root).catch(() => undefined);
    }
    const failures = report.events.filter((event) => event.status === 'failed').map((event): FileFailure => ({ name: event.path, reason: event.error ?? vscode.l10n.t('unknown error') }));
    for (const { path: folder, reason } of report.unlisted) failures.push({ name: `${folder}/`, reason: vscode.l10n.t('{0} (nothing was deleted)', reason) });
    context.update({ failures, progress: { doneBytes: report.bytes, bytesPerSecond: 0, files: { total: report.counts.fetched + report.counts.updated + report.counts.restored, finished: report.counts.fetched + report.counts.updated + report.counts.restored, failed: report.counts.failed } } });
    if (report.stopped === 'cancelled') throw context.signal.reason ?? new Error('cancelled');
    if (report.stopped === 'no-space') {
      const at = path.join(path.relative(plan.where.folder, plan.root), report.events.find((event) => event.diskFull)?.path ?? '');
      throw new Error(vscode.l10n.t('Not enough disk space to write {0}. What arrived is kept: free some space and Retry; the mirror continues where it stopped.', at));
    }
    return { message: summary(report, plan), target: plan.root };
  };
}

/** The answers of this job's questions are kept with it, so a reload's resume does not ask them again. */
function remembered(context: RunContext, plan: MirrorPlan, ask: MirrorDecisions): MirrorDecisions {
  const keep = async (key: 'adoptNonEmpty' | 'rebuildDamaged', question: () => Promise<boolean>): Promise<boolean> => {
    plan[key] ??= await question();
    await context.savePlan();
    return plan[key] as boolean;
  };
  return {
    adoptNonEmpty: (root) => keep('adoptNonEmpty', () => ask.adoptNonEmpty(root)),
    rebuildDamaged: (root, reason) => keep('rebuildDamaged', () => ask.rebuildDamaged(root, reason)),
    conflicts: (conflicts) => ask.conflicts(conflicts),
    deleteRemoved: (paths) => ask.deleteRemoved(paths),
  };
}

/** "Mirrored Project Files into aps/Tower/Project Files: 12 new or updated, 588 unchanged, 1 conflict." */
export function summary(report: MirrorReport, plan: MirrorPlan): string {
  const { counts } = report;
  const where = path.relative(plan.where.folder, plan.root) || '.';
  const fetched = counts.fetched + counts.updated + counts.restored;
  const parts = [vscode.l10n.t('{0} new or updated', fetched), vscode.l10n.t('{0} unchanged', counts.unchanged + counts.adopted + counts.moved)];
  if (counts['changed-locally']) parts.push(vscode.l10n.t('{0} changed here', counts['changed-locally']));
  if (counts.conflict) parts.push(vscode.l10n.t('{0} in conflict', counts.conflict));
  if (counts['removed-remotely']) parts.push(vscode.l10n.t('{0} removed from APS, kept here', counts['removed-remotely']));
  if (counts.deleted) parts.push(vscode.l10n.t('{0} deleted', counts.deleted));
  if (counts.renamed) parts.push(vscode.l10n.t('{0} renamed to avoid a name clash', counts.renamed));
  return vscode.l10n.t('Mirrored {0} into {1}: {2}.', formatNamesPath(plan.source.names.slice(-1)), where, parts.join(', '));
}
