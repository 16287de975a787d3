// `aps-explorer mirror <local-dir> --push`: a mirror's local changes back into APS, after a preview of exactly
// what will be made (printed, and confirmed on a terminal or with --yes).
import * as path from 'node:path';
import type { ApsServices } from '../core/client';
import { formatBytes } from '../core/format';
import { baseNameOf, MirrorPush, type PushConflictKind, type PushConflictPolicy, type PushFileEvent, type PushPlan, type PushPreviewEntry, type PushReport } from '../core/mirror';
import { formatNamesPath } from '../core/remote/address';
import { UploadEngine } from '../core/upload';
import { duration, type Output } from './output';

export interface PushArgs {
  /** The mirror's folder. */
  readonly destination: string;
  readonly conflict: PushConflictPolicy;
  readonly connections?: number;
  readonly dryRun: boolean;
  readonly yes: boolean;
}

const CONFLICT_TEXT: Record<PushConflictKind, string> = {
  'remote-newer': 'changed here and in APS',
  'remote-removed': 'changed here and deleted from APS',
  'name-taken': 'new here, and APS has another file of that name',
};

/** Runs the push (or finishes a pending one); resolves to the exit status. */
export async function runPushCommand(args: PushArgs, output: Output, signal: AbortSignal, services: () => ApsServices): Promise<number> {
  const started = performance.now();
  const aps = services();
  const push = await MirrorPush.open(path.resolve(args.destination), aps, signal);
  try {
    for (const note of push.notes) output.note(`warning: ${note}`);
    const remote = formatNamesPath(push.source.names);
    let plan: PushPlan;
    if (push.pending) {
      plan = push.pending;
      const left = plan.upload.files.filter((file) => file.state !== 'uploaded' && file.state !== 'skipped').length;
      output.note(`Finishing the push to ${remote} accepted ${plan.acceptedAt ?? ''}: ${left} file${left === 1 ? '' : 's'} left to send. Push again afterwards for changes made since.`);
      if (args.dryRun) return dryRun(plan, output, started, true);
    } else {
      plan = push.plan(await push.survey(signal), args.conflict);
      for (const entry of plan.preview) output.line(previewLine(entry, push.source.names));
      if (!hasWork(plan)) {
        output.note(plan.preview.length ? `Nothing to push to ${remote}.` : `Nothing to push: no file here changed since the last mirror of ${remote}.`);
        return args.dryRun ? dryRun(plan, output, started, false) : finish(plan, undefined, output, started);
      }
      output.note(planSentence(plan, remote));
      if (args.dryRun) return dryRun(plan, output, started, false);
      if (!args.yes) {
        const answer = await output.confirm(`Push these changes to ${remote}? [y/N] `, signal);
        if (answer === undefined) {
          output.problem('Nothing was pushed: there is no terminal to confirm on. Run again with --yes to push what is listed above, or --dry-run to list it only.');
          return 1;
        }
        if (!answer) {
          output.note('Nothing was pushed.');
          return 1;
        }
      }
    }
    const engine = new UploadEngine(aps, { proxy: {}, log: (level, message) => level === 'warn' && output.note(`warning: ${message}`) });
    try {
      const report = await push.run(plan, {
        engine,
        signal,
        connections: args.connections,
        onProgress: (progress) => output.progress(progress),
        onFile: (event) => eventLine(event, output),
      });
      return finish(plan, report, output, started);
    } finally {
      // The process exits next, which closes the sockets at once.
      void engine.close().catch(() => undefined);
    }
  } finally {
    await push.close();
  }
}

function hasWork(plan: PushPlan): boolean {
  const { summary } = plan;
  return summary.newVersions + summary.newFiles + summary.newFolders + summary.inAps > 0;
}

/** One line of the preview, in the mirror's terms: paths below its folder, APS folders from the one it mirrors down. */
export function previewLine(entry: PushPreviewEntry, sourceNames: readonly string[]): string {
  const into = (folder: readonly string[]) => formatNamesPath(folder.slice(Math.max(0, sourceNames.length - 1)));
  switch (entry.kind) {
    case 'new-version': {
      const versions = entry.from !== undefined ? `v${entry.from} -> v${entry.to}, ` : '';
      return `new version ${entry.path} (${versions}${formatBytes(entry.size)})${entry.overwrites ? `: ${CONFLICT_TEXT[entry.overwrites]}; yours goes on top` : ''}`;
    }
    case 'new-file':
      return `new file    ${entry.path}${entry.name !== baseNameOf(entry.path) ? ` as "${entry.name}"` : ''} (${formatBytes(entry.size)}) in ${into(entry.folder)}${entry.keptBoth ? `: ${CONFLICT_TEXT[entry.keptBoth]}; both kept` : ''}`;
    case 'new-folder':
      return `new folder  ${entry.path}/ in ${into(entry.folder)}`;
    case 'in-aps':
      return `in APS      ${entry.path} (APS has these bytes already${entry.versionNumber !== undefined ? ` as v${entry.versionNumber}` : ''}: recorded only)`;
    case 'conflict': {
      const versions = [entry.here !== undefined ? `v${entry.here} here` : '', entry.there !== undefined ? `v${entry.there} in APS` : ''].filter(Boolean).join(', ');
      return `conflict    ${entry.path}: ${CONFLICT_TEXT[entry.conflict]}${versions ? ` (${versions})` : ''}; skipped`;
    }
    case 'refused':
      return `refused     ${entry.path}: ${entry.reason}`;
    case 'deleted-here':
      return `not pushed  ${entry.path} (deleted here: a push never deletes in APS)`;
    case 'ignored':
      return `not pushed  ${entry.path} (${entry.reason})`;
  }
}

