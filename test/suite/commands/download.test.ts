import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { ApsExplorerApi } from '../../../src/extension';
import type { JobRecord } from '../../../src/jobs/jobRecord';
import type { ScriptedPrompts } from '../../../src/ui/prompts';
import type { RunningEmulator } from '../../emulator';
import { setSetting, signInWithApp, useEmulator } from '../support/harness';
import { contextFlags, filesBelow, folderNode, objectSha1, resetTransferSettings, seedItem, sha1File, tipNode, workspaceFolder } from './support';

describe('APS: Download (against the emulator)', function () {
  this.timeout(120_000);
  let emu: RunningEmulator;
  let ext: ApsExplorerApi;
  let prompts: ScriptedPrompts;
  const root = () => join(workspaceFolder(), 'aps-download');

  before(async () => {
    ({ emu, ext, prompts } = await useEmulator({ downloadFolder: 'aps-download', conflictPolicy: 'overwrite' }));
    await signInWithApp(ext, prompts, emu.seed.credentials.clientSecret!);
  });

  afterEach(() => emu.faults.clear());

  after(async () => {
    await resetTransferSettings();
    await ext.accounts.signOut();
  });

  it('downloads a version into <download folder>/<project>/<folder path>/<file> with the emulator sha1', async () => {
    const tower = seedItem(emu, emu.seed.ids.items.towerRvt);
    const node = await tipNode(emu, ext, tower.id);
    assert.ok(contextFlags(ext, node).includes('downloadable'), contextFlags(ext, node).join(' '));

    const job = await vscode.commands.executeCommand<JobRecord>('apsExplorer.download', node);

    assert.equal(job.state, 'finished', job.error);
    const file = join(root(), 'Tower', 'Project Files', 'Tower.rvt');
    assert.equal(sha1File(file), await objectSha1(emu, tower.versions.at(-1)!.storage!));
    assert.deepEqual(filesBelow(root()), ['Tower/Project Files/Tower.rvt'], 'no partial or journal files remain');
    const done = prompts.notifications.at(-1)!;
    assert.equal(done.level, 'info');
    assert.match(done.message, /Downloaded Tower\.rvt to aps-download[/\\]Tower[/\\]Project Files/);
    assert.deepEqual(done.buttons, ['Open', 'Reveal in Explorer']);
    assert.equal(job.target, file);
  });

  it('downloads a folder recursively with its structure and reports a failing file without stopping the rest', async () => {
    const levelThree = emu.seed.items.find((item) => item.displayName === 'Level 3 Note.txt')!;
    const objectKey = levelThree.versions[0].storage!.split('/')[1];
    emu.faults.add({ kind: 'status', origin: 'api', status: 404, path: `/oss/v2/buckets/*/objects/${objectKey}/signeds3download` });
    const node = await folderNode(emu, ext, emu.seed.ids.folders.level1);
    assert.ok(contextFlags(ext, node).includes('downloadable'));

    const job = await vscode.commands.executeCommand<JobRecord>('apsExplorer.download', node);

    assert.equal(job.state, 'finished');
    const level1 = join(root(), 'Tower', 'Project Files', 'Level 1');
    assert.deepEqual(filesBelow(level1).sort(), ['Level 1 Note.txt', 'Level 2/Level 2 Note.txt', 'Level 2/Level 3/Level 4/Level 4 Note.txt']);
    for (const [name, relative] of [
      ['Level 1 Note.txt', 'Level 1 Note.txt'],
      ['Level 2 Note.txt', 'Level 2/Level 2 Note.txt'],
      ['Level 4 Note.txt', 'Level 2/Level 3/Level 4/Level 4 Note.txt'],
    ]) {
      const seeded = emu.seed.items.find((item) => item.displayName === name)!;
      assert.equal(sha1File(join(level1, ...relative.split('/'))), await objectSha1(emu, seeded.versions.at(-1)!.storage!), relative);
    }
    assert.deepEqual(job.failures?.map((failure) => failure.name), ['Project Files/Level 1/Level 2/Level 3/Level 3 Note.txt']);
    const report = prompts.notifications.at(-1)!;
    assert.equal(report.level, 'warning');
    assert.match(report.message, /3 of 4 files.*1 failed: .*Level 3 Note\.txt/);
    assert.deepEqual(report.buttons, ['Show Log', 'Reveal in Explorer']);
    const [failureNode] = ext.jobs.provider.getChildren(job);
    assert.equal(ext.jobs.provider.getTreeItem(failureNode).label, 'Project Files/Level 1/Level 2/Level 3/Level 3 Note.txt');
    assert.match(String(ext.jobs.provider.getTreeItem(job).contextValue), /\bretryable\b/);

    emu.faults.clear();
    emu.requests.clear();
    const retried = await vscode.commands.executeCommand<JobRecord>('apsExplorer.jobs.retry', job);
    assert.equal(retried.state, 'finished');
    assert.deepEqual(retried.failures, []);
    assert.equal(sha1File(join(level1, 'Level 2', 'Level 3', 'Level 3 Note.txt')), await objectSha1(emu, levelThree.versions[0].storage!));
    const fetched = new Set(emu.requests.list({ origin: 'storage', method: 'GET' }).map((request) => decodeURIComponent(request.path).split('/').pop()));
    assert.deepEqual([...fetched], [objectKey], 'the retry fetches only the file that failed');
  });

  it('asks about an existing file when the policy says so, and keeps both', async () => {
    await setSetting('conflictPolicy', 'ask');
    try {
      const notes = seedItem(emu, emu.seed.ids.items.notesTxt);
      const node = await tipNode(emu, ext, notes.id);
      await vscode.commands.executeCommand('apsExplorer.download', node);
      prompts.answer('Keep Both');
      const second = await vscode.commands.executeCommand<JobRecord>('apsExplorer.download', node);
      assert.match(prompts.asked.at(-1)!, /"Notes\.txt" already exists/);
      assert.equal(second.state, 'finished');
      const folder = join(root(), 'Tower', 'Project Files');
      assert.ok(existsSync(join(folder, 'Notes (1).txt')));
      assert.equal(sha1File(join(folder, 'Notes (1).txt')), sha1File(join(folder, 'Notes.txt')));
    } finally {
      await setSetting('conflictPolicy', 'overwrite');
    }
  });

  it('downloads a multi-selection as one job', async () => {
    const specs = await tipNode(emu, ext, emu.seed.ids.items.specsPdf);
    const logo = await tipNode(emu, ext, emu.seed.ids.items.logoPng);

    const job = await vscode.commands.executeCommand<JobRecord>('apsExplorer.download', logo, [specs, logo]);

    assert.equal(job.title, 'Download 2 selected');
    assert.equal(job.state, 'finished', job.error);
    const folder = join(root(), 'Tower', 'Project Files');
    assert.equal(job.target, folder);
    assert.equal(sha1File(join(folder, 'Specs.pdf')), await objectSha1(emu, seedItem(emu, emu.seed.ids.items.specsPdf).versions.at(-1)!.storage!));
    assert.equal(sha1File(join(folder, 'Logo.png')), await objectSha1(emu, seedItem(emu, emu.seed.ids.items.logoPng).versions.at(-1)!.storage!));
  });

  it('from the palette without a selection, finds the file through quick picks', async () => {
    assert.equal(ext.hubs.view.selection.length, 0, 'precondition: nothing selected in the Hubs view');
    const structure = seedItem(emu, emu.seed.ids.items.structureIfc);
    prompts.answer('Emulator BIM 360 Account', 'Tower', 'Project Files', 'Structure.ifc');

    const job = await vscode.commands.executeCommand<JobRecord>('apsExplorer.download');

    assert.deepEqual(prompts.asked.slice(-4), ['APS: Download', 'APS: Download', 'APS: Download', 'APS: Download']);
    assert.equal(job.state, 'finished', job.error);
    assert.equal(sha1File(join(root(), 'Tower', 'Project Files', 'Structure.ifc')), await objectSha1(emu, structure.versions.at(-1)!.storage!));
  });

  it('refuses a sheet, which has no file of its own, with the reason', async () => {
    const node = await tipNode(emu, ext, emu.seed.ids.items.sheetA101);
    assert.ok(!contextFlags(ext, node).includes('downloadable'));
    const job = await vscode.commands.executeCommand<JobRecord>('apsExplorer.download', node);
    assert.equal(job.state, 'failed');
    assert.match(job.error ?? '', /no file of its own/);
    const failure = prompts.notifications.at(-1)!;
    assert.equal(failure.level, 'error');
    assert.match(failure.message, /Download A-101 FLOOR PLANS failed: .*no file of its own/);
    assert.deepEqual(failure.buttons, ['Show Log']);
  });
});
