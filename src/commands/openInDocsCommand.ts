import * as vscode from 'vscode';
import { entityWebLink } from '../tree/treeItems';
import type { TreeNode } from '../tree/nodes';
import type { FindContext } from './findContext';

/** "Open in Autodesk Docs": the web page of a project, folder, file or version (BIM 360 / ACC). Resolves to the URL opened. */
export function registerOpenInDocsCommand(ctx: FindContext): vscode.Disposable {
  return vscode.commands.registerCommand('apsExplorer.openInDocs', async (node?: TreeNode): Promise<string | undefined> => {
    const target = node ?? ctx.view.selection[0];
    const link = target && entityWebLink(target);
    if (!link) {
      await ctx.prompts().notify('info', vscode.l10n.t('Select a BIM 360 or ACC project, folder or file first: Fusion and personal hubs have no Autodesk Docs pages.'));
      return undefined;
    }
    const opened = await ctx.prompts().openExternal(link);
    if (!opened) ctx.log.info(`The browser did not confirm it opened ${link}`);
    return link;
  });
}
