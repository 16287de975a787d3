// `aps-explorer mirror <remote> <local-dir>`: a local copy of an APS folder or project, kept in step run after run.
import * as path from 'node:path';
import type { ApsServices } from '../core/client';
import { formatBytes } from '../core/format';
import { MANIFEST_FILE, mirrorSourceOf, MirrorError, NotMirrorable, runMirror, type MirrorDecisions, type MirrorFileEvent, type MirrorReport } from '../core/mirror';
import { formatNamesPath } from '../core/remote/address';
import { locateRemote } from '../core/remote/locate';
import { TransferEngine, type ConflictPolicy } from '../core/transfer';
import { ENVIRONMENT_HELP } from './connect';
import { UsageError } from './download';
import { REMOTE_HELP } from './ls';
import { duration, type Output } from './output';

export const MIRROR_HELP = `Usage: aps-explorer mirror <remote> <local-dir> [options]
       aps-explorer mirror <local-dir> --push [--dry-run] [--yes] [options]

Keeps <local-dir> a copy of an APS folder or project, its structure kept (names made
safe as downloads make them). The first run downloads everything; later runs list the
folder again and download only new files and files with a new version, writing nothing
else. What the mirror wrote is recorded in <local-dir>/${MANIFEST_FILE}.

A file changed here is never overwritten unless asked: when APS has a new version of it
too, or another file holds the path a file needs, that is a conflict, settled by
--conflict. Files removed from APS are reported, and deleted only with --delete (and only
those the mirror wrote and nobody changed since). Ctrl-C stops; the same command
continues without downloading finished files again.

With --push, the changes made in <local-dir> since the last mirror go back into the APS
folder its record names: a changed file becomes the next version of its file, a new file
a new file in the APS folder of its local folder, a new folder a new APS folder. First it
lists exactly what it will do (new version of X (v3 -> v4), new file Y in Z, new folder
W) and asks; without a terminal it needs --yes. A file APS changed since the last mirror
is a conflict, never overwritten unasked: skipped (default), kept both (yours becomes a
new file with a numbered name, and is renamed here to match), or overwritten (yours goes
on top) with --conflict. Files deleted here are listed, never deleted in APS. Ctrl-C
stops; the same command finishes the push, sending nothing twice.

${REMOTE_HELP}

Options:
  --delete            delete the local copies of files removed from APS
  --force             mirror into a folder that holds files but no mirror record:
                      files with APS's bytes are kept, the others are conflicts
  --conflict POLICY   keep-both (default: APS's version gets a numbered name beside
                      the local file), skip, overwrite; with --push: skip (default),
                      keep-both, overwrite
  --push              push local changes into APS instead (see above)
  --dry-run           with --push: list what would be pushed, and push nothing
  -y, --yes           with --push: push without asking
  --connections N     parallel connections per file, 1-16 (default 8)
  --no-verify         skip the SHA-1 check (sizes are always checked)
  --json              a JSON summary on stdout
  --quiet             no progress on stderr
  --base-url URL      another API origin (default: $APS_BASE_URL, else APS)
  -h, --help          this help

Exit status: 0 when the folder is in step (conflicts, local changes and files removed
from APS are reported, not failures) or everything listed was pushed (skipped conflicts
are reported, not failures), 1 when a file failed or was refused, the disk filled up, the
folder was refused or a push was not confirmed, 2 on a usage error, 130 when stopped with
Ctrl-C.

${ENVIRONMENT_HELP}`;

export interface MirrorArgs {
  readonly remote: string;
  readonly destination: string;
  readonly delete: boolean;
  readonly force: boolean;
  readonly conflict: ConflictPolicy;
  readonly connections?: number;
  readonly verify: boolean;
}

/** Runs the mirror; resolves to the exit status. */
export async function runMirrorCommand(args: MirrorArgs, output: Output, signal: AbortSignal, services: () => ApsServices): Promise<number> {
  const aps = services();
  const at = await locateRemote(aps.dm, args.remote, signal);
  let source;
  try {
    source = mirrorSourceOf(at);
  } catch (error) {
    if (error instanceof NotMirrorable) throw new UsageError(error.message);
    throw error;
  }
  const root = path.resolve(args.destination);
  const engine = new TransferEngine({ proxy: {}, log: (level, message) => level === 'warn' && output.note(`warning: ${message}`) });
  const decisions: MirrorDecisions = {
    adoptNonEmpty: async () => args.force,
    rebuildDamaged: async (_root, reason) => {
      output.note(`warning: the mirror record ${MANIFEST_FILE} is damaged (${reason}); rebuilding it by comparing each file with APS (size and SHA-1).`);
      return true;
    },
    conflicts: async () => args.conflict,
    deleteRemoved: async () => args.delete,
  };
  output.note(`Mirroring ${formatNamesPath(source.names)} into ${root}`);
  try {
    const report = await runMirror({
      root,
      source,
      services: aps,
      engine,
      decisions,
      connections: args.connections,
      verifySha1: args.verify,
      signal,
      onFile: (event) => line(event, output),
      onProgress: (progress) =>
        progress.files > 0 &&
        output.progress({
          files: progress.files,
          finishedFiles: progress.doneFiles,
          failedFiles: progress.failedFiles,
          skippedFiles: 0,
          activeFiles: progress.activeFiles,
          totalBytes: progress.totalBytes,
          transferredBytes: progress.doneBytes,
          bytesPerSecond: progress.bytesPerSecond,
          etaSeconds: progress.etaSeconds,
        }),
    });
    return summarize(report, output);
  } catch (error) {
    if (error instanceof MirrorError && error.code === 'declined') {
      throw new MirrorError('declined', `${error.message} Run with --force to mirror into it: files with APS's bytes are kept, the others are conflicts (--conflict).`);
    }
    throw error;
  } finally {
    void engine.close().catch(() => undefined);
  }
}

