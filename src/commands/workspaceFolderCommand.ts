import * as vscode from 'vscode';
import { folderUri } from '../fs/apsUri';
import type { FolderNode } from '../tree/nodes';
import type { FindContext } from './findContext';
import { pickEntity } from './pickEntity';

/**
 * "Add Folder to Workspace (read-only)": the APS folder as a workspace folder (`aps://folder/…`), so VS Code's
 * Explorer lists it and opens, copies and compares its files. Resolves to the folder's URI.
 */
export function registerWorkspaceFolderCommand(ctx: FindContext): vscode.Disposable {
  return vscode.commands.registerCommand('apsExplorer.addFolderToWorkspace', async (node?: FolderNode): Promise<vscode.Uri | undefined> => {
    const selected = node ?? ctx.view.selection[0];
    const folder =
      selected?.kind === 'folder' ? selected : await pickEntity(ctx.model, ctx.prompts(), vscode.l10n.t('APS: Add Folder to Workspace (read-only)'), (candidate) => candidate.kind === 'folder');
    if (folder?.kind !== 'folder') return undefined;
    const uri = folderUri({ projectId: folder.project.id, folderId: folder.folder.id, path: [] });
    const existing = vscode.workspace.getWorkspaceFolder(uri);
    if (!existing) {
      const name = vscode.l10n.t('{0} ({1}, APS, read-only)', folder.folder.name, folder.project.name);
      if (!vscode.workspace.updateWorkspaceFolders(vscode.workspace.workspaceFolders?.length ?? 0, 0, { uri, name })) {
        await ctx.prompts().notify('error', vscode.l10n.t('VS Code did not add {0} to the workspace.', folder.folder.name));
        return undefined;
      }
      // The change takes effect asynchronously; the event says it has.
      await new Promise<void>((resolve) => {
        const listener = vscode.workspace.onDidChangeWorkspaceFolders(() => {
          listener.dispose();
          resolve();
        });
      });
    }
    await vscode.commands.executeCommand('workbench.view.explorer');
    return uri;
  });
}
