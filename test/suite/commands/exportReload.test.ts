import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { ExportPlan } from '../../../src/jobs/jobRecord';
import { seed } from '../../emulator';
import { signInWithApp, useEmulator } from '../support/harness';
import { eventually, resetTransferSettings, tipNode, workspaceFolder } from './support';

const EXPORTS = /^\/construction\/files\/v1\/projects\/[^/]+\/exports$/;

describe('Export as PDF across a window reload (against the emulator)', function () {
  this.timeout(120_000);

  after(() => resetTransferSettings());

  it('waits for the export it started instead of exporting again', async () => {
    const { emu, ext, prompts } = await useEmulator({ downloadFolder: 'aps-export-reload', conflictPolicy: 'overwrite', userId: seed.ids.users.demo });
    await signInWithApp(ext, prompts, emu.seed.credentials.clientSecret!);
    const node = await tipNode(emu, ext, emu.seed.ids.items.accPlansPdf);
    emu.requests.clear();
    // The gate: the export's first poll gets no answer at all, so the job cannot finish before the reload.
    emu.faults.add({ kind: 'stall', origin: 'api', method: 'GET', path: '/construction/files/v1/projects/*/exports/*', count: 1 });
    prompts.answer('Without markups');
    const started = Date.now();
    void vscode.commands.executeCommand('apsExplorer.exportPdf', node);
    const job = await eventually(() => ext.jobs.manager.list().find((candidate) => candidate.kind === 'export' && candidate.createdAt >= started), 'the export job');
    const exportId = await eventually(() => (job.plan as ExportPlan).exportId, 'the export id in the job');
    await eventually(() => emu.requests.list({ method: 'GET', path: new RegExp(`/exports/${exportId}$`) }).length === 1 || undefined, 'the first poll, held by the emulator');

    await ext.jobs.host.manager.shutdown();
    assert.notEqual(ext.jobs.manager.get(job.id)?.state, 'finished', 'the export was still running at the reload');
    assert.deepEqual(emu.faults.list(), [], 'the held poll was the only one before the reload');
    const manager = await ext.jobs.host.reload();
    const settled = await manager.settled(job.id);

    assert.equal(settled.state, 'finished', settled.error);
    assert.equal((settled.plan as ExportPlan).exportId, exportId);
    assert.equal(emu.requests.list({ method: 'POST', path: EXPORTS }).length, 1, 'one export, requested before the reload');
    assert.ok(emu.requests.list({ method: 'GET', path: new RegExp(`/exports/${exportId}$`) }).length > 1, 'the export was polled by its id after the reload');
    assert.ok(existsSync(join(workspaceFolder(), 'aps-export-reload', 'Hospital', 'Plans', 'Hospital Sheets.pdf')));
    await ext.accounts.signOut();
  });
});
