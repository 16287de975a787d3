// Composition root: builds the VS Code layer around the core client and wires it together.
import * as vscode from 'vscode';
import { Accounts } from './auth/accounts';
import { ApsAuthenticationProvider, AUTH_PROVIDER_ID } from './auth/apsAuthenticationProvider';
import { UriCallbackHandler } from './auth/uriCallback';
import { registerAccountCommands } from './commands/accountCommands';
import { registerTreeCommands } from './commands/treeCommands';
import { onSettingsChanged, readSettings } from './config/settings';
import { ExtensionLog } from './log/logChannel';
import { dmHubsData } from './tree/dmHubsData';
import type { HubsData } from './tree/hubsData';
import { HubsModel } from './tree/hubsModel';
import { HubsTreeProvider } from './tree/hubsTreeProvider';
import type { TreeNode } from './tree/nodes';
import { windowPrompts, type Prompts } from './ui/prompts';

/** What activate() returns: used by the extension-host tests (and open to other extensions). */
export interface ApsExplorerApi {
  readonly version: string;
  readonly accounts: Accounts;
  readonly hubs: { model: HubsModel; provider: HubsTreeProvider; view: vscode.TreeView<TreeNode> };
  /** Replaces where questions and notifications go (tests script them); returns the previous one. */
  setPrompts(prompts: Prompts): Prompts;
}

export async function activate(context: vscode.ExtensionContext): Promise<ApsExplorerApi> {
  let prompts: Prompts = windowPrompts;
  const currentPrompts = () => prompts;
  const log = new ExtensionLog();
  const uriCallback = new UriCallbackHandler(context.extension.id);
  const accounts = new Accounts(context, log, currentPrompts, uriCallback);

  let data: HubsData | undefined;
  const dataFor = (): HubsData | undefined => {
    const dm = accounts.dm();
    return dm ? dmHubsData(dm, readSettings().pageSize) : undefined;
  };
  const model = new HubsModel(notConnected);
  const provider = new HubsTreeProvider(model, () => accounts.account !== undefined);
  const view = vscode.window.createTreeView('apsExplorer.hubs', { treeDataProvider: provider, showCollapseAll: true, canSelectMany: true });
  const reconnectTree = () => {
    data = dataFor();
    model.setData(data ?? notConnected);
    view.description = accounts.account?.label;
  };

  context.subscriptions.push(
    log,
    uriCallback,
    vscode.window.registerUriHandler(uriCallback),
    accounts,
    vscode.authentication.registerAuthenticationProvider(AUTH_PROVIDER_ID, 'Autodesk', new ApsAuthenticationProvider(accounts), { supportsMultipleAccounts: false }),
    provider,
    view,
    accounts.onDidChange(reconnectTree),
    onSettingsChanged(async (affects) => {
      if (['apiBaseUrl', 'region', 'clientId', 'userId', 'callbackPort', 'callbackMode'].some(affects)) await accounts.reconnect();
      else if (affects('pageSize')) reconnectTree();
    }),
    ...registerAccountCommands(accounts, currentPrompts, log),
    ...registerTreeCommands({ model, view, data: () => data, prompts: currentPrompts, log }),
  );

  await accounts.initialize();
  reconnectTree();

  return {
    version: context.extension.packageJSON.version as string,
    accounts,
    hubs: { model, provider, view },
    setPrompts(next) {
      const previous = prompts;
      prompts = next;
      return previous;
    },
  };
}

export function deactivate(): void {}

const notSignedIn = () => Promise.reject(new Error('Not signed in'));
const nothing = { pages: async function* () {}, all: async () => [] };
/** The tree's data source while signed out (the view shows its welcome content then). */
const notConnected: HubsData = {
  hubs: () => nothing as never,
  projects: () => nothing as never,
  topFolders: () => nothing as never,
  folderContents: () => nothing as never,
  versions: () => nothing as never,
  hub: notSignedIn,
  project: notSignedIn,
  folder: notSignedIn,
  item: notSignedIn,
  version: notSignedIn,
};
