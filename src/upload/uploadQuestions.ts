import * as path from 'node:path';
import * as vscode from 'vscode';
import type { UploadConflictSetting } from '../config/settings';
import { formatBytes, formatDate } from '../core/format';
import { formatNamesPath } from '../core/remote/address';
import type { ConflictChoice, UploadConflict, UploadConflictPolicy, UploadPlan } from '../core/upload';
import type { Prompts } from '../ui/prompts';

const POLICIES: Record<UploadConflictSetting, UploadConflictPolicy> = { ask: 'ask', newVersion: 'new-version', keepBoth: 'keep-both', skip: 'skip' };

/** The engine's conflict policy for the `apsExplorer.uploadConflictPolicy` setting. */
export function uploadConflictPolicy(setting: UploadConflictSetting): UploadConflictPolicy {
  return POLICIES[setting] ?? 'ask';
}

interface ConflictPick extends vscode.QuickPickItem {
  choice?: ConflictChoice;
  forAll?: boolean;
}

/**
 * Asks about each name taken in the target folder, one quick pick per name; with `several` files it also
 * offers the same answer for every later name. Resolves to undefined when the question was dismissed.
 */
export function conflictQuestion(prompts: () => Prompts, several: boolean): (conflict: UploadConflict) => Promise<ConflictChoice | undefined> {
  let forAll: ConflictChoice | undefined;
  return async ({ file, existing, folderNames }) => {
    if (forAll) return forAll;
    const next = existing.versionNumber !== undefined ? vscode.l10n.t('becomes v{0} of "{1}"', existing.versionNumber + 1, existing.name) : vscode.l10n.t('becomes the next version of "{0}"', existing.name);
    const picks: ConflictPick[] = [
      { label: `$(versions) ${vscode.l10n.t('New Version')}`, description: next, choice: 'new-version' },
      { label: `$(files) ${vscode.l10n.t('Keep Both')}`, description: vscode.l10n.t('a new file with a numbered name, such as "{0}"', numberedExample(existing.name)), choice: 'keep-both' },
      { label: `$(debug-step-over) ${vscode.l10n.t('Skip')}`, description: vscode.l10n.t('leave "{0}" as it is', existing.name), choice: 'skip' },
    ];
    if (several) {
      picks.push(
        { label: vscode.l10n.t('Every other name taken in this upload'), kind: vscode.QuickPickItemKind.Separator },
        { label: `$(versions) ${vscode.l10n.t('New Version for All')}`, choice: 'new-version', forAll: true },
        { label: `$(files) ${vscode.l10n.t('Keep Both for All')}`, choice: 'keep-both', forAll: true },
        { label: `$(debug-step-over) ${vscode.l10n.t('Skip All')}`, choice: 'skip', forAll: true },
      );
    }
    const facts = [existing.versionNumber !== undefined ? vscode.l10n.t('v{0}', existing.versionNumber) : '', formatBytes(existing.size), formatDate(existing.lastModifiedTime)].filter(Boolean).join(', ');
    const picked = await prompts().quickPick(picks, {
      title: vscode.l10n.t('"{0}" is already in {1}', existing.name, folderNames.at(-1) ?? ''),
      placeHolder: facts
        ? vscode.l10n.t('It is there as {0}. What should the upload of "{1}" do?', facts, file.localPath)
        : vscode.l10n.t('What should the upload of "{0}" do?', file.localPath),
      ignoreFocusOut: true,
    });
    if (!picked?.choice) return undefined;
    if (picked.forAll) forAll = picked.choice;
    return picked.choice;
  };
}

function numberedExample(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? `${name.slice(0, dot)} (1)${name.slice(dot)}` : `${name} (1)`;
}

/** BIM 360 and ACC projects are shared work: their uploads are confirmed before anything is written. */
export function needsConfirmation(plan: UploadPlan): boolean {
  const { kind } = plan.target;
  return (kind === 'bim360' || kind === 'acc') && plan.summary.files + plan.summary.newFolders > 0;
}

/** One modal question with where the files go and what the upload makes; true when the user chose Upload. */
export async function confirmUpload(prompts: Prompts, plan: UploadPlan): Promise<boolean> {
  const upload = vscode.l10n.t('Upload');
  const answer = await prompts.warning(confirmationMessage(plan), { modal: true, detail: confirmationDetail(plan) }, upload);
  return answer === upload;
}

/** "Upload 3 files (12.0 MiB) to Hub/Project/Folder?" */
export function confirmationMessage(plan: UploadPlan): string {
  const { summary, target } = plan;
  const where = formatNamesPath(target.names.slice(0, target.item ? -1 : undefined));
  const sending = plan.files.filter((file) => file.action === 'new-item' || file.action === 'new-version');
  if (target.item && sending.length === 1) return vscode.l10n.t('Upload "{0}" ({1}) as a new version of "{2}" in {3}?', path.basename(sending[0].localPath), formatBytes(summary.bytes), target.item.name, where);
  if (sending.length === 1) return vscode.l10n.t('Upload "{0}" ({1}) to {2}?', path.basename(sending[0].localPath), formatBytes(summary.bytes), where);
  return vscode.l10n.t('Upload {0} files ({1}) to {2}?', summary.files, formatBytes(summary.bytes), where);
}

/** "2 new files, 1 new version of a file already there, 1 new folder. 1 skipped (its name is taken). 1 refused: …" */
export function confirmationDetail(plan: UploadPlan): string {
  const { summary } = plan;
  const made = [
    count(summary.newItems, vscode.l10n.t('1 new file'), vscode.l10n.t('{0} new files', summary.newItems)),
    count(summary.newVersions, vscode.l10n.t('1 new version of a file already there'), vscode.l10n.t('{0} new versions of files already there', summary.newVersions)),
    count(summary.newFolders, vscode.l10n.t('1 new folder'), vscode.l10n.t('{0} new folders', summary.newFolders)),
  ].filter(Boolean);
  const lines = [made.length ? `${made.join(', ')}.` : vscode.l10n.t('No new files or versions.')];
  if (summary.skipped) lines.push(count(summary.skipped, vscode.l10n.t('1 file is skipped: its name is taken.'), vscode.l10n.t('{0} files are skipped: their names are taken.', summary.skipped)));
  const refused = plan.files.filter((file) => file.action === 'refused');
  if (refused.length) {
    const reasons = refused.slice(0, 3).map((file) => file.reason ?? file.localPath);
    lines.push(
      refused.length > 3
        ? vscode.l10n.t('{0} files cannot go: {1} and {2} more.', refused.length, reasons.join(' '), refused.length - 3)
        : count(refused.length, vscode.l10n.t('1 file cannot go: {0}', reasons.join(' ')), vscode.l10n.t('{0} files cannot go: {1}', refused.length, reasons.join(' '))),
    );
  }
  lines.push(vscode.l10n.t('Everyone with access to the project will see what you upload. Nothing is written until you choose Upload.'));
  return lines.join('\n');
}

function count(n: number, one: string, many: string): string {
  return n === 0 ? '' : n === 1 ? one : many;
}
