import * as assert from 'node:assert/strict';
import { existsSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { CompareOutcome } from '../../../src/commands/compareCommands';
import type { ApsExplorerApi } from '../../../src/extension';
import type { TreeNode } from '../../../src/tree/nodes';
import type { ScriptedPrompts } from '../../../src/ui/prompts';
import type { RunningEmulator } from '../../emulator';
import { DOOR_SCHEDULE_CSV } from '../../emulator/seedTexts';
import { contextFlags, eventually, folderNode, itemNode, objectSha1, resetTransferSettings, seedItem, sha1File, workspaceFolder } from '../commands/support';
import { children, signInWithApp, useEmulator, walk } from '../support/harness';

describe('Compare versions (against the emulator)', function () {
  this.timeout(180_000);
  let emu: RunningEmulator;
  let ext: ApsExplorerApi;
  let prompts: ScriptedPrompts;

  before(async () => {
    ({ emu, ext, prompts } = await useEmulator({ downloadFolder: 'aps-compare', conflictPolicy: 'overwrite' }));
    await signInWithApp(ext, prompts, emu.seed.credentials.clientSecret!);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    rmSync(join(workspaceFolder(), 'aps-compare'), { recursive: true, force: true });
    await resetTransferSettings();
    await ext.accounts.signOut();
  });

  const versionsOf = async (itemId: string): Promise<TreeNode[]> => children(ext, await itemNode(emu, ext, itemId));
  /** The diff editor in front: its title and the text of both sides. */
  const activeDiff = async (): Promise<{ label: string; left: vscode.Uri; right: vscode.Uri; leftText: string; rightText: string }> => {
    const tab = await eventually(() => {
      const active = vscode.window.tabGroups.activeTabGroup.activeTab;
      return active?.input instanceof vscode.TabInputTextDiff ? active : undefined;
    }, 'a diff editor');
    const input = tab.input as vscode.TabInputTextDiff;
    const [left, right] = await Promise.all([vscode.workspace.openTextDocument(input.original), vscode.workspace.openTextDocument(input.modified)]);
    return { label: tab.label, left: input.original, right: input.modified, leftText: left.getText(), rightText: right.getText() };
  };

  it('compares a version of a text file with the previous one in the diff editor', async () => {
    const [v3, v2, v1] = await versionsOf(emu.seed.ids.items.doorScheduleCsv);
    assert.ok(contextFlags(ext, v3).includes('hasPrevious') && contextFlags(ext, v3).includes('versioned'));
    assert.ok(!contextFlags(ext, v1).includes('hasPrevious'));
    const outcome = await vscode.commands.executeCommand<CompareOutcome>('apsExplorer.compareWithPrevious', v3);
    assert.equal(outcome.shown, 'text');
    assert.deepEqual(outcome.shown === 'text' ? [outcome.left.versionNumber, outcome.right.versionNumber] : [], [2, 3]);
    const diff = await activeDiff();
    assert.equal(diff.label, 'Door Schedule.csv (v2 ↔ v3)');
    assert.equal(diff.left.scheme, 'aps');
    assert.equal(diff.leftText, DOOR_SCHEDULE_CSV[1]);
    assert.equal(diff.rightText, DOOR_SCHEDULE_CSV[2]);
    assert.equal(v2.kind === 'version' ? diff.left.path.includes(encodeURIComponent(v2.version.id)) : false, true);
  });

  it('compares any two versions picked from a list, or the two selected, older on the left', async () => {
    const file = await itemNode(emu, ext, emu.seed.ids.items.doorScheduleCsv);
    assert.ok(contextFlags(ext, file).includes('versioned'));
    prompts.answer('v3', 'v1');
    const picked = await vscode.commands.executeCommand<CompareOutcome>('apsExplorer.compareVersions', file);
    assert.deepEqual(picked.shown === 'text' ? [picked.left.versionNumber, picked.right.versionNumber] : [], [1, 3]);
    let diff = await activeDiff();
    assert.equal(diff.label, 'Door Schedule.csv (v1 ↔ v3)');
    assert.equal(diff.leftText, DOOR_SCHEDULE_CSV[0]);
    assert.equal(diff.rightText, DOOR_SCHEDULE_CSV[2]);

    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const [v3, v2] = await children(ext, file);
    const selected = await vscode.commands.executeCommand<CompareOutcome>('apsExplorer.compareVersions', v2, [v2, v3]);
    assert.equal(selected.shown, 'text');
    diff = await activeDiff();
    assert.equal(diff.leftText, DOOR_SCHEDULE_CSV[1]);
    assert.equal(diff.rightText, DOOR_SCHEDULE_CSV[2]);
  });

  it('sets two versions of a binary file side by side by their details: size, SHA-1, dates, users', async () => {
    const dxf = seedItem(emu, emu.seed.ids.items.titleBlockDxf);
    const [v2] = await versionsOf(dxf.id);
    const outcome = await vscode.commands.executeCommand<CompareOutcome>('apsExplorer.compareWithPrevious', v2);
    assert.equal(outcome.shown, 'details', 'a .dxf whose bytes are binary');
    const diff = await activeDiff();
    assert.equal(diff.label, 'Title Block.dxf (v1 ↔ v2): details');
    assert.equal(diff.left.scheme, 'aps-details');
    for (const [text, version] of [[diff.leftText, dxf.versions[0]], [diff.rightText, dxf.versions[1]]] as const) {
      assert.match(text, new RegExp(`^SHA-1: +${await objectSha1(emu, version.storage!)}$`, 'm'));
      assert.match(text, /^Created by: +Alex Admin$/m);
      assert.match(text, /^Process state: +PROCESSING_COMPLETE$/m);
      assert.match(text, new RegExp(`\\(${(await emu.describeObject(version.storage!.split('/')[0], version.storage!.slice(version.storage!.indexOf('/') + 1))).size.toLocaleString()} bytes\\)$`, 'm'));
    }

    const [towerV3] = await versionsOf(emu.seed.ids.items.towerRvt);
    emu.requests.clear();
    const tower = await vscode.commands.executeCommand<CompareOutcome>('apsExplorer.compareWithPrevious', towerV3);
    assert.equal(tower.shown, 'details');
    await eventually(() => (vscode.window.tabGroups.activeTabGroup.activeTab?.label.startsWith('Tower.rvt (v2 ↔ v3)') ? true : undefined), 'the Tower.rvt details');
    assert.equal(emu.requests.list({ origin: 'storage' }).length, 0, 'a .rvt is binary by its name: no bytes fetched');
  });

  it('refuses what cannot be compared with a clear sentence', async () => {
    const [csv3] = await versionsOf(emu.seed.ids.items.doorScheduleCsv);
    const [frame2] = await versionsOf(emu.seed.ids.items.frameIfc);
    assert.deepEqual(await vscode.commands.executeCommand('apsExplorer.compareVersions', csv3, [csv3, frame2]), { shown: 'nothing' });
    assert.match(prompts.notifications.at(-1)!.message, /^Door Schedule\.csv and Frame\.ifc are different files\. Compare works on two versions of one file/);

    const [sheet2] = await children(ext, await walk(ext, 'Emulator BIM 360 Account', 'Tower', 'Plans', 'A-101 FLOOR PLANS'));
    assert.deepEqual(await vscode.commands.executeCommand('apsExplorer.compareWithPrevious', sheet2), { shown: 'nothing' });
    assert.match(prompts.notifications.at(-1)!.message, /^A-101 FLOOR PLANS v1 has no file of its own \(it is a sheet\), so there is nothing to compare/);

    const [, , csv1] = await versionsOf(emu.seed.ids.items.doorScheduleCsv);
    assert.deepEqual(await vscode.commands.executeCommand('apsExplorer.compareWithPrevious', csv1), { shown: 'nothing' });
    assert.match(prompts.notifications.at(-1)!.message, /^Door Schedule\.csv v1 is the first version/);
  });

  it('offers to download both versions when they are above the editor\'s size cap', async () => {
    const big = 64 * 1024 * 1024 + 1;
    const added = emu.addFile({ projectId: emu.seed.ids.bim360Project, folderId: emu.seed.ids.folders.schedules, name: 'Huge Log.txt', sizes: [big, big + 1] });
    const schedules = await folderNode(emu, ext, emu.seed.ids.folders.schedules);
    ext.hubs.model.refresh(schedules as never);
    const [v2] = await children(ext, await walk(ext, 'Emulator BIM 360 Account', 'Tower', 'Project Files', 'Schedules', 'Huge Log.txt'));
    prompts.onNotify = (notification) => (notification.buttons.includes('Download Both') ? 'Download Both' : undefined);
    try {
      assert.deepEqual(await vscode.commands.executeCommand('apsExplorer.compareWithPrevious', v2), { shown: 'nothing' });
    } finally {
      prompts.onNotify = () => undefined;
    }
    const offer = prompts.notifications.find((notification) => notification.buttons.includes('Download Both'))!;
    assert.match(offer.message, /^Huge Log\.txt v1 and v2 are 64\.0 MiB and 64\.0 MiB; files above 64\.0 MiB do not open in the editor\. Download both into the workspace\?$/);
    const folder = join(workspaceFolder(), 'aps-compare', 'Tower', 'Project Files', 'Schedules');
    for (const [index, name] of ['Huge Log (v1).txt', 'Huge Log (v2).txt'].entries()) {
      const file = join(folder, name);
      assert.ok(existsSync(file), `${name} downloaded`);
      assert.equal(statSync(file).size, big + index);
      const key = added.objectKeys[index];
      assert.equal(sha1File(file), await objectSha1(emu, key));
    }
  });
});