function line(event: MirrorFileEvent, output: Output): void {
  const version = event.versionNumber !== undefined ? `v${event.versionNumber}` : '';
  const size = event.size !== undefined ? formatBytes(event.size) : '';
  const facts = [size, version].filter(Boolean).join(', ');
  const about = facts ? ` (${facts})` : '';
  switch (event.status) {
    case 'fetched':
    case 'updated':
    case 'restored':
      return output.line(`${event.status.padEnd(11)} ${event.path}${about}`);
    case 'adopted':
      return output.line(`kept        ${event.path} (already here with APS's bytes)`);
    case 'moved':
      return output.line(`moved       ${event.other} -> ${event.path}`);
    case 'renamed':
      return output.line(`renamed     ${event.remotePath} -> ${event.path} (${event.other} is taken on Windows and macOS)`);
    case 'changed-locally':
      return output.line(`changed     ${event.path} (changed here; APS still has ${version || 'the mirrored version'})`);
    case 'conflict':
      return output.line(`conflict    ${event.path}: ${conflictText(event)}`);
    case 'removed-remotely':
      return output.line(`removed     ${event.path} (gone from APS; ${event.error ?? 'kept here, --delete deletes it'})`);
    case 'deleted':
      return output.line(`deleted     ${event.path} (gone from APS)`);
    case 'no-file':
      return output.line(`no file     ${event.path} (a sheet: export it as PDF in the extension)`);
    case 'failed':
      // A full disk is said once, at the end, with what to do.
      if (event.diskFull) return;
      return output.problem(`failed      ${event.path}: ${event.error}`);
  }
}

function conflictText(event: MirrorFileEvent): string {
  const what =
    event.conflict === 'edited'
      ? `changed here and in APS (${event.versionNumber !== undefined ? `now v${event.versionNumber}` : 'a new version'})`
      : event.conflict === 'moved'
        ? 'changed here and moved in APS'
        : "a file that is not APS's is in the way";
  switch (event.settled) {
    case 'keepBoth':
      return event.other ? `${what}; kept both, APS's is ${event.other}` : `${what}; APS's version written`;
    case 'kept-both-before':
      return `${what}; both kept${event.other ? ` (APS's is ${event.other})` : ''}`;
    case 'overwrite':
      return `${what}; overwritten with APS's version`;
    default:
      return `${what}; skipped`;
  }
}

function summarize(report: MirrorReport, output: Output): number {
  const { counts } = report;
  for (const { path: folder, reason } of report.unlisted) output.problem(`failed      ${folder}/: ${reason} (nothing was deleted)`);
  output.document({
    remote: formatNamesPath(report.source.names),
    local: report.root,
    complete: report.complete,
    ...(report.stopped ? { stopped: report.stopped } : {}),
    counts,
    bytes: report.bytes,
    batches: report.batches,
    seconds: report.seconds,
    files: report.events,
    unlisted: report.unlisted,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
  });
  if (report.manifestError) output.problem(`warning: the mirror record could not be saved (${report.manifestError}); the next run finds the files again by size and SHA-1.`);
  if (report.stopped === 'cancelled') {
    output.problem('Stopped. What arrived is kept: run the same command again to continue.');
    return 130;
  }
  const fetched = counts.fetched + counts.updated + counts.restored;
  const parts = [`${fetched} fetched (${formatBytes(report.bytes)})`, `${counts.unchanged + counts.adopted + counts.moved} unchanged`];
  if (counts['changed-locally']) parts.push(`${counts['changed-locally']} changed here`);
  if (counts.conflict) parts.push(`${counts.conflict} conflict${counts.conflict === 1 ? '' : 's'}`);
  if (counts['removed-remotely']) parts.push(`${counts['removed-remotely']} gone from APS`);
  if (counts.deleted) parts.push(`${counts.deleted} deleted`);
  if (counts.failed) parts.push(`${counts.failed} failed`);
  output.note(`${parts.join(', ')} in ${report.seconds < 60 ? `${report.seconds.toFixed(1)}s` : duration(report.seconds)}.`);
  if (report.stopped === 'no-space') {
    const at = report.events.find((event) => event.diskFull)?.path;
    output.problem(`Not enough disk space to write ${at ?? report.root}: free some space and run the same command again; it continues where it stopped.`);
    return 1;
  }
  return counts.failed > 0 || report.unlisted.length > 0 ? 1 : 0;
}
