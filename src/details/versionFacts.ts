import * as vscode from 'vscode';
import type { Version } from '../core/dm/models';
import type { ApsServices } from '../core/client';
import { formatBytes, formatDate } from '../tree/format';

export const FACTS_SCHEME = 'aps-details';

/** `aps-details:/<project id>/<version id>/<label>.txt`: a read-only text page of a version's facts. */
export function factsUri(projectId: string, versionId: string, label: string): vscode.Uri {
  return vscode.Uri.from({ scheme: FACTS_SCHEME, path: `/${encodeURIComponent(projectId)}/${encodeURIComponent(versionId)}/${label.replace(/[/\\]/g, '_')}.txt` });
}

/**
 * The facts of a version as text, one per line, so that VS Code's diff editor can set two versions of a
 * binary file side by side and mark what changed: size, SHA-1 (when storage reports one), dates, users,
 * process state.
 */
export class VersionFactsProvider implements vscode.TextDocumentContentProvider {
  constructor(private readonly services: () => ApsServices | undefined) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const [projectId, versionId] = uri.path.split('/').filter(Boolean).map(decodeURIComponent);
    const services = this.services();
    if (!services) return vscode.l10n.t('Sign in to APS to see the details of this version.');
    try {
      const version = await services.dm.getVersion(projectId, versionId);
      const sha1 = version.storage ? await services.oss.signedDownload(version.storage, { minutesExpiration: 1 }).then((signed) => signed.sha1, () => undefined) : undefined;
      return versionFacts(version, sha1);
    } catch (error) {
      return vscode.l10n.t('Could not read this version: {0}', error instanceof Error ? error.message : String(error));
    }
  }
}

export function versionFacts(version: Version, sha1: string | undefined): string {
  const rows: Array<[string, string | undefined]> = [
    [vscode.l10n.t('File name'), version.name],
    [vscode.l10n.t('Version'), version.versionNumber === undefined ? undefined : String(version.versionNumber)],
    [vscode.l10n.t('Size'), version.storageSize === undefined ? vscode.l10n.t('no file of its own') : vscode.l10n.t('{0} ({1} bytes)', formatBytes(version.storageSize), version.storageSize.toLocaleString())],
    [vscode.l10n.t('SHA-1'), sha1 ?? vscode.l10n.t('not reported by storage')],
    [vscode.l10n.t('File type'), version.fileType],
    [vscode.l10n.t('MIME type'), version.mimeType],
    [vscode.l10n.t('Created'), formatDate(version.createTime)],
    [vscode.l10n.t('Created by'), version.createUserName],
    [vscode.l10n.t('Modified'), formatDate(version.lastModifiedTime)],
    [vscode.l10n.t('Modified by'), version.lastModifiedUserName],
    [vscode.l10n.t('Process state'), version.processState],
    [vscode.l10n.t('Extraction state'), version.extractionState],
    [vscode.l10n.t('Version ID'), version.id],
    [vscode.l10n.t('Storage'), version.storageUrn],
  ];
  const shown = rows.filter((row): row is [string, string] => Boolean(row[1]));
  const width = Math.max(...shown.map(([label]) => label.length)) + 2;
  return `${shown.map(([label, value]) => `${`${label}:`.padEnd(width)}${value}`).join('\n')}\n`;
}