/** "Push to Hub/Project/Folder: 1 new version, 2 new files, 1 new folder (3.0 KiB); 1 conflict skipped …" */
function planSentence(plan: PushPlan, remote: string): string {
  const { summary } = plan;
  const plural = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;
  const made = [
    summary.newVersions ? plural(summary.newVersions, 'new version') : '',
    summary.newFiles ? plural(summary.newFiles, 'new file') : '',
    summary.newFolders ? plural(summary.newFolders, 'new folder') : '',
    summary.inAps ? `${summary.inAps} already in APS` : '',
  ].filter(Boolean);
  const notes = [
    summary.conflicts ? `${plural(summary.conflicts, 'conflict')} skipped (--conflict keep-both or overwrite to push ${summary.conflicts === 1 ? 'it' : 'them'})` : '',
    summary.refused ? `${summary.refused} refused` : '',
    summary.deletedHere ? `${summary.deletedHere} deleted here, not deleted in APS` : '',
  ].filter(Boolean);
  return `Push to ${remote}: ${made.join(', ')} (${formatBytes(summary.bytes)})${notes.length ? `; ${notes.join('; ')}` : ''}.`;
}

function eventLine(event: PushFileEvent, output: Output): void {
  const facts = [event.action === 'new-item' ? 'new file' : event.versionNumber !== undefined ? `v${event.versionNumber}` : '', event.size !== undefined ? formatBytes(event.size) : ''].filter(Boolean).join(', ');
  switch (event.status) {
    case 'pushed':
      if (event.error) return output.line(`pushed      ${event.path} (${facts}; ${event.error})`);
      return output.line(`pushed      ${event.path}${event.movedTo ? ` as ${event.movedTo}` : ''} (${facts})`);
    case 'recorded':
      return output.line(`recorded    ${event.path} (APS had these bytes${event.versionNumber !== undefined ? ` as v${event.versionNumber}` : ''})`);
    case 'skipped':
      return output.line(`skipped     ${event.path} (APS changed it during the push: a conflict, left as it is)`);
    case 'failed':
      return output.problem(`failed      ${event.path}: ${event.error ?? 'unknown error'}`);
  }
}

function dryRun(plan: PushPlan, output: Output, started: number, pending: boolean): number {
  if (pending) for (const entry of plan.preview) output.line(previewLine(entry, plan.source.names));
  output.document({ ...documentOf(plan, undefined), dryRun: true, seconds: (performance.now() - started) / 1000 });
  return plan.summary.refused > 0 ? 1 : 0;
}

function documentOf(plan: PushPlan, report: PushReport | undefined): Record<string, unknown> {
  return {
    remote: formatNamesPath(plan.source.names),
    local: plan.root,
    policy: plan.policy,
    summary: plan.summary,
    preview: plan.preview,
    ...(report
      ? { resumed: report.resumed, cancelled: report.cancelled, files: report.events, folders: report.folders, bytes: report.bytes, seconds: report.seconds, maxRssBytes: process.resourceUsage().maxRSS * 1024 }
      : {}),
  };
}

function finish(plan: PushPlan, report: PushReport | undefined, output: Output, started: number): number {
  output.document(documentOf(plan, report));
  if (!report) return plan.summary.refused > 0 ? 1 : 0;
  if (report.manifestError) output.problem(`warning: the mirror record could not be saved (${report.manifestError}); the next push finds the pushed files in APS by their bytes.`);
  if (report.cancelled) {
    output.problem('Stopped. What was sent is kept: run the same command again to finish the push.');
    return 130;
  }
  const count = (status: PushFileEvent['status']) => report.events.filter((event) => event.status === status).length;
  const seconds = (performance.now() - started) / 1000;
  const parts = [count('recorded') ? `${count('recorded')} recorded` : '', report.folders.length ? `${report.folders.length} new folder${report.folders.length === 1 ? '' : 's'}` : '', count('skipped') ? `${count('skipped')} skipped` : '', count('failed') ? `${count('failed')} failed` : ''].filter(Boolean);
  output.note(`Pushed ${count('pushed')} file${count('pushed') === 1 ? '' : 's'} (${formatBytes(report.bytes)}) in ${seconds < 60 ? `${seconds.toFixed(1)}s` : duration(seconds)}${parts.length ? `; ${parts.join(', ')}` : ''}.`);
  return count('failed') > 0 || plan.summary.refused > 0 ? 1 : 0;
}
