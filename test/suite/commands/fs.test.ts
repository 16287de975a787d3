import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as vscode from 'vscode';
import type { ApsExplorerApi } from '../../../src/extension';
import type { ScriptedPrompts } from '../../../src/ui/prompts';
import type { RunningEmulator } from '../../emulator';
import { signInWithApp, useEmulator } from '../support/harness';
import { contextFlags, eventually, filesBelow, objectSha1, resetTransferSettings, seedItem, tipNode, workspaceFolder } from './support';

describe('aps: read-only file system (against the emulator)', function () {
  this.timeout(120_000);
  let emu: RunningEmulator;
  let ext: ApsExplorerApi;
  let prompts: ScriptedPrompts;

  before(async () => {
    ({ emu, ext, prompts } = await useEmulator({ downloadFolder: 'aps-open' }));
    await signInWithApp(ext, prompts, emu.seed.credentials.clientSecret!);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await resetTransferSettings();
    await ext.accounts.signOut();
  });

  it('opens a version in an editor tab through aps: with its content, cached, without writing to the workspace', async () => {
    const logo = seedItem(emu, emu.seed.ids.items.logoPng);
    const node = await tipNode(emu, ext, logo.id);
    assert.ok(contextFlags(ext, node).includes('openable'));
    emu.requests.clear();

    const uri = await vscode.commands.executeCommand<vscode.Uri>('apsExplorer.open', node);

    assert.equal(uri.scheme, 'aps');
    assert.match(uri.path, /\/Logo\.png$/);
    await eventually(() => {
      const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input as { uri?: vscode.Uri } | undefined;
      return input?.uri?.toString() === uri.toString();
    }, 'the aps: tab');
    const bytes = await vscode.workspace.fs.readFile(uri);
    assert.equal(createHash('sha1').update(bytes).digest('hex'), await objectSha1(emu, logo.versions.at(-1)!.storage!));
    const stat = await vscode.workspace.fs.stat(uri);
    assert.equal(stat.size, bytes.byteLength);
    assert.equal(stat.permissions, vscode.FilePermission.Readonly);

    const fetched = emu.requests.list({ origin: 'storage', method: 'GET' }).length;
    await vscode.workspace.fs.readFile(uri);
    assert.equal(emu.requests.list({ origin: 'storage', method: 'GET' }).length, fetched, 'the second read comes from the cache');
    assert.deepEqual(filesBelow(`${workspaceFolder()}/aps-open`), [], 'opening writes nothing into the workspace');
    await assert.rejects(Promise.resolve(vscode.workspace.fs.writeFile(uri, new Uint8Array([1]))), /read-only|NoPermissions/i);
  });

  it('refuses files above the size cap with a clear message', async () => {
    const node = await tipNode(emu, ext, emu.seed.ids.items.sizes.hundredMiB);
    const version = node.kind === 'version' ? node.version : undefined;
    const uri = ext.files.uri({ projectId: emu.seed.ids.bim360Project, versionId: version!.id, name: '100MiB.nwd' });
    assert.equal((await vscode.workspace.fs.stat(uri)).size, 100 * 1024 * 1024);
    await assert.rejects(Promise.resolve(vscode.workspace.fs.readFile(uri)), /100 MiB; files above 64\.0 MiB do not open in the editor\. Use "APS: Download"/);

    const result = await vscode.commands.executeCommand('apsExplorer.open', node);
    assert.equal(result, undefined);
    const warning = prompts.notifications.at(-1)!;
    assert.match(warning.message, /100MiB\.nwd is 100 MiB; files above 64\.0 MiB do not open in the editor/);
    assert.deepEqual(warning.buttons, ['Download']);
  });
});
