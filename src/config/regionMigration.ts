import * as vscode from 'vscode';
import type { Prompts } from '../ui/prompts';
import { SECTION } from './settings';

/** APS no longer lists APAC; its Australian data center is AUS. */
export const OBSOLETE_REGIONS: Readonly<Record<string, string>> = { APAC: 'AUS' };

const TARGETS = [
  ['globalValue', vscode.ConfigurationTarget.Global],
  ['workspaceValue', vscode.ConfigurationTarget.Workspace],
  ['workspaceFolderValue', vscode.ConfigurationTarget.WorkspaceFolder],
] as const;

/**
 * Rewrites a stored obsolete region (APAC) to the one APS lists today (AUS), wherever it is stored, and says
 * so once: after the rewrite nothing obsolete is left to find. Answers the regions it rewrote.
 */
export async function migrateRegionSetting(prompts: Prompts): Promise<string[]> {
  const config = vscode.workspace.getConfiguration(SECTION);
  const stored = config.inspect<string>('region');
  const rewritten: string[] = [];
  for (const [key, target] of TARGETS) {
    const value = stored?.[key];
    const replacement = value === undefined ? undefined : OBSOLETE_REGIONS[value.trim().toUpperCase()];
    if (!replacement) continue;
    if (target === vscode.ConfigurationTarget.Workspace && !vscode.workspace.workspaceFolders) continue;
    await config.update('region', replacement, target);
    rewritten.push(`${value} → ${replacement}`);
  }
  if (rewritten.length > 0) {
    void prompts.notify('info', vscode.l10n.t('APS no longer has an APAC region: the "apsExplorer.region" setting now says AUS, where APS keeps Australian data.'));
  }
  return rewritten;
}
