import * as vscode from 'vscode';
import type { HubsModel } from '../tree/hubsModel';
import { entityOf, type ContainerNode, type TreeNode } from '../tree/nodes';
import type { Prompts } from '../ui/prompts';

interface Pick extends vscode.QuickPickItem {
  node?: TreeNode;
  choose?: boolean;
}

const ICONS: Partial<Record<TreeNode['kind'], string>> = { hub: '$(organization)', project: '$(project)', folder: '$(folder)', item: '$(file)', version: '$(circle-outline)' };

/**
 * The palette form of a tree command without a selection: step from hubs down to the file (or folder)
 * in quick picks. `accept` says which nodes the command can take; a folder it accepts can be chosen
 * itself or opened.
 */
export async function pickEntity(model: HubsModel, prompts: Prompts, title: string, accept: (node: TreeNode) => boolean): Promise<TreeNode | undefined> {
  let parent: ContainerNode | undefined;
  for (;;) {
    const children = await model.children(parent);
    if (children.some((child) => child.kind === 'loadMore')) {
      await model.loadAll(parent);
      continue;
    }
    const picks: Pick[] = [];
    if (parent && accept(parent)) picks.push({ label: `$(check) ${parent.kind === 'folder' ? vscode.l10n.t('Choose {0}', parent.folder.name) : vscode.l10n.t('Choose this')}`, node: parent, choose: true });
    for (const child of children) {
      if (child.kind === 'error') picks.push({ label: `$(error) ${child.error.userMessage}` });
      else if (child.kind === 'empty') picks.push({ label: `$(info) ${vscode.l10n.t('Nothing here')}` });
      else if (child.kind !== 'loadMore' && (child.kind !== 'version' || accept(child))) picks.push({ label: `${ICONS[child.kind] ?? ''} ${nameOf(child)}`, node: child });
    }
    const picked = await prompts.quickPick(picks, { title, placeHolder: parent ? vscode.l10n.t('In {0}', nameOf(parent)) : vscode.l10n.t('Choose a hub') });
    if (!picked?.node) return undefined;
    const node = picked.node;
    if (picked.choose || node.kind === 'version' || (node.kind === 'item' && accept(node))) return node;
    if (node.kind === 'hub' || node.kind === 'project' || node.kind === 'folder' || node.kind === 'item') parent = node;
  }
}

function nameOf(node: TreeNode): string {
  return node.kind === 'version' ? vscode.l10n.t('v{0}', node.version.versionNumber ?? '?') : (entityOf(node)?.name ?? '');
}
