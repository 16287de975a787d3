import * as vscode from 'vscode';
import { DETAILS_VIEW_ID, type DetailsView } from '../details/detailsView';
import type { TreeNode } from '../tree/nodes';

/** "Show Details": the Details view, about the node given (else the Hubs selection). Resolves to what it shows. */
export function registerDetailsCommand(details: DetailsView, hubs: vscode.TreeView<TreeNode>): vscode.Disposable {
  return vscode.commands.registerCommand('apsExplorer.showDetails', async (node?: TreeNode) => {
    await vscode.commands.executeCommand(`${DETAILS_VIEW_ID}.focus`);
    return details.show(node ?? hubs.selection[0]);
  });
}
