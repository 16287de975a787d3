import * as vscode from 'vscode';
import type { MirrorManifest } from '../core/mirror';
import { formatNamesPath } from '../core/remote/address';

/** "5 minutes ago", "just now", or the date for anything older than a day. */
export function ago(iso: string, now = Date.now()): string {
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (seconds < 60) return vscode.l10n.t('just now');
  if (seconds < 3600) return vscode.l10n.t('{0} min ago', Math.floor(seconds / 60));
  if (seconds < 86_400) return vscode.l10n.t('{0} h ago', Math.floor(seconds / 3600));
  return new Date(iso).toLocaleString();
}

/** The status bar's short form: "Mirrored 5 min ago", with what needs attention. */
export function shortStatus(manifest: MirrorManifest, now = Date.now()): string {
  const run = manifest.lastRun;
  if (!run) return vscode.l10n.t('Mirror not finished yet');
  const notes = [run.conflicts ? vscode.l10n.t('{0} in conflict', run.conflicts) : '', run.failed ? vscode.l10n.t('{0} failed', run.failed) : ''].filter(Boolean);
  return [vscode.l10n.t('Mirrored {0}', ago(run.finishedAt, now)), ...notes].join(' · ');
}

/** The status line of the last mirror of a folder: what it mirrors, when, and what the run did. */
export function statusLine(manifest: MirrorManifest, now = Date.now()): string {
  const source = formatNamesPath(manifest.remote.names);
  const run = manifest.lastRun;
  if (!run) return vscode.l10n.t('Mirror of {0}: the first run has not finished; run it again to complete it.', source);
  const parts = [vscode.l10n.t('{0} new or updated', run.fetched), vscode.l10n.t('{0} unchanged', run.unchanged)];
  if (run.changedLocally) parts.push(vscode.l10n.t('{0} changed here', run.changedLocally));
  if (run.conflicts) parts.push(vscode.l10n.t('{0} in conflict', run.conflicts));
  if (run.removedRemotely) parts.push(vscode.l10n.t('{0} removed from APS', run.removedRemotely));
  if (run.deleted) parts.push(vscode.l10n.t('{0} deleted', run.deleted));
  if (run.failed) parts.push(vscode.l10n.t('{0} failed', run.failed));
  const state = run.complete ? '' : ` ${vscode.l10n.t('(incomplete: run it again)')}`;
  return vscode.l10n.t('Mirror of {0}, last run {1}: {2}.', source, ago(run.finishedAt, now), parts.join(', ')) + state + pushLine(manifest, now);
}

/** " Last push 5 min ago: 1 new version, 2 new files." when the mirror pushed local changes since its last run. */
function pushLine(manifest: MirrorManifest, now: number): string {
  const push = manifest.lastPush;
  if (!push || (manifest.lastRun && push.finishedAt < manifest.lastRun.finishedAt)) return '';
  const parts = [pushedCounts(push.newVersions, push.newFiles, push.newFolders)];
  if (push.conflicts) parts.push(vscode.l10n.t('{0} in conflict', push.conflicts));
  if (push.failed) parts.push(vscode.l10n.t('{0} failed', push.failed));
  return ` ${vscode.l10n.t('Last push {0}: {1}.', ago(push.finishedAt, now), parts.join(', '))}`;
}

/** "1 new version, 2 new files, 1 new folder" (the parts that are not 0; versions and files always). */
export function pushedCounts(versions: number, files: number, folders: number): string {
  const parts = [
    versions === 1 ? vscode.l10n.t('1 new version') : vscode.l10n.t('{0} new versions', versions),
    files === 1 ? vscode.l10n.t('1 new file') : vscode.l10n.t('{0} new files', files),
  ];
  if (folders) parts.push(folders === 1 ? vscode.l10n.t('1 new folder') : vscode.l10n.t('{0} new folders', folders));
  return parts.join(', ');
}
