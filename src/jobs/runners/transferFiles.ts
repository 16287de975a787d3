import * as path from 'node:path';
import * as vscode from 'vscode';
import { readSettings } from '../../config/settings';
import { nodeFs, partFilesFor, type TransferEngine } from '../../core/transfer';
import type { BulkItem } from '../../core/transfer/bulk';
import type { ObjectSource } from '../../core/transfer/types';
import { failureReason } from '../failureReason';
import type { FileTask, TargetRoot } from '../jobRecord';
import type { RunContext } from '../jobManager';

export interface SourcedTask {
  task: FileTask;
  source: ObjectSource;
}

/**
 * Downloads the pending files of a job through the engine's bulk queue. Targets were chosen when the
 * job was planned (conflicts resolved), so each is written under exactly that name; a failing file is
 * recorded and the rest go on. Throws when every file failed, or on cancel (after removing partial
 * files, unless the window is going away and they are needed for the resume).
 */
export async function transferFiles(context: RunContext, engine: TransferEngine, where: TargetRoot, all: readonly FileTask[], sourced: readonly SourcedTask[]): Promise<void> {
  const settings = readSettings();
  const pending = sourced.filter(({ task }) => task.state === 'pending');
  const byItem = new Map<BulkItem, FileTask>();
  const byIdentity = new Map(pending.map(({ task, source }) => [source.identity, task]));
  const items = pending.map(({ task, source }) => {
    const item: BulkItem = { source, path: path.relative(where.root, task.target).split(path.sep), size: task.size };
    byItem.set(item, task);
    return item;
  });
  const finishedBefore = all.filter((task) => task.state === 'done').reduce((sum, task) => sum + (task.size ?? 0), 0);
  const counts = () => ({
    total: all.length,
    finished: all.filter((task) => task.state === 'done' || task.state === 'skipped').length,
    failed: all.filter((task) => task.state === 'failed').length,
  });
  context.update({ state: 'downloading', detail: vscode.l10n.t('starting download') });

  const result = await engine.downloadMany(items, {
    root: where.root,
    conflict: 'overwrite',
    connections: settings.connections,
    chunkSize: settings.chunkSizeBytes,
    verifySha1: settings.verifyChecksums,
    signal: context.signal,
    onFileProgress: (progress) => {
      const task = progress.phase === 'done' ? byIdentity.get(progress.identity) : undefined;
      if (task) task.state = 'done';
    },
    onProgress: (aggregate) =>
      context.update({
        state: 'downloading',
        progress: {
          doneBytes: finishedBefore + aggregate.transferredBytes,
          totalBytes: finishedBefore + aggregate.totalBytes,
          bytesPerSecond: aggregate.bytesPerSecond,
          etaSeconds: aggregate.etaSeconds,
          files: counts(),
        },
      }),
  });

  for (const file of result.results) {
    const task = byItem.get(file.item);
    if (!task) continue;
    if (file.status === 'downloaded') task.state = 'done';
    else if (file.status === 'skipped') task.state = 'skipped';
    else if (file.status === 'failed') {
      task.state = 'failed';
      task.error = failureReason(file.error);
    } else task.state = 'pending';
  }
  const failures = all.filter((task) => task.state === 'failed').map((task) => ({ name: task.name, reason: task.error ?? vscode.l10n.t('unknown error') }));
  context.update({ failures, progress: { doneBytes: all.filter((t) => t.state === 'done').reduce((sum, t) => sum + (t.size ?? 0), 0), bytesPerSecond: 0, files: counts() } });
  await context.savePlan();

  if (result.cancelled || context.signal.aborted) {
    if (!context.shuttingDown()) await removePartials(pending.map(({ task }) => task).filter((task) => task.state === 'pending'));
    throw context.signal.reason ?? new Error('cancelled');
  }
  if (failures.length > 0 && failures.length === all.length) {
    throw result.failures.find((file) => file.status === 'failed')?.error ?? new Error(failures[0].reason);
  }
}

async function removePartials(tasks: readonly FileTask[]): Promise<void> {
  for (const task of tasks) {
    const part = partFilesFor(task.target);
    await nodeFs.remove(part.data).catch(() => undefined);
    await nodeFs.remove(part.journal).catch(() => undefined);
  }
}
