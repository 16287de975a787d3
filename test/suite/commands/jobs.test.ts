import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { partFilesFor } from '../../../src/core/transfer';
import type { ApsExplorerApi } from '../../../src/extension';
import type { JobRecord } from '../../../src/jobs/jobRecord';
import type { ScriptedPrompts } from '../../../src/ui/prompts';
import type { RunningEmulator } from '../../emulator';
import { signInWithApp, useEmulator } from '../support/harness';
import { eventually, newestJob, objectSha1, resetTransferSettings, sha1File, tipNode, workspaceFolder } from './support';

const MiB = 1024 * 1024;

describe('Jobs: cancel and resume after a reload (against the emulator)', function () {
  this.timeout(180_000);
  let emu: RunningEmulator;
  let ext: ApsExplorerApi;
  let prompts: ScriptedPrompts;
  const big = () => emu.seed.ids.items.sizes.twentyFourMiBPlus1;
  const target = () => join(workspaceFolder(), 'aps-jobs', 'Tower', 'Project Files', 'Transfer Sizes', '24MiB-plus-1.rvt');

  before(async () => {
    ({ emu, ext, prompts } = await useEmulator({ downloadFolder: 'aps-jobs', conflictPolicy: 'overwrite', connections: 2, chunkSizeMiB: 1 }));
    await signInWithApp(ext, prompts, emu.seed.credentials.clientSecret!);
  });

  afterEach(() => emu.faults.clear());

  after(async () => {
    await resetTransferSettings();
    await ext.accounts.signOut();
  });

  /** Starts a download of the 24 MiB+1 object held back by a bandwidth cap, and waits until bytes flow. */
  async function startSlowDownload(): Promise<JobRecord> {
    emu.faults.add({ kind: 'bandwidth', origin: 'storage', bytesPerSecond: MiB });
    const node = await tipNode(emu, ext, big());
    const started = Date.now();
    void vscode.commands.executeCommand('apsExplorer.download', node);
    const job = await eventually(() => newestJob(ext, 'Download 24MiB-plus-1.rvt', started), 'the download job');
    await eventually(() => job.state === 'downloading' && (job.progress?.doneBytes ?? 0) >= 3 * MiB, 'three MiB on disk');
    return job;
  }

  it('cancel from the Jobs view leaves no file under the final name', async () => {
    const job = await startSlowDownload();
    const running = ext.jobs.provider.getTreeItem(job);
    assert.match(String(running.contextValue), /\bcancellable\b/);
    assert.equal((running.iconPath as vscode.ThemeIcon).id, 'cloud-download');
    assert.match(String(running.description), /\d+% · .*MiB of 24\.0 MiB/);

    await vscode.commands.executeCommand('apsExplorer.jobs.cancel', job);
    const settled = await ext.jobs.manager.settled(job.id);

    assert.equal(settled.state, 'cancelled');
    assert.ok(!existsSync(target()), 'no file under the final name');
    assert.ok(!existsSync(partFilesFor(target()).data) && !existsSync(partFilesFor(target()).journal), 'a cancelled download leaves no partial file');
    const item = ext.jobs.provider.getTreeItem(settled);
    assert.equal((item.iconPath as vscode.ThemeIcon).id, 'circle-slash');
    assert.match(String(item.contextValue), /\bcancelled\b.*\bretryable\b/);
    assert.doesNotMatch(String(item.contextValue), /\bcancellable\b/);
  });

  it('refuses a second download of the same file while the first runs, saying why, and leaves the first alone', async () => {
    const first = await startSlowDownload();
    const node = await tipNode(emu, ext, big());
    const second = await vscode.commands.executeCommand<JobRecord>('apsExplorer.download', node);

    assert.equal(second.state, 'failed');
    assert.match(second.error ?? '', /24MiB-plus-1\.rvt is already being downloaded; try again when that download has finished/);
    const failure = prompts.notifications.at(-1)!;
    assert.equal(failure.level, 'error');
    assert.match(failure.message, /already being downloaded/);
    assert.equal(first.state, 'downloading');
    assert.ok(existsSync(partFilesFor(target()).lock));

    emu.faults.clear();
    await vscode.commands.executeCommand('apsExplorer.jobs.cancel', first);
    assert.equal((await ext.jobs.manager.settled(first.id)).state, 'cancelled');
    assert.ok(!existsSync(partFilesFor(target()).lock), 'the lock goes with the download');
  });

  it('a simulated window reload resumes a running download without fetching finished ranges again', async () => {
    const job = await startSlowDownload();
    const size = emu.seed.sizes.twentyFourMiBPlus1;

    await ext.jobs.host.manager.shutdown();
    assert.equal(ext.jobs.manager.get(job.id)?.state, 'downloading', 'the stopped job stays running in workspaceState');
    assert.ok(!existsSync(target()));
    const journal = JSON.parse(readFileSync(partFilesFor(target()).journal, 'utf8')) as { done: Array<[number, number]> };
    const kept = journal.done.reduce((sum, [start, end]) => sum + (end - start), 0);
    assert.ok(kept >= MiB && kept < size, `the journal keeps ${kept} bytes`);

    emu.faults.clear();
    const reloadedAt = emu.clock.now();
    const manager = await ext.jobs.host.reload();
    const resumed = manager.get(job.id);
    assert.ok(resumed, 'the new manager found the job in workspaceState');
    assert.ok(ext.jobs.provider.getChildren().some((node) => 'id' in node && node.id === job.id), 'the Jobs view lists it after the reload');
    const settled = await manager.settled(job.id);

    assert.equal(settled.state, 'finished', settled.error);
    assert.equal(sha1File(target()), await objectSha1(emu, emu.seed.ids.objects.twentyFourMiBPlus1));
    const ranges = emu.requests
      .list({ origin: 'storage', method: 'GET' })
      .filter((request) => request.time >= reloadedAt)
      .map((request) => /^bytes=(\d+)-(\d+)$/.exec(request.range ?? ''))
      .map((match) => (match ? [Number(match[1]), Number(match[2]) + 1] : [0, size]));
    assert.ok(ranges.length > 0);
    for (const [start, end] of ranges) {
      for (const [doneStart, doneEnd] of journal.done) {
        assert.ok(end <= doneStart || start >= doneEnd, `bytes ${start}-${end} were fetched again although ${doneStart}-${doneEnd} was on disk`);
      }
    }
    // A connection that finishes early takes over half of another's range, so requested ranges may overlap: count their union.
    const union = ranges.sort((a, b) => a[0] - b[0]).reduce<number[][]>((merged, [start, end]) => {
      const last = merged.at(-1);
      if (last && start <= last[1]) last[1] = Math.max(last[1], end);
      else merged.push([start, end]);
      return merged;
    }, []);
    const refetched = union.reduce((sum, [start, end]) => sum + (end - start), 0);
    assert.equal(refetched, size - kept, 'exactly the missing bytes were fetched');
    assert.equal((ext.jobs.provider.getTreeItem(settled).iconPath as vscode.ThemeIcon).id, 'pass');
  });
});
