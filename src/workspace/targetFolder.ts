import * as path from 'node:path';
import * as vscode from 'vscode';
import { readSettings, type ConflictPolicySetting } from '../config/settings';
import { isInside } from '../core/transfer';
import type { Prompts } from '../ui/prompts';

/** Where a job writes: the download folder inside the workspace folder the user chose. */
export interface TargetRoot {
  /** The folder the user chose (a workspace folder); nothing is written outside it. */
  folder: string;
  /** `<folder>/<downloadFolder>`: the layout starts here. */
  root: string;
  conflictPolicy: ConflictPolicySetting;
}

/** The parts of the window's workspace the choice depends on (the tests pass others). */
export interface WorkspaceView {
  readonly folders: readonly vscode.WorkspaceFolder[] | undefined;
  readonly isTrusted: boolean;
}

/**
 * The folder downloads go into: the workspace folder (asking which one in a multi-root workspace,
 * offering to open or choose one when none is open), then the download folder setting below it.
 * Undefined when the user declined or the workspace may not be written to.
 */
export async function chooseTargetRoot(prompts: Prompts, workspace: WorkspaceView = { folders: vscode.workspace.workspaceFolders, isTrusted: vscode.workspace.isTrusted }): Promise<TargetRoot | undefined> {
  if (!workspace.isTrusted) {
    const manageTrust = vscode.l10n.t('Manage Workspace Trust');
    const choice = await prompts.notify(
      'warning',
      vscode.l10n.t('Downloads write files into the workspace, which is in Restricted Mode. Trust this workspace to download; browsing and opening files read-only work without it.'),
      manageTrust,
    );
    if (choice === manageTrust) await vscode.commands.executeCommand('workbench.trust.manage');
    return undefined;
  }
  const folder = await chooseFolder(prompts, workspace.folders ?? []);
  if (!folder) return undefined;
  const settings = readSettings(folder);
  const root = path.resolve(folder.fsPath, settings.downloadFolder);
  if (!isInside(folder.fsPath, root)) {
    await prompts.notify(
      'error',
      vscode.l10n.t('The "apsExplorer.downloadFolder" setting ({0}) points outside {1}. Downloads only go inside the folder you chose.', settings.downloadFolder, folder.fsPath),
    );
    return undefined;
  }
  return { folder: folder.fsPath, root, conflictPolicy: settings.conflictPolicy };
}

async function chooseFolder(prompts: Prompts, open: readonly vscode.WorkspaceFolder[]): Promise<vscode.Uri | undefined> {
  const folders = open.filter((folder) => folder.uri.scheme === 'file');
  if (folders.length === 1) return folders[0].uri;
  if (folders.length > 1) {
    const picked = await prompts.quickPick(
      folders.map((folder) => ({ label: folder.name, description: folder.uri.fsPath, folder })),
      { title: vscode.l10n.t('Download into which workspace folder?'), placeHolder: vscode.l10n.t('Files go into this folder') },
    );
    return picked?.folder.uri;
  }
  const chooseFolder = vscode.l10n.t('Choose Folder…');
  const openFolder = vscode.l10n.t('Open Folder…');
  const choice = await prompts.notify('warning', vscode.l10n.t('Downloads go into a workspace folder, and none is open. Open a folder, or choose one for this download.'), chooseFolder, openFolder);
  if (choice === openFolder) {
    await vscode.commands.executeCommand('workbench.action.files.openFolder');
    return undefined;
  }
  if (choice !== chooseFolder) return undefined;
  return prompts.chooseFolder(vscode.l10n.t('Download Here'));
}
