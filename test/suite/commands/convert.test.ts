import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { ApsExplorerApi } from '../../../src/extension';
import type { ConvertPlan, JobRecord } from '../../../src/jobs/jobRecord';
import type { ScriptedPrompts } from '../../../src/ui/prompts';
import type { RunningEmulator } from '../../emulator';
import { signInWithApp, useEmulator } from '../support/harness';
import { contextFlags, objectSha1, resetTransferSettings, sha1File, tipNode, watchJobView, workspaceFolder } from './support';

describe('APS: Convert… (against the emulator)', function () {
  this.timeout(120_000);
  let emu: RunningEmulator;
  let ext: ApsExplorerApi;
  let prompts: ScriptedPrompts;

  before(async () => {
    ({ emu, ext, prompts } = await useEmulator({ downloadFolder: 'aps-convert', conflictPolicy: 'overwrite' }));
    await signInWithApp(ext, prompts, emu.seed.credentials.clientSecret!);
  });

  afterEach(() => emu.faults.clear());

  after(async () => {
    await resetTransferSettings();
    await ext.accounts.signOut();
  });

  it('offers the download formats, and a job going queued → processing → finished produces the file', async () => {
    const node = await tipNode(emu, ext, emu.seed.ids.items.towerRvt);
    assert.ok(contextFlags(ext, node).includes('convertible'));
    emu.requests.clear();
    const view = watchJobView(ext, 'Convert Tower.rvt to DWF');
    let offered: string[] = [];
    prompts.answer((question) => {
      offered = [question];
      return 'DWF';
    });

    const job = await vscode.commands.executeCommand<JobRecord>('apsExplorer.convert', node);
    view.dispose();

    assert.equal(job.state, 'finished', job.error);
    assert.deepEqual(offered, ['Convert Tower.rvt to…']);
    assert.deepEqual(
      view.seen.map((step) => [step.state, step.icon]),
      [
        ['queued', 'clock'],
        ['processing', 'sync~spin'],
        ['downloading', 'cloud-download'],
        ['finished', 'pass'],
      ],
    );
    assert.match(view.seen[0].description, /queued/);
    assert.match(view.seen[1].description, /processing on Autodesk/);
    const file = join(workspaceFolder(), 'aps-convert', 'Tower', 'Project Files', 'Tower.dwf');
    const plan = job.plan as ConvertPlan;
    assert.equal(sha1File(file), await objectSha1(emu, `${plan.storage!.bucketKey}/${plan.storage!.objectKey}`));
    assert.equal(emu.requests.list({ method: 'POST', path: '/downloads' }).length, 1);
    const done = prompts.notifications.at(-1)!;
    assert.match(done.message, /Converted to DWF: aps-convert[/\\]Tower[/\\]Project Files[/\\]Tower\.dwf/);
    assert.deepEqual(done.buttons, ['Open', 'Reveal in Explorer']);
  });

  it('reuses an existing conversion of that type instead of starting another', async () => {
    const node = await tipNode(emu, ext, emu.seed.ids.items.towerRvt);
    emu.requests.clear();
    prompts.answer('DWF');
    const job = await vscode.commands.executeCommand<JobRecord>('apsExplorer.convert', node);
    assert.equal(job.state, 'finished', job.error);
    assert.equal((job.plan as ConvertPlan).reused, true);
    assert.equal(emu.requests.list({ method: 'POST', path: '/downloads' }).length, 0, 'no new conversion job');
    assert.match(prompts.notifications.at(-1)!.message, /reused/);
  });

  it('shows the reason of a failed conversion job, with Show Log', async () => {
    emu.faults.add({ kind: 'failJob', count: 1 });
    const node = await tipNode(emu, ext, emu.seed.ids.items.siteDwg);
    const view = watchJobView(ext, 'Convert Site.dwg to PDF');
    prompts.answer('PDF');

    const job = await vscode.commands.executeCommand<JobRecord>('apsExplorer.convert', node);
    view.dispose();

    assert.equal(job.state, 'failed');
    assert.equal(job.error, 'Autodesk could not convert this file to PDF.');
    const failure = prompts.notifications.at(-1)!;
    assert.equal(failure.level, 'error');
    assert.equal(failure.message, 'Convert Site.dwg to PDF failed: Autodesk could not convert this file to PDF.');
    assert.deepEqual(failure.buttons, ['Show Log']);
    assert.deepEqual(view.seen.at(-1), { state: 'failed', icon: 'error', description: 'Autodesk could not convert this file to PDF.' });
    assert.match(String(ext.jobs.provider.getTreeItem(job).contextValue), /\bfailed\b.*\bretryable\b/);
    assert.ok(!existsSync(join(workspaceFolder(), 'aps-convert', 'Tower', 'Project Files', 'Site.pdf')));
  });

  it('explains that ACC projects cannot convert', async () => {
    const node = await tipNode(emu, ext, emu.seed.ids.items.accModelRvt);
    assert.ok(!contextFlags(ext, node).includes('convertible'));
    const result = await vscode.commands.executeCommand('apsExplorer.convert', node);
    assert.equal(result, undefined);
    assert.match(prompts.notifications.at(-1)!.message, /cannot be converted: .*ACC projects/);
  });
});
