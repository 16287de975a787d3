// "Push Local Changes…" in the extension host, against an emulator of its own (strict, rate limits on), signed in
// with app credentials acting as the demo user: the preview (declined, then accepted), the Push job in the Jobs
// view, what APS holds afterwards (through Autodesk's SDK), the Explorer's decorations, and a conflict.
import * as assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { formatBytes } from '../../../src/core/format';
import type { ApsExplorerApi } from '../../../src/extension';
import type { JobRecord, PushJobPlan } from '../../../src/jobs/jobRecord';
import type { ScriptedPrompts } from '../../../src/ui/prompts';
import { startEmulator, type RunningEmulator } from '../../emulator';
import { localTree, sdkTree } from '../../unit/mirror/harness';
import { buildTree, type BuiltTree } from '../../unit/mirror/tree';
import { signInWithApp, useEmulator, walk } from '../support/harness';
import { eventually, newestJob, objectSha1, resetTransferSettings, watchJobView, workspaceFolder } from './support';

describe('APS: Push Local Changes… (against an emulator of its own)', function () {
  this.timeout(120_000);
  let own: RunningEmulator;
  let emu: RunningEmulator;
  let ext: ApsExplorerApi;
  let prompts: ScriptedPrompts;
  let tree: BuiltTree & { name: string };
  const root = () => join(workspaceFolder(), 'aps-push', 'Tower', 'Project Files', tree.name);
  const decoration = async (...names: string[]) => (await ext.mirrors.decorations.provideFileDecoration(vscode.Uri.file(join(root(), ...names))))?.badge;
  const push = () => vscode.commands.executeCommand<JobRecord>('apsExplorer.mirrorPush', vscode.Uri.file(root()));
  const writes = () => own.requests.list({ origin: 'api' }).filter((request) => request.method !== 'GET' && !request.path.startsWith('/authentication/'));

  before(async () => {
    own = await startEmulator({ strictness: 'strict', rateLimits: true });
    tree = buildTree(own, { 'Model.rvt': [150_000], 'Notes.txt': [120], Sheets: { 'A-101.pdf': [2000] } });
    ({ emu, ext, prompts } = await useEmulator({ downloadFolder: 'aps-push', conflictPolicy: 'ask', userId: own.seed.ids.users.demo }, own));
    await signInWithApp(ext, prompts, emu.seed.credentials.clientSecret!);
    const mirrored = await vscode.commands.executeCommand<JobRecord>('apsExplorer.mirror', await walk(ext, 'Emulator BIM 360 Account', 'Tower', 'Project Files', tree.name));
    assert.equal(mirrored.state, 'finished', mirrored.error);
  });

  after(async () => {
    await rm(join(workspaceFolder(), 'aps-push'), { recursive: true, force: true });
    await resetTransferSettings();
    await ext.accounts.signOut();
    await useEmulator();
    await own.close();
  });

  const model = randomBytes(4096);

  it('shows exactly what it will push in one confirmation, and writes nothing when it is declined', async () => {
    await writeFile(join(root(), 'Model.rvt'), model);
    await writeFile(join(root(), 'Sheets', 'A-102.pdf'), 'a new sheet');
    await mkdir(join(root(), 'Details', 'Level 2'), { recursive: true });
    await writeFile(join(root(), 'Details', 'Level 2', 'note.txt'), 'deep and new');
    assert.equal(await decoration('Model.rvt'), 'M');
    own.requests.clear();
    prompts.answer(undefined);
    const job = await push();
    assert.equal(job.state, 'cancelled');
    assert.equal(job.kind, 'push');
    assert.equal((job.plan as PushJobPlan).root, root());
    const { message, detail } = prompts.warnings.at(-1)!;
    assert.equal(message, `Push 5 changes from ${join('aps-push', 'Tower', 'Project Files', tree.name)} to APS?`);
    assert.deepEqual(detail?.split('\n'), [
      `New folder Details in ${tree.name}`,
      `New folder Details/Level 2 in ${tree.name}/Details`,
      `New file Details/Level 2/note.txt in ${tree.name}/Details/Level 2 (12 B)`,
      `New version of Model.rvt (v1 → v2, ${formatBytes(4096)})`,
      `New file Sheets/A-102.pdf in ${tree.name}/Sheets (11 B)`,
    ]);
    assert.deepEqual(writes(), [], 'nothing is written before the preview is accepted');
    assert.deepEqual(Object.keys(await sdkTree(own, tree.folderId)), ['Model.rvt', 'Notes.txt', 'Sheets/A-101.pdf']);
  });

  it('pushes once the preview is accepted, as a Push job; the files are in APS, marked up to date, and the next mirror downloads nothing', async () => {
    prompts.answer('Push');
    const view = watchJobView(ext, `Push ${tree.name}`);
    let job: JobRecord;
    try {
      job = await push();
    } finally {
      view.dispose();
    }
    assert.equal(job.state, 'finished', job.error);
    assert.ok(view.seen.some((seen) => seen.state === 'uploading' && seen.icon === 'cloud-upload'), JSON.stringify(view.seen));
    assert.match(prompts.notifications.at(-1)!.message, new RegExp(`Pushed aps-push[/\\\\]Tower[/\\\\]Project Files[/\\\\]${tree.name} to APS: 1 new version, 2 new files, 2 new folders\\.`));
    assert.deepEqual(await sdkTree(own, tree.folderId), await localTree(root()), 'APS holds the local tree, byte for byte');
    for (const file of [['Model.rvt'], ['Sheets', 'A-102.pdf'], ['Details', 'Level 2', 'note.txt']]) assert.equal(await decoration(...file), '✓', file.join('/'));
    assert.match(String((await ext.mirrors.decorations.provideFileDecoration(vscode.Uri.file(join(root(), 'Model.rvt'))))?.tooltip), /up to date \(v2\)/);
    ext.mirrors.status.update();
    const tooltip = (ext.mirrors.status.item.tooltip as vscode.MarkdownString).value.replace(/\\/g, '');
    assert.match(tooltip, /Last push just now: 1 new version, 2 new files, 2 new folders\./);
    assert.match(tooltip, /\[\$\(cloud-upload\) Push Local Changes…\]\(command:apsExplorer\.mirrorPush\?/);

    own.requests.clear();
    const again = await vscode.commands.executeCommand<JobRecord>('apsExplorer.mirrorAgain', root());
    assert.equal(again.state, 'finished', again.error);
    assert.deepEqual(own.requests.list({ origin: 'storage', method: 'GET' }), [], 'nothing pushed is downloaded again');
  });

  it('leaves a file APS changed since the last mirror as it is unless told otherwise, and marks it in conflict', async () => {
    const theirs = own.addVersion(tree.files.get('Notes.txt')!.itemId, 130);
    await writeFile(join(root(), 'Notes.txt'), 'edited here');
    await writeFile(join(root(), 'Sheets', 'A-101.pdf'), 'a new revision');
    own.requests.clear();
    prompts.answer('Push, Skip Conflicts');
    const job = await push();
    assert.equal(job.state, 'finished', job.error);
    const { detail } = prompts.warnings.at(-1)!;
    assert.match(detail ?? '', /^Conflict: Notes\.txt was changed here and in APS \(v1 here, v2 in APS\): skipped$/m);
    assert.match(detail ?? '', /Keep Both uploads yours as a new file with a numbered name/);
    assert.deepEqual(prompts.asked.slice(-1), [prompts.warnings.at(-1)!.message]);
    const aps = await sdkTree(own, tree.folderId);
    assert.equal(aps['Notes.txt'], await objectSha1(emu, theirs.objectKey), "APS's newer version is not overwritten");
    assert.equal(await readFile(join(root(), 'Notes.txt'), 'utf8'), 'edited here', 'nor is the local edit');
    assert.equal(await decoration('Notes.txt'), '!');
    assert.equal(await decoration('Sheets', 'A-101.pdf'), '✓');
    assert.match(prompts.notifications.at(-1)!.message, /: 1 new version, 0 new files\. 1 in conflict, left as they are\./);

    prompts.answer('Push, Keep Both');
    const kept = await push();
    assert.equal(kept.state, 'finished', kept.error);
    const both = await sdkTree(own, tree.folderId);
    assert.equal(both['Notes (1).txt'], createHash('sha1').update('edited here').digest('hex'));
    assert.equal(both['Notes.txt'], await objectSha1(emu, theirs.objectKey));
    assert.equal(await decoration('Notes (1).txt'), '✓', 'the local file took its numbered name in APS');
  });

  it('cancels a running push from the Jobs view, and Retry finishes it from where it stopped without asking again', async () => {
    await writeFile(join(root(), 'Big.rvt'), randomBytes(12 * 1024 * 1024 + 1));
    await writeFile(join(root(), 'Sheets', 'A-103.pdf'), 'one more sheet');
    // Big.rvt goes in three parts: the first one sent arrives, the others get no answer until the fault is gone.
    own.faults.add({ kind: 'stall', origin: 'storage', method: 'PUT', path: '**/*.rvt', skip: 1 });
    prompts.answer('Push');
    const started = Date.now();
    const running = push();
    const job = await eventually(() => newestJob(ext, `Push ${tree.name}`, started), 'the push job');
    await eventually(() => (job.state === 'uploading' && job.progress?.files?.finished === 1) || undefined, 'the small file pushed');
    assert.match(String(ext.jobs.provider.getTreeItem(job).description), /\d+% · /);
    assert.match(String(ext.jobs.provider.getTreeItem(job).contextValue), /\bcancellable\b/);
    await vscode.commands.executeCommand('apsExplorer.jobs.cancel', job);
    assert.equal((await running).state, 'cancelled');
    assert.match(String(ext.jobs.provider.getTreeItem(job).contextValue), /\bretryable\b/);
    assert.ok(existsSync(join(root(), '.aps-mirror.push.json')), 'the accepted push is kept for Retry');

    own.faults.clear();
    own.requests.clear();
    const asked = prompts.asked.length;
    const retried = await vscode.commands.executeCommand<JobRecord>('apsExplorer.jobs.retry', job);
    assert.equal(retried.state, 'finished', retried.error);
    assert.equal(prompts.asked.length, asked, 'Retry finishes the accepted push without asking again');
    assert.equal(own.requests.list({ method: 'POST', path: /\/items$/ }).filter((request) => request.status === 201).length, 1, 'only Big.rvt is made now');
    assert.ok(own.requests.list({ origin: 'storage', method: 'PUT' }).filter((put) => put.status === 200).length < 3, 'the part that had arrived is not sent again');
    const aps = await sdkTree(own, tree.folderId);
    const here = await localTree(root());
    for (const name of ['Big.rvt', 'Sheets/A-103.pdf']) assert.equal(aps[name], here[name], name);
    assert.equal(await decoration('Big.rvt'), '✓');
  });
});
