import * as vscode from 'vscode';
import { formatBytes } from '../core/format';
import { baseNameOf, type PushConflictKind, type PushPreviewEntry } from '../core/mirror';
import { formatNamesPath } from '../core/remote/address';

function conflictText(kind: PushConflictKind): string {
  switch (kind) {
    case 'remote-newer':
      return vscode.l10n.t('changed here and in APS');
    case 'remote-removed':
      return vscode.l10n.t('changed here and deleted from APS');
    case 'name-taken':
      return vscode.l10n.t('new here, and APS has another file of that name');
  }
}

/**
 * One line of a push's preview: "New version of Tower.rvt (v3 → v4)", "New file Notes.txt in Mirror/Level 1",
 * "New folder Level 2 in Mirror". APS folders are named from the mirrored folder down.
 */
export function previewText(entry: PushPreviewEntry, sourceNames: readonly string[]): string {
  const into = (folder: readonly string[]) => formatNamesPath(folder.slice(Math.max(0, sourceNames.length - 1)));
  switch (entry.kind) {
    case 'new-version': {
      const line =
        entry.from !== undefined
          ? vscode.l10n.t('New version of {0} (v{1} → v{2}, {3})', entry.path, entry.from, entry.to ?? entry.from + 1, formatBytes(entry.size))
          : vscode.l10n.t('New version of {0} ({1})', entry.path, formatBytes(entry.size));
      return entry.overwrites ? vscode.l10n.t('{0}: {1}; yours goes on top', line, conflictText(entry.overwrites)) : line;
    }
    case 'new-file': {
      const line =
        entry.name === baseNameOf(entry.path)
          ? vscode.l10n.t('New file {0} in {1} ({2})', entry.path, into(entry.folder), formatBytes(entry.size))
          : vscode.l10n.t('New file {0} as "{1}" in {2} ({3})', entry.path, entry.name, into(entry.folder), formatBytes(entry.size));
      return entry.keptBoth ? vscode.l10n.t('{0}: {1}; both kept', line, conflictText(entry.keptBoth)) : line;
    }
    case 'new-folder':
      return vscode.l10n.t('New folder {0} in {1}', entry.path, into(entry.folder));
    case 'in-aps':
      return entry.versionNumber !== undefined
        ? vscode.l10n.t('{0}: APS has these bytes already (v{1}), only recorded', entry.path, entry.versionNumber)
        : vscode.l10n.t('{0}: APS has these bytes already, only recorded', entry.path);
    case 'conflict': {
      const versions = [entry.here !== undefined ? vscode.l10n.t('v{0} here', entry.here) : '', entry.there !== undefined ? vscode.l10n.t('v{0} in APS', entry.there) : ''].filter(Boolean).join(', ');
      return versions ? vscode.l10n.t('Conflict: {0} was {1} ({2}): skipped', entry.path, conflictText(entry.conflict), versions) : vscode.l10n.t('Conflict: {0} was {1}: skipped', entry.path, conflictText(entry.conflict));
    }
    case 'refused':
      return vscode.l10n.t('Not pushed: {0}: {1}', entry.path, entry.reason);
    case 'deleted-here':
      return vscode.l10n.t('Not pushed: {0} was deleted here (a push never deletes in APS)', entry.path);
    case 'ignored':
      return vscode.l10n.t('Not pushed: {0} ({1})', entry.path, entry.reason);
  }
}
