import * as vscode from 'vscode';
import type { HttpClient } from '../core/http/httpClient';
import type { ApsServices } from '../core/client';
import type { ExtensionLog } from '../log/logChannel';
import type { HubsModel } from '../tree/hubsModel';
import type { ProjectNode, TreeNode } from '../tree/nodes';
import type { Prompts } from '../ui/prompts';

/** What the search, compare, details and web-link commands work with. */
export interface FindContext {
  model: HubsModel;
  view: vscode.TreeView<TreeNode>;
  prompts: () => Prompts;
  log: ExtensionLog;
  services: () => ApsServices | undefined;
  /** API calls signed as the current account. */
  http: () => HttpClient | undefined;
  /** APS sees a user behind the calls: 3-legged, or app credentials with a user ID (x-user-id). */
  hasUser: () => boolean;
}

/** The project a node belongs to (itself for a project). */
export function projectNodeOf(node: TreeNode | undefined): ProjectNode | undefined {
  for (let current: TreeNode | undefined = node; current; current = current.kind === 'hub' ? undefined : current.parent) {
    if (current.kind === 'project') return current;
  }
  return undefined;
}

export async function signedIn<T>(ctx: FindContext, get: () => T | undefined): Promise<T | undefined> {
  const value = get();
  if (value === undefined) await ctx.prompts().notify('warning', vscode.l10n.t('Sign in to APS first (the APS view offers both ways).'));
  return value;
}
