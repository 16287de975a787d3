import * as vscode from 'vscode';

export interface ApsExplorerApi {
  readonly version: string;
}

export function activate(context: vscode.ExtensionContext): ApsExplorerApi {
  const log = vscode.window.createOutputChannel('APS Explorer', { log: true });
  context.subscriptions.push(
    log,
    vscode.commands.registerCommand('apsExplorer.showLog', () => log.show()),
    vscode.commands.registerCommand('apsExplorer.refresh', () => undefined),
  );
  return { version: context.extension.packageJSON.version as string };
}

export function deactivate(): void {}
