import * as vscode from 'vscode';
import { readSettings } from '../../config/settings';
import type { ApsServices } from '../../core/client';
import { MirrorError, MirrorPush, type PushPlan, type PushReport } from '../../core/mirror';
import type { TransferLog } from '../../core/transfer';
import type { UploadEngine } from '../../core/upload';
import { confirmPush, shownRootOf } from '../../mirror/pushQuestions';
import { pushedCounts } from '../../mirror/statusText';
import { JobDeclined, type JobRunner } from '../jobManager';
import type { FileFailure, PushJobPlan } from '../jobRecord';
import { jobProgress } from '../progressText';

/**
 * Pushes a mirror's local changes into APS: looks for them, shows the preview (the one confirmation), then runs
 * the accepted plan through the extension's upload engine (one connection cap for uploads and pushes). A push
 * stopped by Cancel or a reload resumes from the plan kept beside the mirror record, without asking again.
 * `pushed(root)` runs after each run, whatever its end (the Explorer's decorations read the new record).
 */
export function pushRunner(services: () => ApsServices, engine: UploadEngine, log: TransferLog, pushed: (root: string) => Promise<void>): JobRunner {
  return async (context) => {
    const plan = context.record.plan as PushJobPlan;
    const aps = services();
    const folder = vscode.Uri.file(plan.where.folder);
    const settings = readSettings(folder);
    context.update({ state: 'processing', detail: vscode.l10n.t('looking for changes here'), target: plan.root });
    let push: MirrorPush;
    try {
      push = await MirrorPush.open(plan.root, aps, context.signal);
    } catch (error) {
      await pushed(plan.root).catch(() => undefined);
      throw error instanceof MirrorError ? new Error(error.message) : error;
    }
    try {
      for (const note of push.notes) log('warn', note);
      let accepted: PushPlan | undefined = push.pending;
      if (accepted) log('info', `Finishing the push from ${plan.root} accepted ${accepted.acceptedAt ?? ''}`);
      else {
        const survey = await push.survey(context.signal);
        const decision = await confirmPush(context.prompts(), survey, (policy) => push.plan(survey, policy), settings.conflictPolicy, shownRootOf(plan.root, plan.where.folder), (line) => log('info', line));
        if (decision.kind === 'declined') throw new JobDeclined();
        if (decision.kind === 'nothing') return { message: nothingMessage(decision.plan, plan), target: plan.root };
        accepted = decision.plan;
      }
      plan.policy = accepted.policy;
      await context.savePlan();
      const upload = accepted.upload;
      const bytesDone = () => upload.files.reduce((sum, file) => sum + (file.state === 'uploaded' ? (file.result?.size ?? file.size) : 0), 0);
      const counts = () => ({ total: upload.files.length, finished: upload.files.filter((file) => file.state === 'uploaded' || file.state === 'skipped').length, failed: upload.files.filter((file) => file.state === 'failed').length });
      const before = bytesDone();
      context.update({ state: 'uploading', detail: vscode.l10n.t('starting to push') });
      const report = await push.run(accepted, {
        engine,
        signal: context.signal,
        connections: settings.connections,
        onProgress: (progress) => context.update({ state: 'uploading', progress: jobProgress(progress, before, counts()) }),
      });
      const failures = report.events.filter((event) => event.status === 'failed').map((event): FileFailure => ({ name: event.path, reason: event.error ?? vscode.l10n.t('unknown error') }));
      for (const folder of accepted.upload.folders) if (folder.error) failures.push({ name: `${folder.path.join('/')}/`, reason: folder.error });
      for (const entry of accepted.preview) if (entry.kind === 'refused') failures.push({ name: entry.path, reason: entry.reason });
      context.update({ failures, progress: { doneBytes: bytesDone(), bytesPerSecond: 0, files: counts() } });
      if (report.cancelled) throw context.signal.reason ?? new Error('cancelled');
      return { message: pushedMessage(report, plan), target: plan.root };
    } finally {
      await push.close();
      await pushed(plan.root).catch(() => undefined);
    }
  };
}

/** "Nothing to push from aps/Tower/Project Files/Mirror: no file changed here since the last mirror." */
function nothingMessage(accepted: PushPlan, plan: PushJobPlan): string {
  const where = shownRootOf(plan.root, plan.where.folder);
  const { conflicts, refused } = accepted.summary;
  if (conflicts + refused === 0) return vscode.l10n.t('Nothing to push from {0}: no file changed here since the last mirror.', where);
  return vscode.l10n.t('Nothing pushed from {0}: {1} files are in conflict or cannot go to APS (see the log).', where, conflicts + refused);
}

/** "Pushed aps/…/Mirror to APS: 1 new version, 2 new files, 1 new folder. 1 in conflict, left as they are." */
function pushedMessage(report: PushReport, plan: PushJobPlan): string {
  const where = shownRootOf(plan.root, plan.where.folder);
  const pushed = report.plan.upload.files.filter((file) => file.state === 'uploaded');
  const versions = pushed.filter((file) => file.action === 'new-version').length;
  const files = pushed.length - versions;

  const skipped = report.plan.summary.conflicts + report.events.filter((event) => event.status === 'skipped').length;
  const notes = [skipped ? vscode.l10n.t('{0} in conflict, left as they are', skipped) : '', report.plan.summary.refused ? vscode.l10n.t('{0} refused', report.plan.summary.refused) : ''].filter(Boolean);
  const line = vscode.l10n.t('Pushed {0} to APS: {1}.', where, pushedCounts(versions, files, report.folders.length));
  return notes.length ? `${line} ${vscode.l10n.t('{0}.', notes.join(', '))}` : line;
}
