// `aps-explorer upload`: local files and folders into a folder in APS (new items, or new versions of the items
// of the same name), or one file as a new version of an item, through the upload engine.
import type { ApsServices } from '../core/client';
import { formatBytes } from '../core/format';
import { formatNamesPath } from '../core/remote/address';
import { locateRemote } from '../core/remote/locate';
import { defaultJournalDir, UploadEngine, uploadTargetOf, UploadTargetError, type ConflictChoice, type UploadFile, type UploadPlan } from '../core/upload';
import { ENVIRONMENT_HELP } from './connect';
import { UsageError } from './download';
import { REMOTE_HELP } from './ls';
import { duration, type Output } from './output';

export const UPLOAD_HELP = `Usage: aps-explorer upload <local file or folder>... <remote> [options]

Uploads files, and folders with everything below them (their subfolders made in APS, or
reused when they are there), into the folder <remote>. A file becomes a new item, or, when
the folder has a file of that name (compared ignoring case), what --conflict says. When
<remote> is a file in APS, the one local file becomes its next version.

Each file goes in parts over parallel connections; APS's size and SHA-1 of what it stored are
checked against the local file before its item or version is made, and an item or version is
never made twice, even when an answer from APS is lost. Ctrl-C stops; the same command
resumes, sending only the parts still missing. Progress is kept in
${defaultJournalDir()} ($APS_EXPLORER_STATE_DIR/uploads when set).

${REMOTE_HELP}

Options:
  --conflict CHOICE   for a name already taken: new-version (default), keep-both
                      (a numbered name: "Tower (1).rvt"), skip
  --connections N     parts of a file in flight, 1-16 (default 8)
  --part-size SIZE    largest part (default 64M, at least 5M; K, M, G)
  --dry-run           say what would be done, and do nothing
  --json              a JSON summary on stdout
  --quiet             no progress on stderr
  --base-url URL      another API origin (default: $APS_BASE_URL, else APS)
  -h, --help          this help

Exit status: 0 when every file was uploaded or skipped, 1 when one failed, 2 on a usage
error, 130 when stopped with Ctrl-C.

${ENVIRONMENT_HELP}`;

export interface UploadArgs {
  readonly sources: readonly string[];
  readonly remote: string;
  readonly conflict: ConflictChoice;
  readonly connections?: number;
  readonly partSize?: number;
  readonly dryRun: boolean;
}

const ACTIONS: Record<UploadFile['action'], string> = { 'new-item': 'new file', 'new-version': 'new version', skip: 'skip', refused: 'refused' };

/** Runs the upload; resolves to the exit status. */
export async function runUpload(args: UploadArgs, output: Output, signal: AbortSignal, services: () => ApsServices): Promise<number> {
  const started = performance.now();
  const aps = services();
  const engine = new UploadEngine(aps, { proxy: {}, log: (level, message) => level === 'warn' && output.note(`warning: ${message}`) });
  try {
    const at = await locateRemote(aps.dm, args.remote, signal);
    let target;
    try {
      target = await uploadTargetOf(aps.dm, at, signal);
    } catch (error) {
      throw error instanceof UploadTargetError ? new UsageError(error.message) : error;
    }
    const plan = await engine.plan(args.sources, target, { conflict: args.conflict, signal }).catch((error: unknown) => {
      throw error instanceof UploadTargetError ? new UsageError(error.message) : error;
    });
    output.note(planSentence(plan));
    if (args.dryRun) return dryRun(plan, output, started);
    const sending = new Map<UploadFile, { started?: number; seconds?: number }>();
    const result = await engine.run(plan, {
      connections: args.connections,
      partSize: args.partSize,
      signal,
      onProgress: (progress) => output.progress(progress),
      onFileProgress: (file, progress) => {
        const times = sending.get(file) ?? {};
        if (progress.phase === 'uploading') times.started ??= performance.now();
        else if (times.started !== undefined && times.seconds === undefined && progress.phase !== 'resolving') times.seconds = (performance.now() - times.started) / 1000;
        sending.set(file, times);
      },
      onFileSettled: (file) => report(plan, file, output),
    });
    return summarize(plan, result.cancelled, (performance.now() - started) / 1000, output, (file) => sending.get(file)?.seconds);
  } finally {
    // The process exits next, which closes the sockets at once.
    void engine.close().catch(() => undefined);
  }
}

