import * as vscode from 'vscode';
import type { DataManagementClient } from '../core/dm/dataManagement';
import { toBase64UrlUrn } from '../core/dm/ids';
import { parseRemoteIds, type RemoteIds } from '../core/remote/address';
import { locateIds, RemoteNotFound } from '../core/remote/locate';
import type { ExtensionLog } from '../log/logChannel';
import type { HubsModel } from '../tree/hubsModel';
import { entityOf, isContainer, type ContainerNode, type ErrorNode, type FolderNode, type LoadMoreNode, type TreeNode } from '../tree/nodes';
import { entityWebLink } from '../tree/treeItems';
import type { Prompts } from '../ui/prompts';
import { reportFailure } from './errors';

export interface TreeCommandContext {
  model: HubsModel;
  view: vscode.TreeView<TreeNode>;
  /** The signed-in account's Data Management client (Reveal looks things up with it). */
  dm: () => DataManagementClient | undefined;
  prompts: () => Prompts;
  log: ExtensionLog;
}

export function registerTreeCommands(ctx: TreeCommandContext): vscode.Disposable[] {
  const { model, view } = ctx;
  const selected = (node?: TreeNode): TreeNode | undefined => node ?? view.selection[0];
  const loading = <T>(work: () => Promise<T>) => vscode.window.withProgress({ location: { viewId: 'apsExplorer.hubs' } }, work);
  return [
    vscode.commands.registerCommand('apsExplorer.refresh', () => model.refresh()),
    vscode.commands.registerCommand('apsExplorer.refreshNode', (node?: TreeNode) => {
      const target = selected(node);
      model.refresh(target && isContainer(target) ? target : undefined);
    }),
    // From a keybinding there is no node argument: these fall back to the tree selection.
    vscode.commands.registerCommand('apsExplorer.loadMore', (node?: LoadMoreNode) => {
      const target = selected(node);
      if (target?.kind === 'loadMore') return loading(() => model.loadMore(target.parent));
    }),
    vscode.commands.registerCommand('apsExplorer.loadAll', (node?: LoadMoreNode | ContainerNode) => {
      const target = selected(node);
      if (target?.kind === 'loadMore') return loading(() => model.loadAll(target.parent));
      if (target && isContainer(target)) return loading(() => model.loadAll(target));
    }),
    vscode.commands.registerCommand('apsExplorer.retry', (node?: ErrorNode) => {
      const target = selected(node);
      if (target?.kind === 'error') model.refresh(target.parent);
    }),
    vscode.commands.registerCommand('apsExplorer.filterFolder', async (node?: FolderNode) => {
      const folder = selected(node);
      if (folder?.kind !== 'folder') return;
      const text = await ctx.prompts().inputBox({
        title: vscode.l10n.t('Filter {0}', folder.folder.name),
        prompt: vscode.l10n.t('Show entries whose name contains (empty clears the filter)'),
        value: model.filterOf(folder) ?? '',
      });
      if (text === undefined) return;
      model.setFilter(folder, text.trim() || undefined);
      await view.reveal(folder, { expand: true });
    }),
    vscode.commands.registerCommand('apsExplorer.clearFilter', (node?: FolderNode) => {
      const folder = selected(node);
      if (folder?.kind === 'folder') model.setFilter(folder, undefined);
    }),
    // Takes what a person pasted, or ids another command already knows (a search result).
    vscode.commands.registerCommand('apsExplorer.revealById', async (input?: string | RemoteIds) => {
      const ui = ctx.prompts();
      const target = await revealTargetOf(ui, input);
      const dm = ctx.dm();
      if (!target || !dm) return;
      try {
        const node = await loading(async () => model.materialize(await locateIds(dm, target)));
        await view.reveal(node, { select: true, focus: true, expand: node.kind !== 'version' ? 1 : false });
        return node.id;
      } catch (error) {
        await reportFailure(ui, ctx.log, vscode.l10n.t('Could not reveal it'), error instanceof RemoteNotFound ? new Error(notFoundMessage(error)) : error);
        return undefined;
      }
    }),
    vscode.commands.registerCommand('apsExplorer.copyId', (node?: TreeNode) => copy(selected(node), idOf)),
    vscode.commands.registerCommand('apsExplorer.copyUrn', (node?: TreeNode) => copy(selected(node), urnOf)),
    vscode.commands.registerCommand('apsExplorer.copyWebLink', (node?: TreeNode) => copy(selected(node), entityWebLink)),
  ];
}

async function revealTargetOf(ui: Prompts, input: string | RemoteIds | undefined): Promise<RemoteIds | undefined> {
  if (typeof input === 'object') return input;
  const text =
    input ??
    (await ui.inputBox({
      title: vscode.l10n.t('Reveal in APS'),
      prompt: vscode.l10n.t('A hub, project, folder, item or version ID, or a BIM 360 / ACC web link'),
      ignoreFocusOut: true,
      validateInput: (value) => (!value.trim() || parseRemoteIds(value) ? undefined : vscode.l10n.t('That is not an APS ID or a BIM 360 / ACC link.')),
    }));
  return text ? parseRemoteIds(text) : undefined;
}

function notFoundMessage(error: RemoteNotFound): string {
  return error.projectId ? vscode.l10n.t('No hub you can see has the project {0}.', error.projectId) : vscode.l10n.t('None of your projects has that ID.');
}

async function copy(node: TreeNode | undefined, pick: (node: TreeNode) => string | undefined): Promise<string | undefined> {
  const text = node && pick(node);
  if (text) await vscode.env.clipboard.writeText(text);
  return text;
}

function idOf(node: TreeNode): string | undefined {
  return entityOf(node)?.id;
}

/** The base64url URN Model Derivative and the viewer take, of a version (an item: its tip). */
function urnOf(node: TreeNode): string | undefined {
  if (node.kind === 'version') return node.version.derivativesId ?? toBase64UrlUrn(node.version.id);
  if (node.kind === 'item') {
    const tipId = node.item.tipVersionId ?? node.item.tip?.id;
    return tipId ? toBase64UrlUrn(tipId) : undefined;
  }
  return undefined;
}
