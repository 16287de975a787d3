import * as path from 'node:path';
import * as vscode from 'vscode';
import { readSettings } from '../../config/settings';
import type { ApsServices } from '../../core/client';
import { safeJoin } from '../../core/download/localNames';
import { planDownload } from '../../core/download/plan';
import type { BulkItem, ConflictPolicy, ObjectSource, TransferEngine } from '../../core/transfer';
import { decideConflicts } from '../../workspace/conflicts';
import type { TargetRoot } from '../../workspace/targetFolder';
import { failureReason } from '../../core/failureReason';
import { JobDeclined, type JobRunner, type RunContext } from '../jobManager';
import type { DownloadPlan, FileTask } from '../jobRecord';
import { jobProgress } from '../progressText';

/** Versions, items (their tip) and folders (recursively) into `<download folder>/<project>/<folder path>/<file>`. */
export function downloadRunner(services: () => ApsServices, engine: TransferEngine): JobRunner {
  return async (context) => {
    const plan = context.record.plan as DownloadPlan;
    const aps = services();
    if (!plan.files) await planFiles(context, plan, aps);
    const files = plan.files ?? [];
    context.update({ target: commonTarget(plan) });
    await transferFiles(context, engine, plan.where, files, (task) => aps.objectSource(task.storage!), plan.conflict ?? 'overwrite');
    const done = files.filter((task) => task.state === 'done').length;
    const skipped = files.filter((task) => task.state === 'skipped').length;
    const where = path.relative(plan.where.folder, context.record.target!) || '.';
    const downloaded =
      files.length === 1 ? vscode.l10n.t('Downloaded {0} to {1}.', path.basename(files[0].target), where) : vscode.l10n.t('Downloaded {0} of {1} files to {2}.', done, files.length, where);
    return { message: skipped ? vscode.l10n.t('{0} {1} already there, skipped.', downloaded, skipped) : downloaded };
  };
}

/** Lists the files (targets chosen here, once) and decides what happens to those that exist already. */
async function planFiles(context: RunContext, plan: DownloadPlan, aps: ApsServices): Promise<void> {
  context.update({ state: 'processing', detail: vscode.l10n.t('listing files') });
  const onListed = (count: number) => context.update({ detail: vscode.l10n.t('listing files: {0} found', count) });
  const planned = await planDownload(aps.dm, plan.entries, plan.where.root, { signal: context.signal, onListed });
  const decision = await decideConflicts(planned.map((file) => file.target), plan.where, context.prompts());
  if (!decision) throw new JobDeclined();
  plan.conflict = decision.policy;
  plan.files = planned.map(({ path: names, target, storage, size }): FileTask => ({
    // Shown below the project (the first name of the path).
    name: names.slice(1).join('/'),
    target,
    ...(storage ? { storage } : {}),
    ...(size !== undefined ? { size } : {}),
    state: storage ? 'pending' : 'failed',
    ...(storage ? {} : { error: vscode.l10n.t('it has no file of its own (a sheet): use Export as PDF') }),
  }));
  await context.savePlan();
}

/** The file itself for a single file, else the deepest folder holding everything. */
function commonTarget(plan: DownloadPlan): string {
  const targets = (plan.files ?? []).map((task) => task.target);
  const [entry] = plan.entries;
  if (plan.entries.length === 1 && entry.type === 'folder') return safeJoin(plan.where.root, entry.path);
  if (targets.length === 1) return targets[0];
  let common = targets.length ? path.dirname(targets[0]) : plan.where.root;
  for (const target of targets) while (!(target + path.sep).startsWith(common + path.sep) && common !== plan.where.root) common = path.dirname(common);
  return common;
}

/**
 * Downloads the pending files of a job (of any kind) through the engine's queue, under `conflict`: a
 * failing file is recorded and the rest go on. Throws when every file failed, or on cancel (partial
 * files are removed, unless the window is going away and they are needed for the resume).
 */
export async function transferFiles(
  context: RunContext,
  engine: TransferEngine,
  where: TargetRoot,
  all: readonly FileTask[],
  sourceOf: (task: FileTask) => ObjectSource,
  conflict: ConflictPolicy,
): Promise<void> {
  const settings = readSettings();
  const tasks = new Map<BulkItem, FileTask>();
  for (const task of all) if (task.state === 'pending') tasks.set({ source: sourceOf(task), target: task.target, size: task.size }, task);
  const bytesOf = (state: FileTask['state']) => all.filter((task) => task.state === state).reduce((sum, task) => sum + (task.size ?? 0), 0);
  const finishedBefore = bytesOf('done');
  const counts = () => ({
    total: all.length,
    finished: all.filter((task) => task.state === 'done' || task.state === 'skipped').length,
    failed: all.filter((task) => task.state === 'failed').length,
  });
  context.update({ state: 'downloading', detail: vscode.l10n.t('starting download') });

  const result = await engine.downloadMany([...tasks.keys()], {
    root: where.root,
    conflict,
    connections: settings.connections,
    chunkSize: settings.chunkSizeBytes,
    verifySha1: settings.verifyChecksums,
    signal: context.signal,
    deleteOnCancel: () => !context.shuttingDown(),
    onFileSettled: ({ item, status, result: downloaded, error }) => {
      const task = tasks.get(item) as FileTask;
      if (status === 'downloaded' || status === 'skipped') Object.assign(task, { state: status === 'downloaded' ? 'done' : 'skipped', target: downloaded?.path ?? task.target });
      else if (status === 'failed') Object.assign(task, { state: 'failed', error: failureReason(error) });
    },
    onProgress: (aggregate) => context.update({ state: 'downloading', progress: jobProgress(aggregate, finishedBefore, counts()) }),
  });

  const failures = all.filter((task) => task.state === 'failed').map((task) => ({ name: task.name, reason: task.error ?? vscode.l10n.t('unknown error') }));
  context.update({ failures, progress: { doneBytes: bytesOf('done'), bytesPerSecond: 0, files: counts() } });
  await context.savePlan();
  if (result.cancelled || context.signal.aborted) throw context.signal.reason ?? new Error('cancelled');
  if (failures.length > 0 && failures.length === all.length) {
    throw result.failures.find((file) => file.status === 'failed')?.error ?? new Error(failures[0].reason);
  }
}
