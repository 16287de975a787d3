import * as path from 'node:path';
import * as vscode from 'vscode';
import { readSettings } from '../config/settings';
import { isInside } from '../core/transfer/names';
import type { TargetRoot } from '../jobs/jobRecord';
import type { Prompts } from '../ui/prompts';

/**
 * The folder downloads go into: the workspace folder (asking which one in a multi-root workspace,
 * offering to open or choose one when none is open), then the download folder setting below it.
 * Undefined when the user declined or the workspace may not be written to.
 */
export async function chooseTargetRoot(prompts: Prompts): Promise<TargetRoot | undefined> {
  if (!vscode.workspace.isTrusted) {
    const choice = await prompts.notify(
      'warning',
      'Downloads write files into the workspace, which is in Restricted Mode. Trust this workspace to download; browsing and opening files read-only work without it.',
      'Manage Workspace Trust',
    );
    if (choice === 'Manage Workspace Trust') await vscode.commands.executeCommand('workbench.trust.manage');
    return undefined;
  }
  const folder = await chooseFolder(prompts);
  if (!folder) return undefined;
  const settings = readSettings(folder);
  const root = path.resolve(folder.fsPath, settings.downloadFolder);
  if (!isInside(folder.fsPath, root)) {
    await prompts.notify('error', `The "apsExplorer.downloadFolder" setting (${settings.downloadFolder}) points outside ${folder.fsPath}. Downloads only go inside the folder you chose.`);
    return undefined;
  }
  return { folder: folder.fsPath, root, conflictPolicy: settings.conflictPolicy };
}

async function chooseFolder(prompts: Prompts): Promise<vscode.Uri | undefined> {
  const folders = (vscode.workspace.workspaceFolders ?? []).filter((folder) => folder.uri.scheme === 'file');
  if (folders.length === 1) return folders[0].uri;
  if (folders.length > 1) {
    const picked = await prompts.quickPick(
      folders.map((folder) => ({ label: folder.name, description: folder.uri.fsPath, folder })),
      { title: 'Download into which workspace folder?', placeHolder: 'Files go into this folder' },
    );
    return picked?.folder.uri;
  }
  const choice = await prompts.notify('warning', 'Downloads go into a workspace folder, and none is open. Open a folder, or choose one for this download.', 'Choose Folder…', 'Open Folder…');
  if (choice === 'Open Folder…') {
    await vscode.commands.executeCommand('workbench.action.files.openFolder');
    return undefined;
  }
  if (choice !== 'Choose Folder…') return undefined;
  const chosen = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, canSelectMany: false, openLabel: 'Download Here' });
  return chosen?.[0];
}
