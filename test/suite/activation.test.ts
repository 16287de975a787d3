import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { api } from './support/harness';

const EXTENSION_ID = 'aps-explorer.aps-explorer';

interface ContributedCommand {
  command: string;
}

describe('Extension activation', () => {
  it('is installed and activates', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not loaded`);
    await extension.activate();
    assert.equal(extension.isActive, true);
  });

  it('contributes the APS view container with the Hubs view', () => {
    const contributes = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON.contributes;
    const container = contributes.viewsContainers.activitybar.find((c: { id: string }) => c.id === 'aps');
    assert.equal(container?.title, 'APS');
    assert.deepEqual(contributes.views.aps.map((v: { id: string }) => v.id).slice(0, 1), ['apsExplorer.hubs']);
  });

  it('opens the Hubs view through its focus command', async () => {
    const { view } = (await api()).hubs;
    await vscode.commands.executeCommand('workbench.action.closeSidebar');
    if (view.visible) await new Promise<void>((resolve) => {
      const hidden = view.onDidChangeVisibility(() => !view.visible && (hidden.dispose(), resolve()));
    });
    assert.equal(view.visible, false, 'hidden with the side bar');
    const shown = new Promise<void>((resolve) => {
      const visible = view.onDidChangeVisibility(() => view.visible && (visible.dispose(), resolve()));
    });
    await vscode.commands.executeCommand('apsExplorer.hubs.focus');
    await shown;
    assert.equal(view.visible, true);
  });

  it('registers every command it contributes', async () => {
    const contributed: ContributedCommand[] = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON.contributes.commands;
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.map((c) => c.command).filter((id) => !registered.has(id));
    assert.deepEqual(missing, []);
  });
});