/** "Uploading 3 files (12.0 MiB) into Hub/Project/Folder: 2 new, 1 new version, 1 new folder." */
function planSentence(plan: UploadPlan): string {
  const { summary, target } = plan;
  const parts = [`${summary.newItems} new`, summary.newVersions ? `${summary.newVersions} new version${summary.newVersions === 1 ? '' : 's'}` : '', summary.newFolders ? `${summary.newFolders} new folder${summary.newFolders === 1 ? '' : 's'}` : '', summary.skipped ? `${summary.skipped} skipped` : '', summary.refused ? `${summary.refused} refused` : ''];
  return `Uploading ${summary.files} file${summary.files === 1 ? '' : 's'} (${formatBytes(summary.bytes)}) into ${formatNamesPath(target.names)}: ${parts.filter(Boolean).join(', ')}.`;
}

/** The file's names below the target folder. */
function shownName(plan: UploadPlan, file: UploadFile): string {
  return plan.target.item ? file.name : formatNamesPath([...file.folder, file.name]);
}

function dryRun(plan: UploadPlan, output: Output, started: number): number {
  for (const folder of plan.folders) if (!folder.existing) output.line(`${folder.refused ? 'refused    ' : 'new folder '} ${formatNamesPath(folder.path)}${folder.refused ? `: ${folder.refused}` : ''}`);
  for (const file of plan.files) output.line(`${ACTIONS[file.action].padEnd(11)} ${shownName(plan, file)}${file.reason ? `: ${file.reason}` : ''}`);
  output.document({ ...documentOf(plan, () => undefined), dryRun: true, seconds: (performance.now() - started) / 1000 });
  return plan.summary.refused > 0 ? 1 : 0;
}

function report(plan: UploadPlan, file: UploadFile, output: Output): void {
  const name = shownName(plan, file);
  if (file.state === 'uploaded' && file.result) {
    const what = file.action === 'new-version' ? `version ${file.result.versionNumber ?? '?'}` : 'new file';
    output.line(`uploaded    ${name} (${formatBytes(file.result.size)}, ${what}${file.result.adopted ? ', found made already' : ''})`);
  } else if (file.state === 'skipped') output.line(`skipped     ${name} (exists)`);
  else if (file.state === 'failed') output.problem(`failed      ${name}: ${file.error ?? file.reason ?? 'unknown'}`);
}

function documentOf(plan: UploadPlan, sendSeconds: (file: UploadFile) => number | undefined): Record<string, unknown> {
  return {
    target: formatNamesPath(plan.target.names),
    ...plan.summary,
    folders: plan.folders.map((folder) => ({ name: formatNamesPath(folder.path), local: folder.localPath, existing: folder.existing, id: folder.id, ...(folder.refused ? { error: folder.refused } : {}) })),
    files: plan.files.map((file) => {
      const seconds = sendSeconds(file);
      return {
        name: shownName(plan, file),
        local: file.localPath,
        action: file.action,
        status: file.state,
        size: file.result?.size ?? file.size,
        ...(file.result
          ? { sha1: file.result.sha1, itemId: file.result.itemId, versionId: file.result.versionId, versionNumber: file.result.versionNumber, resumedBytes: file.result.resumedBytes, adopted: file.result.adopted }
          : {}),
        ...(seconds !== undefined ? { partsSeconds: seconds } : {}),
        ...(file.error ?? file.reason ? { error: file.error ?? file.reason } : {}),
      };
    }),
  };
}

function summarize(plan: UploadPlan, cancelled: boolean, seconds: number, output: Output, sendSeconds: (file: UploadFile) => number | undefined): number {
  const count = (state: UploadFile['state']) => plan.files.filter((file) => file.state === state).length;
  const bytes = plan.files.reduce((sum, file) => sum + (file.state === 'uploaded' ? (file.result?.size ?? 0) : 0), 0);
  output.document({ ...documentOf(plan, sendSeconds), uploaded: count('uploaded'), skipped: count('skipped'), failed: count('failed'), bytes, seconds, maxRssBytes: process.resourceUsage().maxRSS * 1024 });
  if (cancelled) {
    output.problem('Stopped. What was sent is kept: run the same command again to resume.');
    return 130;
  }
  const total = plan.files.length;
  output.note(
    `${count('uploaded')} of ${total} file${total === 1 ? '' : 's'} uploaded (${formatBytes(bytes)}) in ${seconds < 60 ? `${seconds.toFixed(1)}s` : duration(seconds)}${count('skipped') ? `, ${count('skipped')} skipped` : ''}${count('failed') ? `, ${count('failed')} failed` : ''}.`,
  );
  return count('failed') > 0 ? 1 : 0;
}

