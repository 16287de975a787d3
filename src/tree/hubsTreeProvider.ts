import * as vscode from 'vscode';
import type { HubsModel } from './hubsModel';
import { isContainer, isFileNode, type ItemNode, type TreeNode, type VersionNode } from './nodes';
import { toTreeItem, type CapabilityProbe } from './treeItems';

/** Renders the HubsModel; all state lives in the model. */
export class HubsTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly unsubscribe: () => void;
  capabilities: CapabilityProbe = () => [];
  /** A file's or version's tooltip, built when it is hovered (it may fetch a thumbnail). */
  fileTooltip?: (node: ItemNode | VersionNode, token: vscode.CancellationToken) => Promise<vscode.MarkdownString>;

  constructor(
    private readonly model: HubsModel,
    private readonly isSignedIn: () => boolean,
  ) {
    this.unsubscribe = model.onDidChange((node) => this.changed.fire(node));
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    return toTreeItem(node, node.kind === 'folder' ? this.model.filterOf(node) : undefined, this.capabilities);
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    if (!this.isSignedIn()) return [];
    if (node && !isContainer(node)) return [];
    return this.model.children(node);
  }

  async resolveTreeItem(item: vscode.TreeItem, node: TreeNode, token: vscode.CancellationToken): Promise<vscode.TreeItem> {
    if (item.tooltip === undefined && isFileNode(node) && this.fileTooltip) item.tooltip = await this.fileTooltip(node, token);
    return item;
  }

  getParent(node: TreeNode): TreeNode | undefined {
    return this.model.parent(node);
  }

  /** Re-render everything (signed in or out, capabilities changed) without reloading data. */
  rerender(): void {
    this.changed.fire(undefined);
  }

  dispose(): void {
    this.unsubscribe();
    this.changed.dispose();
  }
}
