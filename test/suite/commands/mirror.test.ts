// "Mirror to Workspace…" in the extension host, against an emulator of its own (strict, rate limits on): the
// command with its questions scripted, the Mirror job in the Jobs view, the Explorer's decorations and the
// status line of the last mirror.
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { lstat, mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { partFilesFor } from '../../../src/core/transfer';
import type { ApsExplorerApi } from '../../../src/extension';
import type { JobRecord, MirrorPlan } from '../../../src/jobs/jobRecord';
import type { ScriptedPrompts } from '../../../src/ui/prompts';
import { startEmulator, type RunningEmulator } from '../../emulator';
import { buildTree, type BuiltTree } from '../../unit/mirror/tree';
import { signInWithApp, useEmulator, walk } from '../support/harness';
import { contextFlags, eventually, filesBelow, newestJob, objectSha1, reloadDuring, resetTransferSettings, sha1File, watchJobView, workspaceFolder } from './support';

describe('APS: Mirror to Workspace… (against an emulator of its own)', function () {
  this.timeout(120_000);
  let own: RunningEmulator;
  let emu: RunningEmulator;
  let ext: ApsExplorerApi;
  let prompts: ScriptedPrompts;
  let tree: BuiltTree & { name: string };
  const root = () => join(workspaceFolder(), 'aps-mirror', 'Tower', 'Project Files', tree.name);
  const decoration = async (...names: string[]) => ext.mirrors.decorations.provideFileDecoration(vscode.Uri.file(join(root(), ...names)));
  const mirrorNode = () => walk(ext, 'Emulator BIM 360 Account', 'Tower', 'Project Files', tree.name);
  const mirror = async (node?: unknown) => vscode.commands.executeCommand<JobRecord>('apsExplorer.mirror', node ?? (await mirrorNode()));

  before(async () => {
    own = await startEmulator({ strictness: 'strict', rateLimits: true });
    tree = buildTree(own, { 'Model.rvt': [150_000], 'Notes.txt': [120], Sheets: { 'A-101.pdf': [2000, 3000] } });
    ({ emu, ext, prompts } = await useEmulator({ downloadFolder: 'aps-mirror', conflictPolicy: 'ask' }, own));
    await signInWithApp(ext, prompts, emu.seed.credentials.clientSecret!);
  });

  after(async () => {
    await rm(join(workspaceFolder(), 'aps-mirror'), { recursive: true, force: true });
    await resetTransferSettings();
    await ext.accounts.signOut();
    await useEmulator();
    await own.close();
  });

  it('mirrors a folder from its context menu into <download folder>/<project>/<folder path>, as a Mirror job', async () => {
    const node = await mirrorNode();
    assert.equal(contextFlags(ext, node)[0], 'aps.folder', 'the menu entry shows on folders (and projects)');
    const view = watchJobView(ext, `Mirror ${tree.name}`);
    let job: JobRecord;
    try {
      job = await mirror(node);
    } finally {
      view.dispose();
    }
    assert.equal(job.state, 'finished', job.error);
    assert.equal(job.kind, 'mirror');
    assert.equal(job.target, root());
    assert.equal((job.plan as MirrorPlan).source.folderId, tree.folderId);
    assert.deepEqual(filesBelow(root()).filter((name) => name !== '.aps-mirror.json').sort(), ['Model.rvt', 'Notes.txt', 'Sheets/A-101.pdf']);
    for (const [name, added] of tree.files) assert.equal(sha1File(join(root(), ...name.split('/'))), await objectSha1(emu, added.objectKeys.at(-1)!), name);
    assert.deepEqual(view.seen.map((seen) => seen.state).at(-1), 'finished');
    assert.ok(view.seen.some((seen) => seen.state === 'downloading' && seen.icon === 'cloud-download'), JSON.stringify(view.seen));
    const item = ext.jobs.provider.getTreeItem(job);
    assert.equal(item.label, `Mirror ${tree.name}`);
    assert.match(String(item.contextValue), /\bopenable\b/);
    const done = prompts.notifications.at(-1)!;
    assert.match(done.message, new RegExp(`Mirrored ${tree.name} into aps-mirror[/\\\\]Tower[/\\\\]Project Files[/\\\\]${tree.name}: 3 new or updated, 0 unchanged\\.`));
  });

  it('decorates mirrored files in the Explorer: up to date, changed here, behind APS, in conflict', async () => {
    assert.equal((await decoration('Model.rvt'))?.badge, '✓');
    assert.match(String((await decoration('Model.rvt'))?.tooltip), /up to date \(v1\)/);
    await writeFile(join(root(), 'Notes.txt'), 'edited here');
    assert.equal((await decoration('Notes.txt'))?.badge, 'M');

    own.addVersion(tree.files.get('Notes.txt')!.itemId, 130);
    const model = own.addVersion(tree.files.get('Model.rvt')!.itemId, 160_000);
    const sheet = own.addVersion(tree.files.get('Sheets/A-101.pdf')!.itemId, 3500);
    own.faults.add({ kind: 'status', origin: 'api', status: 404, path: `/oss/v2/buckets/*/objects/${sheet.objectKey.split('/')[1]}/signeds3download`, count: 1 });
    prompts.answer('Skip');
    const job = await mirror();
    assert.equal(job.state, 'finished', job.error);
    assert.deepEqual(job.failures?.map((failure) => failure.name), ['Sheets/A-101.pdf']);
    assert.equal((await decoration('Sheets', 'A-101.pdf'))?.badge, '↓', 'still v2 here, v3 in APS');
    assert.match(String((await decoration('Sheets', 'A-101.pdf'))?.tooltip), /v2 here, v3 in APS/);
    assert.match(prompts.asked.at(-1)!, /"Notes\.txt" was changed here, and APS has a newer version/);
    assert.equal(await readFile(join(root(), 'Notes.txt'), 'utf8'), 'edited here', 'a local edit is never overwritten unasked');
    assert.equal((await decoration('Notes.txt'))?.badge, '!');
    assert.equal((await decoration('Model.rvt'))?.badge, '✓', 'the new version arrived');
    assert.equal(sha1File(join(root(), 'Model.rvt')), await objectSha1(emu, model.objectKey));
  });

  it('shows the status line of the last mirror of the folder, on the folder and in the status bar', async () => {
    const folder = await decoration();
    assert.equal(folder?.badge, '⇅');
    assert.match(String(folder?.tooltip), new RegExp(`Mirror of Emulator BIM 360 Account/Tower/Project Files/${tree.name}, last run just now: 1 new or updated, 0 unchanged, 1 in conflict, 1 failed\\. \\(incomplete: run it again\\)`));
    const status = ext.mirrors.status;
    status.update();
    assert.equal(status.current(), root());
    assert.match(status.item.text, /Mirrored just now · 1 in conflict · 1 failed/);
    assert.equal(status.item.command && typeof status.item.command !== 'string' ? status.item.command.command : '', 'apsExplorer.mirrorAgain');
  });

  it('asks before deleting copies of files removed from APS, and before mirroring into a folder it did not write', async () => {
    own.removeItem(tree.files.get('Sheets/A-101.pdf')!.itemId);
    prompts.answer('Skip', 'Delete Them');
    const job = await vscode.commands.executeCommand<JobRecord>('apsExplorer.mirrorAgain', root());
    assert.equal(job.state, 'finished', job.error);
    assert.match(prompts.asked.at(-1)!, /"Sheets\/A-101\.pdf" was removed from APS\. Delete its copy here\?/);
    assert.equal(existsSync(join(root(), 'Sheets', 'A-101.pdf')), false);

    const other = buildTree(own, { 'x.txt': [5] });
    const target = join(workspaceFolder(), 'aps-mirror', 'Tower', 'Project Files', other.name);
    await mkdir(target, { recursive: true });
    await writeFile(join(target, 'mine.txt'), 'mine');
    await vscode.commands.executeCommand('apsExplorer.refresh');
    prompts.answer(undefined);
    const declined = await vscode.commands.executeCommand<JobRecord>('apsExplorer.mirror', await walk(ext, 'Emulator BIM 360 Account', 'Tower', 'Project Files', other.name));
    assert.equal(declined.state, 'cancelled');
    assert.match(prompts.asked.at(-1)!, new RegExp(`${other.name} already holds files, and no mirror wrote them`));
    assert.deepEqual(filesBelow(target), ['mine.txt'], 'nothing was written');
  });

  it('rebuilds a damaged record after asking, comparing the files with APS instead of downloading them again', async () => {
    await writeFile(join(root(), '.aps-mirror.json'), '{"format": "aps-explorer-mirror", "version": 1, "files": ');
    emu.requests.clear();
    await vscode.commands.executeCommand('apsExplorer.mirrorAgain', root());
    assert.match(prompts.notifications.at(-1)!.message, /The mirror record in .* is damaged: mirror its folder again from the APS view/);
    prompts.answer('Rebuild', 'Skip');
    const job = await mirror();
    assert.equal(job.state, 'finished', job.error);
    assert.match(prompts.asked.at(-2)!, /The mirror record in .* is damaged \(it is not valid JSON/);
    assert.deepEqual(emu.requests.list({ origin: 'storage' }), [], 'the files with APS bytes were kept, none downloaded');
    assert.equal((await decoration('Model.rvt'))?.badge, '✓');
  });

  it('cancels a running mirror from the Jobs view, and Retry finishes it without fetching what arrived', async () => {
    const slow = buildTree(own, { 'one.bin': [1000], 'two.bin': [2000], 'three.bin': [3_000_000] });
    const stalled = slow.files.get('three.bin')!.objectKeys[0].split('/')[1];
    own.faults.add({ kind: 'stall', origin: 'storage', afterBytes: 1000, path: `/**/${stalled}` });
    await vscode.commands.executeCommand('apsExplorer.refresh');
    const node = await walk(ext, 'Emulator BIM 360 Account', 'Tower', 'Project Files', slow.name);
    const started = Date.now();
    const running = vscode.commands.executeCommand<JobRecord>('apsExplorer.mirror', node);
    const job = await eventually(() => newestJob(ext, `Mirror ${slow.name}`, started), 'the mirror job');
    await eventually(() => job.progress?.files?.finished === 2 || undefined, 'two files mirrored');
    assert.match(String(ext.jobs.provider.getTreeItem(job).contextValue), /\bcancellable\b/);
    await vscode.commands.executeCommand('apsExplorer.jobs.cancel', job);
    assert.equal((await running).state, 'cancelled');
    assert.match(String(ext.jobs.provider.getTreeItem(job).contextValue), /\bretryable\b/);

    own.faults.clear();
    own.requests.clear();
    const retried = await vscode.commands.executeCommand<JobRecord>('apsExplorer.jobs.retry', job);
    assert.equal(retried.state, 'finished', retried.error);
    const fetched = own.requests.list({ origin: 'storage', method: 'GET' }).map((request) => request.path.split('/').at(-1));
    assert.deepEqual(fetched, [stalled], 'only the file that had not arrived');
    const target = join(workspaceFolder(), 'aps-mirror', 'Tower', 'Project Files', slow.name);
    assert.equal(sha1File(join(target, 'three.bin')), await objectSha1(emu, slow.files.get('three.bin')!.objectKeys[0]));
  });

  it('a window reload stops a running mirror and resumes it: finished files are not fetched again, a half-fetched one continues', async () => {
    const slow = buildTree(own, { 'one.bin': [1000], 'two.bin': [2000], Big: { 'three.bin': [3_000_000] } });
    const stalled = slow.files.get('Big/three.bin')!.objectKeys[0].split('/')[1];
    // three.bin (one request: it is small) stops after 1 MiB until the reload; what arrived is on disk in 256 KiB writes.
    own.faults.add({ kind: 'stall', origin: 'storage', afterBytes: 1024 * 1024, path: `/**/${stalled}` });
    await vscode.commands.executeCommand('apsExplorer.refresh');
    const node = await walk(ext, 'Emulator BIM 360 Account', 'Tower', 'Project Files', slow.name);
    const started = Date.now();
    void vscode.commands.executeCommand<JobRecord>('apsExplorer.mirror', node);
    const job = await eventually(() => newestJob(ext, `Mirror ${slow.name}`, started), 'the mirror job');
    await eventually(() => (job.progress?.files?.finished === 2 && (job.progress.doneBytes ?? 0) > 3000) || undefined, 'two files mirrored and a part of the third').catch((error: Error) => {
      throw new Error(`${error.message}: ${JSON.stringify(job.progress)}`);
    });
    const { settled, reloadedAt } = await reloadDuring(ext, own, job, 'downloading');
    assert.equal(settled.state, 'finished', settled.error);
    const after = own.requests.list({ origin: 'storage', method: 'GET' }).filter((request) => request.time >= reloadedAt);
    assert.deepEqual([...new Set(after.map((request) => request.path.split('/').at(-1)))], [stalled], 'only the file that had not arrived');
    const starts = after.map((request) => Number(/bytes=(\d+)-/.exec(request.range ?? '')?.[1] ?? 0));
    assert.ok(starts.every((start) => start > 0), `three.bin continued where it stopped, not from byte 0: ${starts.join(', ')}`);
    const target = join(workspaceFolder(), 'aps-mirror', 'Tower', 'Project Files', slow.name);
    for (const [name, added] of slow.files) assert.equal(sha1File(join(target, ...name.split('/'))), await objectSha1(emu, added.objectKeys[0]), name);
    assert.match(prompts.notifications.at(-1)!.message, new RegExp(`Mirrored ${slow.name} into .*: 1 new or updated, 2 unchanged\\.`));
  });

  it('fails the job on a full disk with a line that says so and names the file, and Retry fetches only the rest', async () => {
    const filling = buildTree(own, { 'a.bin': [4000], Sub: { 'b.bin': [5000], 'full.bin': [6000] } });
    await vscode.commands.executeCommand('apsExplorer.refresh');
    const node = await walk(ext, 'Emulator BIM 360 Account', 'Tower', 'Project Files', filling.name);
    const first = await vscode.commands.executeCommand<JobRecord>('apsExplorer.mirror', node);
    assert.equal(first.state, 'finished', first.error);
    const target = join(workspaceFolder(), 'aps-mirror', 'Tower', 'Project Files', filling.name);
    const added = new Map(['a.bin', 'Sub/b.bin', 'Sub/full.bin'].map((name, index) => [name, own.addVersion(filling.files.get(name)!.itemId, 7000 + index)]));
    // A real ENOSPC: the partial file of Sub/full.bin is Linux's /dev/full, where every write fails with ENOSPC. Its download
    // is held until the others are in place, so they arrive before the disk "fills".
    const part = partFilesFor(join(target, 'Sub', 'full.bin')).data;
    await symlink('/dev/full', part);
    const held = added.get('Sub/full.bin')!.objectKey.split('/')[1];
    const hold = own.faults.add({ kind: 'hold', origin: 'storage', method: 'GET', path: `/**/${held}` });
    const expected = new Map(await Promise.all([...added].map(async ([name, version]) => [name, await objectSha1(emu, version.objectKey)] as const)));
    const landed = (name: string) => sha1File(join(target, ...name.split('/'))) === expected.get(name);

    const running = vscode.commands.executeCommand<JobRecord>('apsExplorer.mirrorAgain', target);
    const others = ['a.bin', 'Sub/b.bin'];
    await eventually(() => others.every(landed) || undefined, 'the other files in place');
    own.faults.remove(hold);
    const job = await running;
    assert.equal(job.state, 'failed');
    const shown = join('aps-mirror', 'Tower', 'Project Files', filling.name, 'Sub', 'full.bin');
    assert.equal(job.error, `Not enough disk space to write ${shown}. What arrived is kept: free some space and Retry; the mirror continues where it stopped.`);
    assert.equal(String(ext.jobs.provider.getTreeItem(job).description).includes(`Not enough disk space to write ${shown}`), true, String(ext.jobs.provider.getTreeItem(job).description));
    assert.equal(prompts.notifications.at(-1)!.message, `Mirror ${filling.name} failed: ${job.error}`);
    assert.deepEqual(job.failures, [{ name: 'Sub/full.bin', reason: 'not enough disk space' }]);
    await assert.rejects(lstat(part), { code: 'ENOENT' }, 'the partial file is not kept');
    const badge = async (name: string) => (await ext.mirrors.decorations.provideFileDecoration(vscode.Uri.file(join(target, ...name.split('/')))))?.badge;
    for (const name of others) assert.equal(await badge(name), '✓', `${name}: what arrived is in the record`);
    assert.equal(await badge('Sub/full.bin'), '↓', 'the file the disk stopped is behind APS');

    own.requests.clear();
    const retried = await vscode.commands.executeCommand<JobRecord>('apsExplorer.jobs.retry', job);
    assert.equal(retried.state, 'finished', retried.error);
    assert.deepEqual(own.requests.list({ origin: 'storage', method: 'GET' }).map((request) => request.path.split('/').at(-1)), [held], 'only the file the disk stopped');
    for (const name of [...others, 'Sub/full.bin']) assert.equal(landed(name), true, name);
    assert.equal(await badge('Sub/full.bin'), '✓');
  });

  it('says a file cannot be mirrored, and mirrors nothing', async () => {
    const file = await walk(ext, 'Emulator BIM 360 Account', 'Tower', 'Project Files', tree.name, 'Model.rvt');
    const before = ext.jobs.manager.list().length;
    await vscode.commands.executeCommand('apsExplorer.mirror', file);
    assert.equal(ext.jobs.manager.list().length, before);
    assert.match(prompts.notifications.at(-1)!.message, /A mirror copies a folder or a project, and this is a file/);
  });
});
