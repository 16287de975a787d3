import * as vscode from 'vscode';
import type { ApsServices } from '../core/client';
import type { Version } from '../core/dm/models';
import type { JobsHost } from '../jobs/jobsHost';
import type { ExtensionLog } from '../log/logChannel';
import type { HubsModel } from '../tree/hubsModel';
import { isFileNode, type ItemNode, type TreeNode, type VersionNode } from '../tree/nodes';
import type { Prompts } from '../ui/prompts';
import { pickEntity } from './pickEntity';

/** What the download, convert, export and open commands work with. */
export interface TransferCommandContext {
  jobs: JobsHost;
  model: HubsModel;
  view: vscode.TreeView<TreeNode>;
  prompts: () => Prompts;
  log: ExtensionLog;
  services: () => ApsServices | undefined;
}

/** The nodes a command acts on: the right-clicked selection, the clicked node, else the tree selection. */
export function targetNodes(view: vscode.TreeView<TreeNode>, node?: unknown, nodes?: unknown): TreeNode[] {
  if (Array.isArray(nodes) && nodes.length > 0 && nodes.every(isTreeNode)) return nodes;
  if (isTreeNode(node)) return [node];
  return [...view.selection];
}

function isTreeNode(value: unknown): value is TreeNode {
  return typeof value === 'object' && value !== null && typeof (value as TreeNode).kind === 'string' && typeof (value as TreeNode).id === 'string';
}

/** The first file (item or version) the command was invoked on or the tree selects, else one the user picks. */
export async function fileTarget(ctx: TransferCommandContext, node: unknown, nodes: unknown, title: string): Promise<ItemNode | VersionNode | undefined> {
  const target = targetNodes(ctx.view, node, nodes).find(isFileNode) ?? (await pickEntity(ctx.model, ctx.prompts(), title, isFileNode));
  return target && isFileNode(target) ? target : undefined;
}

/** The version a version node shows, or an item's tip (fetched when the listing did not include it). */
export async function versionOf(node: ItemNode | VersionNode, services: ApsServices): Promise<Version> {
  if (node.kind === 'version') return node.version;
  return node.item.tip ?? services.dm.getTip(node.project.id, node.item.id);
}

export async function requireSignedIn(ctx: TransferCommandContext): Promise<ApsServices | undefined> {
  const services = ctx.services();
  if (!services) await ctx.prompts().notify('warning', vscode.l10n.t('Sign in to APS first (the APS view offers both ways).'));
  return services;
}
