import * as assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { ApsExplorerApi } from '../../../src/extension';
import { folderUri } from '../../../src/fs/apsUri';
import type { ScriptedPrompts } from '../../../src/ui/prompts';
import type { RunningEmulator } from '../../emulator';
import { DOOR_SCHEDULE_CSV, FRAME_IFC } from '../../emulator/seedTexts';
import { eventually, workspaceFolder } from '../commands/support';
import { signInWithApp, useEmulator } from '../support/harness';

describe('aps: folders, as VS Code\'s Explorer reads them (against the emulator)', function () {
  this.timeout(120_000);
  let emu: RunningEmulator;
  let ext: ApsExplorerApi;
  let prompts: ScriptedPrompts;
  let root: vscode.Uri;

  before(async () => {
    ({ emu, ext, prompts } = await useEmulator());
    await signInWithApp(ext, prompts, emu.seed.credentials.clientSecret!);
    root = folderUri({ projectId: emu.seed.ids.bim360Project, folderId: emu.seed.ids.folders.bim360ProjectFiles, path: [] });
  });

  after(async () => {
    await ext.accounts.signOut();
  });

  const below = (...names: string[]) => vscode.Uri.joinPath(root, ...names);

  it('lists folders and files by name, every page of a big folder included', async () => {
    const entries = new Map(await vscode.workspace.fs.readDirectory(root));
    assert.equal(entries.get('Schedules'), vscode.FileType.Directory);
    assert.equal(entries.get('Level 1'), vscode.FileType.Directory);
    assert.equal(entries.get('Tower.rvt'), vscode.FileType.File);
    assert.equal(entries.get('Old Site.dwg'), undefined, 'deleted files are not listed');
    assert.deepEqual(await vscode.workspace.fs.readDirectory(below('Schedules')), [
      ['Door Schedule.csv', vscode.FileType.File],
      ['Frame.ifc', vscode.FileType.File],
      ['Title Block.dxf', vscode.FileType.File],
    ]);
    emu.requests.clear();
    const big = await vscode.workspace.fs.readDirectory(below('Big Folder'));
    assert.equal(big.length, 5000);
    assert.ok(emu.requests.list({ path: '/contents' }).length >= 25, 'all 25 pages of 200');
    await assert.rejects(Promise.resolve(vscode.workspace.fs.readDirectory(below('Tower.rvt'))), /NotADirectory/);
  });

  it('stats folders and files with APS sizes and dates, read-only, and reads a file\'s latest version', async () => {
    const folder = await vscode.workspace.fs.stat(root);
    assert.equal(folder.type, vscode.FileType.Directory);
    assert.equal(folder.permissions, vscode.FilePermission.Readonly);
    const csv = emu.seed.items.find((item) => item.id === emu.seed.ids.items.doorScheduleCsv)!;
    const file = await vscode.workspace.fs.stat(below('Schedules', 'Door Schedule.csv'));
    assert.equal(file.type, vscode.FileType.File);
    assert.equal(file.size, Buffer.byteLength(DOOR_SCHEDULE_CSV[2]));
    assert.equal(file.mtime, Date.parse(csv.versions.at(-1)!.createTime));
    assert.equal(file.permissions, vscode.FilePermission.Readonly);
    const text = Buffer.from(await vscode.workspace.fs.readFile(below('Schedules', 'Door Schedule.csv'))).toString('utf8');
    assert.equal(text, DOOR_SCHEDULE_CSV[2]);
    const document = await vscode.workspace.openTextDocument(below('Schedules', 'Door Schedule.csv'));
    assert.equal(document.getText(), DOOR_SCHEDULE_CSV[2]);
    await assert.rejects(Promise.resolve(vscode.workspace.fs.stat(below('Schedules', 'Missing.csv'))), (error: unknown) => error instanceof vscode.FileSystemError && error.code === 'FileNotFound');
  });

  it('copies a file out to the workspace and compares two files, as the Explorer does', async () => {
    const copy = vscode.Uri.file(join(workspaceFolder(), 'aps-folder-copy', 'Door Schedule.csv'));
    try {
      await vscode.workspace.fs.copy(below('Schedules', 'Door Schedule.csv'), copy, { overwrite: true });
      assert.equal(readFileSync(copy.fsPath, 'utf8'), DOOR_SCHEDULE_CSV[2]);
    } finally {
      rmSync(join(workspaceFolder(), 'aps-folder-copy'), { recursive: true, force: true });
    }
    await vscode.commands.executeCommand('vscode.diff', below('Schedules', 'Door Schedule.csv'), below('Schedules', 'Frame.ifc'));
    const tab = await eventually(() => {
      const active = vscode.window.tabGroups.activeTabGroup.activeTab;
      return active?.input instanceof vscode.TabInputTextDiff ? active : undefined;
    }, 'the diff editor');
    const input = tab.input as vscode.TabInputTextDiff;
    assert.equal((await vscode.workspace.openTextDocument(input.modified)).getText(), FRAME_IFC[1]);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('refuses every write with a sentence that points to Upload', async () => {
    const target = below('Schedules', 'New.csv');
    await assert.rejects(Promise.resolve(vscode.workspace.fs.writeFile(target, new Uint8Array([1]))));
    await assert.rejects(Promise.resolve(vscode.workspace.fs.createDirectory(below('New Folder'))));
    await assert.rejects(Promise.resolve(vscode.workspace.fs.delete(below('Schedules', 'Frame.ifc'))));
    const provider = ext.files.provider;
    for (const write of [() => provider.writeFile(), () => provider.createDirectory(), () => provider.delete(), () => provider.rename()]) {
      assert.throws(write, (error: unknown) => error instanceof vscode.FileSystemError && error.code === 'NoPermissions' && /read-only here\. To add or change files in APS, use "Upload"/.test(error.message));
    }
    assert.deepEqual((await vscode.workspace.fs.readDirectory(below('Schedules'))).map(([name]) => name), ['Door Schedule.csv', 'Frame.ifc', 'Title Block.dxf'], 'nothing changed');
  });
});
