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
  return vscode.l10n.t('Mirror of {0}, last run {1}: {2}.', source, ago(run.finishedAt, now), parts.join(', ')) + state;
}
