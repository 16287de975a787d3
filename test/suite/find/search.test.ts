import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ApsExplorerApi } from '../../../src/extension';
import type { TreeNode } from '../../../src/tree/nodes';
import type { ScriptedPrompts } from '../../../src/ui/prompts';
import { seed, startEmulator, type RunningEmulator } from '../../emulator';
import { folderNode } from '../commands/support';
import { setSetting, signInWithApp, useEmulator, walk } from '../support/harness';

describe('Search in Project / Folder (against the emulator)', function () {
  this.timeout(120_000);
  let emu: RunningEmulator;
  let ext: ApsExplorerApi;
  let prompts: ScriptedPrompts;

  // An emulator of its own: one test adds 5,500 files, which the other suites must not see.
  before(async () => {
    ({ ext, prompts } = await useEmulator({ userId: seed.ids.users.demo }));
    emu = await startEmulator();
    await setSetting('apiBaseUrl', emu.baseUrl);
    await ext.accounts.reconnect();
    await signInWithApp(ext, prompts, emu.seed.credentials.clientSecret!);
  });

  after(async () => {
    await setSetting('userId', undefined);
    await ext.accounts.signOut();
    await emu.close();
  });

  const project = () => walk(ext, 'Emulator BIM 360 Account', 'Tower');
  const labels = () => prompts.livePicks.at(-1)!.items.map((item) => item.label);

  it('finds a file by part of its name in any case, shows where, and reveals the chosen one in the tree', async () => {
    emu.requests.clear();
    prompts.answer('Door Schedule.csv');
    const node = await vscode.commands.executeCommand<TreeNode>('apsExplorer.searchProject', await project(), 'door sched');
    const shown = prompts.livePicks.at(-1)!;
    assert.equal(shown.title, 'Search in Tower');
    const hit = shown.items.find((item) => item.label.includes('Door Schedule.csv'))!;
    assert.equal(hit.detail, 'under Project Files');
    assert.match(String(hit.description), /^v3 · /);
    assert.equal(node?.kind, 'item');
    assert.equal(node.kind === 'item' ? node.item.id : '', emu.seed.ids.items.doorScheduleCsv);
    assert.equal(ext.hubs.view.selection[0]?.id, node.id, 'selected in the Hubs view');
    assert.deepEqual(
      node.kind === 'item' ? node.path : [],
      ['Project Files', 'Schedules'],
    );
    const searches = emu.requests.list({ path: '/search' });
    assert.equal(searches.length, 2, 'Project Files and Plans');
    assert.ok(searches.every((call) => call.userId === emu.seed.ids.users.demo));
  });

  it('filters by file type, date and author, and searches below a folder only', async () => {
    const { ids } = emu.seed;
    const schedules = emu.seed.items.find((item) => item.id === ids.items.doorScheduleCsv)!;
    const since = schedules.versions.at(-1)!.createTime.slice(0, 10);
    prompts.answer(undefined);
    await vscode.commands.executeCommand('apsExplorer.searchFolder', await folderNode(emu, ext, ids.folders.bim360ProjectFiles), `type:ifc after:${since} by:alex`);
    assert.deepEqual(labels(), ['$(file) Frame.ifc']);
    prompts.answer(undefined);
    await vscode.commands.executeCommand('apsExplorer.searchFolder', await folderNode(emu, ext, ids.folders.level2), 'note');
    assert.deepEqual(labels(), ['$(file) Level 2 Note.txt', '$(file) Level 3 Note.txt', '$(file) Level 4 Note.txt']);
  });

  it('says when APS cut the results at 50 pages', async () => {
    const { ids } = emu.seed;
    const big = emu.seed.folders.find((folder) => folder.id === ids.folders.bigFolder)!;
    for (let n = 0; n < 5500; n++) emu.addFile({ projectId: ids.bim360Project, folderId: big.id, name: `extra-${String(n).padStart(4, '0')}.txt`, sizes: [1] });
    prompts.answer(undefined);
    await vscode.commands.executeCommand('apsExplorer.searchFolder', await folderNode(emu, ext, ids.folders.bigFolder), 'txt');
    const shown = labels();
    assert.equal(shown.filter((label) => label.startsWith('$(file)')).length, 10_000, '50 pages of 200');
    assert.match(shown.at(-1)!, /^\$\(warning\) Showing the first 10000 results: APS returns at most 50 pages of results per folder \(Big Folder\)\. Add a file type or a date/);
  });

  it('explains refusals inside the pick: no access, filters it cannot read, no results', async () => {
    prompts.answer(undefined);
    await vscode.commands.executeCommand('apsExplorer.searchProject', await walk(ext, 'Emulator BIM 360 Account', 'Restricted Project'), 'secret');
    assert.match(labels().at(-1)!, /^\$\(error\) No access to Restricted Project: You do not have permission/);
    prompts.answer(undefined);
    await vscode.commands.executeCommand('apsExplorer.searchProject', await project(), 'tower after:yesterday');
    assert.deepEqual(labels(), ['$(error) after:yesterday: write the date as YYYY-MM-DD, for example 2024-03-31.']);
    prompts.answer(undefined);
    await vscode.commands.executeCommand('apsExplorer.searchProject', await project(), 'no such file anywhere');
    assert.deepEqual(labels(), ['$(info) No files in Tower match "no such file anywhere".']);
  });

  it('with app credentials and no user, says why search is unavailable and offers the folder filter', async () => {
    await setSetting('userId', '');
    await ext.accounts.reconnect();
    emu.requests.clear();
    const folder = await folderNode(emu, ext, emu.seed.ids.folders.level1);
    prompts.onNotify = (notification) => (notification.buttons.includes('Filter Folder…') ? 'Filter Folder…' : undefined);
    prompts.answer('Level 2');
    const result = await vscode.commands.executeCommand('apsExplorer.searchFolder', folder, 'note');
    prompts.onNotify = () => undefined;
    assert.equal(result, undefined);
    const notice = prompts.notifications.at(-1)!;
    assert.equal(notice.level, 'warning');
    assert.match(notice.message, /^Search needs a signed-in Autodesk user: APS folder search does not work with app credentials alone/);
    assert.deepEqual(notice.buttons, ['Filter Folder…', 'Sign In with Autodesk', 'Set User ID']);
    assert.equal(emu.requests.list({ path: '/search' }).length, 0, 'nothing was sent to APS');
    assert.equal(ext.hubs.model.filterOf(folder.kind === 'folder' ? folder : (undefined as never)), 'Level 2', 'the folder filter took over');
    ext.hubs.model.setFilter(folder as never, undefined);
  });
});
