import { rm } from 'node:fs/promises';
import * as vscode from 'vscode';
import { readSettings } from '../../config/settings';
import type { RemoteIds } from '../../core/remote/address';
import { formatNamesPath } from '../../core/remote/address';
import type { UploadEngine, UploadFile, UploadPlan } from '../../core/upload';
import { isLocalFolder } from '../../upload/startUpload';
import { confirmUpload, conflictQuestion, needsConfirmation } from '../../upload/uploadQuestions';
import { JobDeclined, type JobRunner } from '../jobManager';
import type { FileFailure, UploadJobPlan } from '../jobRecord';
import { jobProgress } from '../progressText';

/**
 * Uploads local files and folders into APS through the one upload engine: plans (asking about taken names
 * when the setting says so), confirms BIM 360 and ACC uploads, then runs the plan, saving it as files settle so
 * a reload or Retry runs it again from where it stopped. `uploaded(plan)` runs after each run (the tree
 * refreshes what changed).
 */
export function uploadRunner(engine: UploadEngine, uploaded: (plan: UploadJobPlan) => Promise<void>): JobRunner {
  return async (context) => {
    const plan = context.record.plan as UploadJobPlan;
    const { target } = plan;
    context.update({ remote: target.item ? { projectId: target.projectId, itemId: target.item.id } : { projectId: target.projectId, folderId: target.folderId } });
    const ask = conflictQuestion(() => context.prompts(), plan.sources.length > 1 || (await isLocalFolder(plan.sources[0])));
    if (!plan.upload) {
      context.update({ state: 'processing', detail: vscode.l10n.t('planning the upload') });
      const planned = await engine.plan(plan.sources, target, {
        conflict: plan.conflict,
        onConflict: async (conflict) => (await ask(conflict)) ?? Promise.reject(new JobDeclined()),
        signal: context.signal,
      });
      if (needsConfirmation(planned) && !(await confirmUpload(context.prompts(), planned))) throw new JobDeclined();
      plan.upload = planned;
      await context.savePlan();
    }

    const upload = plan.upload;
    const having = (state: UploadFile['state']) => upload.files.filter((file) => file.state === state);
    const bytesOf = (files: readonly UploadFile[]) => files.reduce((sum, file) => sum + (file.result?.size ?? file.size), 0);
    const finishedBefore = bytesOf(having('uploaded'));
    const counts = () => ({ total: upload.files.length, finished: having('uploaded').length + having('skipped').length, failed: having('failed').length });
    context.update({ state: 'uploading', detail: vscode.l10n.t('starting upload') });
    let cancelled: boolean;
    try {
      ({ cancelled } = await engine.run(upload, {
        connections: readSettings().connections,
        signal: context.signal,
        // A name taken after the plan was made, under "ask": dismissing the question leaves that file out.
        onConflict: async (conflict) => (await ask(conflict)) ?? 'skip',
        onProgress: (progress) => context.update({ state: 'uploading', progress: jobProgress(progress, finishedBefore, counts()) }),
        onFileSettled: () => void context.savePlan(),
        onFolderReady: () => void context.savePlan(),
      }));
    } finally {
      if (!context.shuttingDown()) await uploaded(plan).catch(() => undefined);
    }

    const failed = having('failed');
    const failures = failed.map((file): FileFailure => ({ name: shownName(file), reason: file.error ?? file.reason ?? vscode.l10n.t('unknown error') }));
    const [single] = upload.files;
    const made: RemoteIds | undefined = upload.files.length === 1 && single.result ? { projectId: target.projectId, itemId: single.result.itemId } : undefined;
    context.update({ failures, ...(made ? { remote: made } : {}), progress: { doneBytes: bytesOf(having('uploaded')), bytesPerSecond: 0, files: counts() } });
    await context.savePlan();
    if (cancelled || context.signal.aborted) throw context.signal.reason ?? new Error('cancelled');
    if (failed.length > 0 && failed.length === upload.files.length) {
      throw new Error(failed.length === 1 ? failures[0].reason : vscode.l10n.t('none of the {0} files was uploaded (the first: {1})', failed.length, failures[0].reason));
    }
    if (plan.stagedIn && failed.length === 0) await rm(plan.stagedIn, { recursive: true, force: true }).catch(() => undefined);
    return { message: outcome(upload) };
  };
}

/** A file's names below the target folder, as failures list it. */
function shownName(file: UploadFile): string {
  return formatNamesPath([...file.folder, file.name]);
}

/** "Uploaded Tower.rvt to Tower/Project Files as version 4." / "Uploaded 3 of 4 files to …. 1 skipped: its name was taken." */
function outcome(plan: UploadPlan): string {
  const { target } = plan;
  const where = formatNamesPath(target.names.slice(1, target.item ? -1 : undefined));
  const uploaded = plan.files.filter((file) => file.state === 'uploaded');
  const skipped = plan.files.filter((file) => file.state === 'skipped').length;
  let message: string;
  if (plan.files.length === 1 && uploaded.length === 1) {
    const [file] = uploaded;
    const version = file.result?.versionNumber;
    message =
      file.action === 'new-version' && version !== undefined
        ? vscode.l10n.t('Uploaded {0} to {1} as version {2}.', file.name, where, version)
        : vscode.l10n.t('Uploaded {0} to {1}.', file.name, where);
  } else if (uploaded.length === 0 && skipped > 0) {
    return skipped === 1 ? vscode.l10n.t('Nothing uploaded to {0}: 1 file was skipped, its name is taken.', where) : vscode.l10n.t('Nothing uploaded to {0}: {1} files were skipped, their names are taken.', where, skipped);
  } else {
    message = vscode.l10n.t('Uploaded {0} of {1} files to {2}.', uploaded.length, plan.files.length, where);
  }
  if (skipped === 0) return message;
  return skipped === 1 ? vscode.l10n.t('{0} 1 skipped: its name is taken.', message) : vscode.l10n.t('{0} {1} skipped: their names are taken.', message, skipped);
}
