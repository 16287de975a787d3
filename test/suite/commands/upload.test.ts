// Uploads in the extension host, against an emulator of its own (strict, rate limits on), signed in with app
// credentials acting as the demo user: the commands with their dialogs and questions scripted, drops through the
// Hubs tree's drag-and-drop controller, the upload jobs in the Jobs view, and what APS holds afterwards read back
// through Autodesk's SDK.
import * as assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { defaultJournalDir } from '../../../src/core/upload';
import { journalPath } from '../../../src/core/upload/journal';
import type { ApsExplorerApi } from '../../../src/extension';
import type { JobRecord, UploadJobPlan } from '../../../src/jobs/jobRecord';
import type { FailureNode } from '../../../src/jobs/jobsTreeProvider';
import type { FolderNode, ItemNode, TreeNode } from '../../../src/tree/nodes';
import { chooseLocalSources } from '../../../src/commands/uploadCommand';
import { ScriptedPrompts } from '../../../src/ui/prompts';
import { startEmulator, type RunningEmulator } from '../../emulator';
import { folderHeld, sdkClients, subfolderId, type SdkClients } from '../../unit/sdk/sdk';
import { children, label, setSetting, signInAsUser, signInWithApp, useEmulator, walk } from '../support/harness';
import { contextFlags, eventually, newestJob, reloadDuring, resetTransferSettings, watchJobView, workspaceFolder } from './support';

const MiB = 1024 * 1024;
const HUB = 'Emulator BIM 360 Account';
const sha1 = (bytes: Buffer) => createHash('sha1').update(bytes).digest('hex');

/** A file dropped from the computer onto a browser window: bytes and a name, no path. */
class BrowserFileItem extends vscode.DataTransferItem {
  constructor(
    private readonly name: string,
    private readonly bytes: Buffer,
  ) {
    super('');
  }

  override asFile(): vscode.DataTransferFile {
    return { name: this.name, uri: undefined, data: async () => new Uint8Array(this.bytes) };
  }
}

describe('Upload Files… / Folder… / New Version… and drops on the Hubs tree (against an emulator of its own)', function () {
  this.timeout(180_000);
  let own: RunningEmulator;
  let emu: RunningEmulator;
  let ext: ApsExplorerApi;
  let prompts: ScriptedPrompts;
  let sdk: SdkClients;
  let tests = 0;
  let local = '';
  const ids = () => emu.seed.ids;
  const tower = () => ids().bim360Project;

  before(async () => {
    own = await startEmulator({ strictness: 'strict', rateLimits: true });
    ({ emu, ext, prompts } = await useEmulator({ userId: own.seed.ids.users.demo, uploadConflictPolicy: 'ask' }, own));
    await signInWithApp(ext, prompts, emu.seed.credentials.clientSecret!);
    sdk = sdkClients(own, own.issueToken({ scopes: ['data:read'] }));
  });

  beforeEach(() => {
    tests++;
    local = join(workspaceFolder(), 'upload-sources', `test ${tests}`);
  });

  afterEach(async () => {
    own.faults.clear();
    await setSetting('uploadConflictPolicy', 'ask');
    await setSetting('connections', undefined);
  });

  after(async () => {
    await rm(join(workspaceFolder(), 'upload-sources'), { recursive: true, force: true });
    await resetTransferSettings();
    await setSetting('uploadConflictPolicy', undefined);
    await ext.accounts.signOut();
    await useEmulator();
    await own.close();
  });

  async function file(relative: string, content: Buffer | number): Promise<{ path: string; bytes: Buffer }> {
    const bytes = typeof content === 'number' ? randomBytes(content) : content;
    const path = join(local, ...relative.split('/'));
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, bytes);
    return { path, bytes };
  }

  let folders = 0;
  /** A new folder in Tower/Project Files (or below `parentId`), shown in the tree. */
  async function folder(parentId = ids().folders.bim360ProjectFiles, parentNames = ['Project Files']): Promise<{ id: string; name: string; node: FolderNode }> {
    const name = `Upload ${tests}${String.fromCharCode(96 + (++folders % 26))}`;
    const id = own.addFolder({ projectId: tower(), parentId, name });
    await vscode.commands.executeCommand('apsExplorer.refresh');
    return { id, name, node: (await walk(ext, HUB, 'Tower', ...parentNames, name)) as FolderNode };
  }

  const held = (folderId: string, projectId = tower()) => folderHeld(sdk, projectId, folderId);
  const labels = async (node: TreeNode) => (await children(ext, node)).map((child) => label(ext, child)).sort();
  const upload = (command: string, node?: TreeNode) => vscode.commands.executeCommand<JobRecord | undefined>(command, node);
  const planOf = (job: JobRecord) => (job.plan as UploadJobPlan).upload!;
  const uriList = (...paths: string[]) => {
    const transfer = new vscode.DataTransfer();
    transfer.set('text/uri-list', new vscode.DataTransferItem(paths.map((path) => vscode.Uri.file(path).toString()).join('\r\n')));
    return transfer;
  };
  /** Drops `transfer` on `target` through the controller, and waits for the job it started. */
  async function drop(target: TreeNode | undefined, transfer: vscode.DataTransfer): Promise<JobRecord | undefined> {
    const before = new Set(ext.jobs.manager.list().map((job) => job.id));
    await ext.hubs.drop.handleDrop(target, transfer, new vscode.CancellationTokenSource().token);
    const started = ext.jobs.manager.list().find((job) => !before.has(job.id));
    return started && ext.jobs.manager.settled(started.id);
  }

  it('Upload Files… on a folder: one confirmation says where and what, the files become new items, the folder refreshes', async () => {
    const target = await folder();
    assert.ok(contextFlags(ext, target.node)[0] === 'aps.folder', 'the menu entries show on folders');
    assert.deepEqual(await labels(target.node), ['Empty folder']);
    const model = await file('Tower East.rvt', 6 * MiB + 5);
    const notes = await file('Notes.txt', 300);
    prompts.answer(`${model.path}\n${notes.path}`, 'Upload');
    const view = watchJobView(ext, `Upload 2 items to ${target.name}`);
    let job: JobRecord | undefined;
    try {
      job = await upload('apsExplorer.uploadFiles', target.node);
    } finally {
      view.dispose();
    }

    assert.ok(job);
    assert.equal(job.state, 'finished', job.error);
    assert.equal(job.kind, 'upload');
    assert.deepEqual(prompts.asked.slice(-2, -1), [`Upload Files to ${target.name}`]);
    assert.deepEqual(prompts.warnings.at(-1), {
      message: `Upload 2 files (6.0 MiB) to ${HUB}/Tower/Project Files/${target.name}?`,
      detail: '2 new files.\nEveryone with access to the project will see what you upload. Nothing is written until you choose Upload.',
    });
    assert.deepEqual(await held(target.id), { 'Tower East.rvt': [1, sha1(model.bytes)], 'Notes.txt': [1, sha1(notes.bytes)] });
    assert.deepEqual(await labels(target.node), ['Notes.txt', 'Tower East.rvt'], 'the folder shows them without a manual refresh');
    assert.ok(view.seen.some((seen) => seen.state === 'uploading' && seen.icon === 'cloud-upload'), JSON.stringify(view.seen));
    assert.equal(view.seen.at(-1)?.state, 'finished');
    assert.deepEqual(job.progress, { doneBytes: 6 * MiB + 305, bytesPerSecond: 0, files: { total: 2, finished: 2, failed: 0 } });
    assert.deepEqual(job.remote, { projectId: tower(), folderId: target.id });
    const done = prompts.notifications.at(-1)!;
    assert.equal(done.level, 'info');
    assert.equal(done.message, `Uploaded 2 of 2 files to Tower/Project Files/${target.name}.`);
    assert.deepEqual(done.buttons, ['Reveal in APS']);
    assert.match(String(ext.jobs.provider.getTreeItem(job).contextValue), /\bremote\b/);
  });

  it('reveals and selects the new file of a single-file upload; an empty file uploads as an empty file', async () => {
    const target = await folder();
    const empty = await file('Empty.txt', Buffer.alloc(0));
    prompts.answer(empty.path, 'Upload');
    const job = (await upload('apsExplorer.uploadFiles', target.node))!;

    assert.equal(job.state, 'finished', job.error);
    assert.match(prompts.warnings.at(-1)!.message, new RegExp(`^Upload "Empty\\.txt" \\(0 B\\) to .*/${target.name}\\?$`));
    const itemId = planOf(job).files[0].result!.itemId;
    assert.deepEqual(await held(target.id), { 'Empty.txt': [1, sha1(Buffer.alloc(0))] });
    assert.equal(ext.hubs.view.selection[0]?.id, `item:${itemId}`, 'the new file is selected in the tree');
    assert.deepEqual(job.remote, { projectId: tower(), itemId });
    assert.equal(prompts.notifications.at(-1)!.message, `Uploaded Empty.txt to Tower/Project Files/${target.name}.`);

    await ext.hubs.view.reveal(target.node, { select: true, focus: false });
    await vscode.commands.executeCommand('apsExplorer.jobs.revealInAps', job);
    assert.equal(ext.hubs.view.selection[0]?.id, `item:${itemId}`, 'Reveal in APS (Jobs view) selects it again');
  });

  it('Upload Folder… makes its subfolders in APS and uploads everything below it', async () => {
    const target = await folder();
    const plan = await file('Site/Plan.dwg', 700);
    const wall = await file('Site/Details/Wall.dwg', 900);
    prompts.answer(join(local, 'Site'), 'Upload');
    const job = (await upload('apsExplorer.uploadFolder', target.node))!;

    assert.equal(job.state, 'finished', job.error);
    assert.equal(job.title, `Upload Site to ${target.name}`);
    assert.deepEqual(prompts.asked.slice(-2, -1), [`Upload Folder to ${target.name}`]);
    assert.match(prompts.warnings.at(-1)!.detail!, /^2 new files, 2 new folders\.$/m);
    const site = await subfolderId(sdk, tower(), target.id, 'Site');
    assert.deepEqual(await held(site), { Details: 'folder', 'Plan.dwg': [1, sha1(plan.bytes)] });
    assert.deepEqual(await held(await subfolderId(sdk, tower(), site, 'Details')), { 'Wall.dwg': [1, sha1(wall.bytes)] });
    assert.deepEqual(await labels(target.node), ['Site']);
  });

  it('Upload New Version… on a file adds its next version, confirmed as such', async () => {
    const target = await folder();
    const added = own.addFile({ projectId: tower(), folderId: target.id, name: 'Model.rvt', sizes: [1000] });
    const node = (await walk(ext, HUB, 'Tower', 'Project Files', target.name, 'Model.rvt')) as ItemNode;
    assert.ok(contextFlags(ext, node)[0] === 'aps.item');
    const next = await file('Model v2.rvt', 2000);
    prompts.answer(next.path, 'Upload');
    const job = (await upload('apsExplorer.uploadNewVersion', node))!;

    assert.equal(job.state, 'finished', job.error);
    assert.equal(job.title, 'Upload new version of Model.rvt');
    assert.deepEqual(prompts.asked.slice(-2, -1), ['Upload New Version of Model.rvt']);
    assert.equal(prompts.warnings.at(-1)!.message, `Upload "Model v2.rvt" (2.0 KiB) as a new version of "Model.rvt" in ${HUB}/Tower/Project Files/${target.name}?`);
    assert.match(prompts.warnings.at(-1)!.detail!, /^1 new version of a file already there\.$/m);
    assert.deepEqual(await held(target.id), { 'Model.rvt': [2, sha1(next.bytes)] });
    assert.equal(prompts.notifications.at(-1)!.message, `Uploaded Model.rvt to Tower/Project Files/${target.name} as version 2.`);
    assert.equal(ext.hubs.view.selection[0]?.id, `item:${added.itemId}`);
    assert.match(String(ext.hubs.provider.getTreeItem(node).description), /\bv2\b/, 'the tree shows the new version');
  });

  it('from the palette: into the folder the tree selects, else one found through quick picks', async () => {
    const target = await folder();
    await ext.hubs.view.reveal(target.node, { select: true, focus: false });
    const one = await file('Selected.txt', 10);
    prompts.answer(one.path, 'Upload');
    const selected = (await vscode.commands.executeCommand<JobRecord>('apsExplorer.uploadFiles'))!;
    assert.equal(selected.state, 'finished', selected.error);

    await ext.hubs.view.reveal(await walk(ext, HUB, 'Tower'), { select: true, focus: false });
    const two = await file('Picked.txt', 20);
    prompts.answer(HUB, 'Tower', 'Project Files', target.name, `Choose ${target.name}`, two.path, 'Upload');
    const picked = (await vscode.commands.executeCommand<JobRecord>('apsExplorer.uploadFiles'))!;
    assert.equal(picked.state, 'finished', picked.error);
    assert.deepEqual(prompts.asked.slice(-7, -2), Array(5).fill('APS: Upload Files…'));
    assert.deepEqual(await held(target.id), { 'Selected.txt': [1, sha1(one.bytes)], 'Picked.txt': [1, sha1(two.bytes)] });
  });

  it('says why nothing is uploaded: a file chosen for Upload Files…, a folder for Upload New Version…, a cancelled dialog', async () => {
    const target = await folder();
    own.addFile({ projectId: tower(), folderId: target.id, name: 'A.txt', sizes: [10] });
    const item = await walk(ext, HUB, 'Tower', 'Project Files', target.name, 'A.txt');
    const jobs = ext.jobs.manager.list().length;
    assert.equal(await upload('apsExplorer.uploadFiles', item), undefined);
    assert.match(prompts.notifications.at(-1)!.message, /^A\.txt is a file: uploads go into a folder\. Choose its folder, or use Upload New Version… to add a version of it\.$/);
    assert.equal(await upload('apsExplorer.uploadNewVersion', target.node), undefined);
    assert.match(prompts.notifications.at(-1)!.message, new RegExp(`^${target.name} is a folder: Upload New Version… adds a version to a file`));
    prompts.answer(undefined);
    assert.equal(await upload('apsExplorer.uploadFiles', target.node), undefined);
    assert.equal(ext.jobs.manager.list().length, jobs, 'no job started');
  });

  it('Upload to APS… on files of VS Code’s Explorer asks where they go: a folder, or a file for its next version', async () => {
    const target = await folder();
    const added = own.addFile({ projectId: tower(), folderId: target.id, name: 'Log.csv', sizes: [30] });
    const one = await file('One.csv', 10);
    const two = await file('Two.csv', 20);
    prompts.answer(HUB, 'Tower', 'Project Files', target.name, `Choose ${target.name}`, 'Upload');
    const job = (await vscode.commands.executeCommand<JobRecord>('apsExplorer.uploadToAps', vscode.Uri.file(one.path), [vscode.Uri.file(one.path), vscode.Uri.file(two.path)]))!;
    assert.equal(job.state, 'finished', job.error);
    assert.equal(prompts.asked.at(-2), 'Upload to APS: choose a folder (or a file, for its next version)');

    const log = await file('Log.csv', 40);
    prompts.answer(HUB, 'Tower', 'Project Files', target.name, 'Log.csv', 'Upload');
    const version = (await vscode.commands.executeCommand<JobRecord>('apsExplorer.uploadToAps', vscode.Uri.file(log.path)))!;
    assert.equal(version.state, 'finished', version.error);
    assert.equal(planOf(version).files[0].itemId, added.itemId);
    assert.deepEqual(await held(target.id), { 'Log.csv': [2, sha1(log.bytes)], 'One.csv': [1, sha1(one.bytes)], 'Two.csv': [1, sha1(two.bytes)] });
  });

  it('without a folder open in the window, says so before the open dialog, and offers to open one', async () => {
    const scripted = new ScriptedPrompts();
    const options = { canSelectMany: true, title: 'Upload Files to X' };
    assert.equal(await chooseLocalSources(scripted, options, []), undefined, 'dismissed: no dialog');
    assert.deepEqual(scripted.notifications.map((note) => [note.message, note.buttons]), [
      ['No folder is open in this window. Choose the files to upload anywhere on this computer, or open your project folder first.', ['Choose Files…', 'Open Folder…']],
    ]);
    scripted.onNotify = () => 'Choose Files…';
    scripted.answer('/somewhere/else/a.txt');
    assert.deepEqual(await chooseLocalSources(scripted, options, []), [vscode.Uri.file('/somewhere/else/a.txt').fsPath]);
    assert.deepEqual(scripted.asked, ['Upload Files to X']);
  });

  describe('drops on the Hubs tree', () => {
    it('a drop from the Explorer onto a folder uploads its files and folders', async () => {
      const target = await folder();
      const one = await file('One.txt', 100);
      const deep = await file('Docs/Two.pdf', 200);
      prompts.answer('Upload');
      const job = (await drop(target.node, uriList(one.path, join(local, 'Docs'))))!;

      assert.equal(job.state, 'finished', job.error);
      assert.equal(job.title, `Upload 2 items to ${target.name}`);
      assert.match(prompts.warnings.at(-1)!.detail!, /^2 new files, 1 new folder\.$/m);
      assert.deepEqual(await held(target.id), { Docs: 'folder', 'One.txt': [1, sha1(one.bytes)] });
      assert.deepEqual(await held(await subfolderId(sdk, tower(), target.id, 'Docs')), { 'Two.pdf': [1, sha1(deep.bytes)] });
    });

    it('a drop onto a file makes the dropped file its next version; onto a version, the next version of its file', async () => {
      const target = await folder();
      const added = own.addFile({ projectId: tower(), folderId: target.id, name: 'Drawing.dwg', sizes: [500] });
      const item = await walk(ext, HUB, 'Tower', 'Project Files', target.name, 'Drawing.dwg');
      const second = await file('edited/Drawing.dwg', 600);
      prompts.answer('Upload');
      const job = (await drop(item, uriList(second.path)))!;
      assert.equal(job.state, 'finished', job.error);
      assert.equal(job.title, 'Upload new version of Drawing.dwg');
      assert.deepEqual(await held(target.id), { 'Drawing.dwg': [2, sha1(second.bytes)] });

      const [tip] = await children(ext, await walk(ext, HUB, 'Tower', 'Project Files', target.name, 'Drawing.dwg'));
      assert.equal(tip.kind, 'version');
      const third = await file('again/Drawing.dwg', 700);
      prompts.answer('Upload');
      const again = (await drop(tip, uriList(third.path)))!;
      assert.equal(again.state, 'finished', again.error);
      assert.deepEqual(await held(target.id), { 'Drawing.dwg': [3, sha1(third.bytes)] });
      assert.deepEqual(planOf(again).files.map((one) => [one.action, one.itemId, one.result?.versionNumber]), [['new-version', added.itemId, 3]]);
    });

    it('files dropped from the computer onto a browser window arrive as bytes: staged, uploaded, then the copy removed', async () => {
      const target = await folder();
      const bytes = randomBytes(4321);
      const transfer = new vscode.DataTransfer();
      transfer.set('application/octet-stream', new BrowserFileItem('From Desktop.txt', bytes));
      // What the workbench adds beside such a file: a URI made of its name alone, no file behind it.
      transfer.set('text/uri-list', new vscode.DataTransferItem('file:///From%20Desktop.txt'));
      prompts.answer('Upload');
      const job = (await drop(target.node, transfer))!;

      assert.equal(job.state, 'finished', job.error);
      assert.deepEqual(await held(target.id), { 'From Desktop.txt': [1, sha1(bytes)] });
      const stagedIn = (job.plan as UploadJobPlan).stagedIn!;
      assert.ok(stagedIn, 'the bytes were written to a staging folder first');
      assert.equal(existsSync(stagedIn), false, 'and it is removed once the file is in APS');
    });

    it('says why a drop uploads nothing: onto a project, a hub, several files onto a file; the tree’s own nodes are ignored', async () => {
      const target = await folder();
      own.addFile({ projectId: tower(), folderId: target.id, name: 'Only.txt', sizes: [10] });
      const item = await walk(ext, HUB, 'Tower', 'Project Files', target.name, 'Only.txt');
      const a = await file('a.txt', 1);
      const b = await file('b.txt', 1);
      const jobs = ext.jobs.manager.list().length;

      assert.equal(await drop(await walk(ext, HUB, 'Tower'), uriList(a.path)), undefined);
      assert.equal(prompts.notifications.at(-1)!.message, 'Tower is a project: upload into one of its folders, such as Project Files.');
      assert.equal(await drop(await walk(ext, HUB), uriList(a.path)), undefined);
      assert.equal(prompts.notifications.at(-1)!.message, `${HUB} is a hub: upload into a folder of one of its projects.`);
      assert.equal(await drop(undefined, uriList(a.path)), undefined);
      assert.match(prompts.notifications.at(-1)!.message, /^Drop onto a folder of the APS view/);
      assert.equal(await drop(item, uriList(a.path, b.path)), undefined);
      assert.match(prompts.notifications.at(-1)!.message, /^Only\.txt is a file: it takes one file as its next version\./);
      const treeDrag = new vscode.DataTransfer();
      treeDrag.set('application/vnd.code.tree.apsexplorer.hubs', new vscode.DataTransferItem({ id: 'apsExplorer.hubs' }));
      const said = prompts.notifications.length;
      assert.equal(await drop(target.node, treeDrag), undefined);
      assert.equal(prompts.notifications.length, said, 'dragging the tree’s own nodes says nothing');
      assert.equal(ext.jobs.manager.list().length, jobs, 'no job started');
      assert.deepEqual(Object.keys(await held(target.id)), ['Only.txt']);
    });
  });

  describe('names already taken follow apsExplorer.uploadConflictPolicy', () => {
    async function taken(...names: string[]) {
      const target = await folder();
      for (const name of names) own.addFile({ projectId: tower(), folderId: target.id, name, sizes: [50] });
      await vscode.commands.executeCommand('apsExplorer.refresh');
      return { ...target, node: (await walk(ext, HUB, 'Tower', 'Project Files', target.name)) as FolderNode };
    }

    /** Uploads `localName` into a new folder holding "Plan.dwg", under `policy`. */
    async function uploadOver(policy: string, localName: string, ...answers: string[]) {
      await setSetting('uploadConflictPolicy', policy);
      const target = await taken('Plan.dwg');
      const mine = await file(localName, 80);
      const questions = prompts.warnings.length;
      prompts.answer(mine.path, ...answers);
      const job = (await upload('apsExplorer.uploadFiles', target.node))!;
      assert.equal(job.state, 'finished', job.error);
      return { now: await held(target.id), mine, target, confirmations: prompts.warnings.slice(questions) };
    }

    it('newVersion: the file becomes the next version of the file of that name (compared ignoring case)', async () => {
      const { now, mine, confirmations } = await uploadOver('newVersion', 'PLAN.dwg', 'Upload');
      assert.match(confirmations[0].detail!, /^1 new version of a file already there\.$/m);
      assert.deepEqual(now, { 'Plan.dwg': [2, sha1(mine.bytes)] });
    });

    it('keepBoth: the file is uploaded under a numbered name', async () => {
      const { now, mine } = await uploadOver('keepBoth', 'Plan.dwg', 'Upload');
      assert.deepEqual(Object.keys(now).sort(), ['Plan (1).dwg', 'Plan.dwg']);
      assert.deepEqual(now['Plan (1).dwg'], [1, sha1(mine.bytes)]);
    });

    it('skip: nothing is written, no confirmation is asked, and the job says the name was taken', async () => {
      const { now, target, confirmations } = await uploadOver('skip', 'Plan.dwg');
      assert.deepEqual(confirmations, [], 'nothing to confirm');
      assert.equal(prompts.notifications.at(-1)!.message, `Nothing uploaded to Tower/Project Files/${target.name}: 1 file was skipped, its name is taken.`);
      assert.deepEqual([Object.keys(now), now['Plan.dwg'][0]], [['Plan.dwg'], 1]);
    });

    it('ask: one question per name taken, with an answer for all the others', async () => {
      const target = await taken('A.txt', 'B.txt', 'C.txt');
      const [a, b, c] = await Promise.all(['A.txt', 'B.txt', 'C.txt'].map((name) => file(name, 40)));
      prompts.answer([a, b, c].map((one) => one.path).join('\n'), 'New Version', 'Keep Both for All', 'Upload');
      const job = (await upload('apsExplorer.uploadFiles', target.node))!;

      assert.equal(job.state, 'finished', job.error);
      assert.deepEqual(prompts.asked.slice(-3, -1), [`"A.txt" is already in ${target.name}`, `"B.txt" is already in ${target.name}`], 'C.txt took the answer for all');
      assert.match(prompts.warnings.at(-1)!.detail!, /^2 new files, 1 new version of a file already there\.$/m);
      const now = await held(target.id);
      assert.deepEqual(Object.keys(now).sort(), ['A.txt', 'B (1).txt', 'B.txt', 'C (1).txt', 'C.txt']);
      assert.deepEqual([now['A.txt'], now['B (1).txt'], now['C (1).txt']], [[2, sha1(a.bytes)], [1, sha1(b.bytes)], [1, sha1(c.bytes)]]);
    });

    it('ask, dismissed: the upload is cancelled before anything is written', async () => {
      const target = await taken('A.txt');
      const before = await held(target.id);
      const mine = await file('A.txt', 40);
      prompts.answer(mine.path, undefined);
      const job = (await upload('apsExplorer.uploadFiles', target.node))!;
      assert.equal(job.state, 'cancelled');
      assert.deepEqual(await held(target.id), before);
    });
  });

  describe('refusals name the file and the reason; the other files go on', () => {
    it('a view-only project ("Archive 2019", where the demo user is a viewer) refuses, and nothing is created', async () => {
      const archive = ids().bim360ArchiveProject;
      const files = await walk(ext, HUB, 'Archive 2019', 'Project Files');
      const before = await held((files as FolderNode).folder.id, archive);
      const mine = await file('Archived.rvt', 100);
      prompts.answer(mine.path, 'Upload');
      const job = (await upload('apsExplorer.uploadFiles', files))!;

      assert.equal(job.state, 'failed');
      assert.equal(job.error, 'Autodesk does not let this account add "Archived.rvt" here: it lacks permission to upload to this folder or project.');
      assert.equal(prompts.notifications.at(-1)!.level, 'error');
      assert.match(prompts.notifications.at(-1)!.message, /^Upload Archived\.rvt to Project Files failed: Autodesk does not let this account add "Archived\.rvt" here/);
      assert.deepEqual(await held((files as FolderNode).folder.id, archive), before);
    });

    it('the Plans folder takes only its file types: refused before anything is sent, the others uploaded', async () => {
      const target = await folder(ids().folders.bim360Plans, ['Plans']);
      const sheet = await file('Sheet.pdf', 300);
      const notes = await file('notes.txt', 30);
      prompts.answer(`${sheet.path}\n${notes.path}`, 'Upload');
      const job = (await upload('apsExplorer.uploadFiles', target.node))!;

      assert.match(prompts.warnings.at(-1)!.detail!, /^1 file cannot go: "notes\.txt" cannot go into the Plans folder: it takes only DWF, DWFX, DWG, IFC, PDF, RVT files\.$/m);
      assert.equal(job.state, 'finished', job.error);
      assert.deepEqual(job.failures, [{ name: 'notes.txt', reason: '"notes.txt" cannot go into the Plans folder: it takes only DWF, DWFX, DWG, IFC, PDF, RVT files.' }]);
      assert.deepEqual(await held(target.id), { 'Sheet.pdf': [1, sha1(sheet.bytes)] });
    });

    it('a missing local path and a name APS refuses fail with their reasons, listed under the job; the rest uploads', async () => {
      const target = await folder();
      const good = await file('Good.txt', 64);
      const refused = await file('Cost $.txt', 64);
      const missing = join(local, 'Nowhere.txt');
      prompts.answer('Upload');
      const job = (await drop(target.node, uriList(good.path, missing, refused.path)))!;

      assert.equal(job.state, 'finished', job.error);
      assert.deepEqual(await held(target.id), { 'Good.txt': [1, sha1(good.bytes)] });
      const failures = ext.jobs.provider.getChildren(job) as FailureNode[];
      assert.deepEqual(
        failures.map((node) => [node.failure.name, node.failure.reason]),
        [
          ['Nowhere.txt', `"${missing}" does not exist.`],
          ['Cost $.txt', 'Autodesk refused the name "Cost $.txt". It says: The name "Cost $.txt" is not allowed: it contains "$".'],
        ],
      );
      const done = prompts.notifications.at(-1)!;
      assert.equal(done.level, 'warning');
      assert.match(done.message, /^Uploaded 1 of 3 files to .*\. 2 failed: Nowhere\.txt \(.*does not exist\.\); Cost \$\.txt \(Autodesk refused the name/);
      assert.deepEqual(done.buttons, ['Show Log', 'Reveal in APS']);
      assert.equal((ext.jobs.provider.getTreeItem(job).iconPath as vscode.ThemeIcon).id, 'warning');
    });

    it('a drop of something that is not a local file says so, and uploads the rest', async () => {
      const target = await folder();
      const good = await file('Local.txt', 64);
      const transfer = new vscode.DataTransfer();
      transfer.set('text/uri-list', new vscode.DataTransferItem(`${vscode.Uri.file(good.path).toString()}\r\naps:/project/version/Remote.txt`));
      prompts.answer('Upload');
      const job = (await drop(target.node, transfer))!;
      assert.equal(job.state, 'finished', job.error);
      assert.ok(prompts.notifications.some((note) => note.message === 'aps:/project/version/Remote.txt is not a file or folder on this computer, so it cannot be uploaded.'));
      assert.deepEqual(await held(target.id), { 'Local.txt': [1, sha1(good.bytes)] });
    });
  });

  describe('jobs: cancel, Retry, and resume after a reload', () => {
    const puts = (since: number) => own.requests.list({ origin: 'storage', method: 'PUT' }).filter((request) => request.time >= since).length;
    /** Starts an upload of a 12 MiB file in two parts whose first part stalls; resolves once the second is in storage. */
    async function stalledUpload(target: { id: string; name: string; node: FolderNode }) {
      await setSetting('connections', 2);
      const big = await file('Big Model.rvt', 12 * MiB);
      own.faults.add({ kind: 'stall', origin: 'storage', method: 'PUT', afterBytes: MiB, count: 1 });
      prompts.answer(big.path, 'Upload');
      const started = Date.now();
      void upload('apsExplorer.uploadFiles', target.node);
      const job = await eventually(() => newestJob(ext, `Upload Big Model.rvt to ${target.name}`, started), 'the upload job');
      const journal = journalPath(defaultJournalDir(), { localPath: big.path, projectId: tower(), folderId: target.id, name: 'Big Model.rvt' });
      await eventually(() => existsSync(journal) && (JSON.parse(readFileSync(journal, 'utf8')) as { parts: unknown[] }).parts.length === 1, 'one part in storage', 60_000);
      await eventually(() => (job.progress?.doneBytes ?? 0) >= 6 * MiB, 'the Jobs view counting its bytes');
      return { big, job, journal };
    }

    it('cancel from the Jobs view keeps what storage has; Retry sends only the rest, and makes the file once', async () => {
      const target = await folder();
      const { big, job } = await stalledUpload(target);
      const running = ext.jobs.provider.getTreeItem(job);
      assert.equal((running.iconPath as vscode.ThemeIcon).id, 'cloud-upload');
      assert.match(String(running.contextValue), /\bcancellable\b/);
      assert.match(String(running.description), /^\d+% · .*MiB of 12\.0 MiB/);

      await vscode.commands.executeCommand('apsExplorer.jobs.cancel', job);
      const cancelled = await ext.jobs.manager.settled(job.id);
      assert.equal(cancelled.state, 'cancelled');
      assert.match(String(ext.jobs.provider.getTreeItem(cancelled).contextValue), /\bretryable\b/);
      assert.deepEqual(await held(target.id), {}, 'no item before its bytes are all in storage');

      const retriedAt = own.clock.now();
      const retried = await vscode.commands.executeCommand<JobRecord>('apsExplorer.jobs.retry', job);
      assert.equal(retried.state, 'finished', retried.error);
      assert.equal(planOf(retried).files[0].result?.resumedBytes, 6 * MiB, 'the part storage had was not sent again');
      assert.equal(puts(retriedAt), 1);
      assert.deepEqual(await held(target.id), { 'Big Model.rvt': [1, sha1(big.bytes)] });
    });

    it('a window reload stops a running upload and resumes it from the plan kept in workspaceState', async () => {
      const target = await folder();
      const { big, job, journal } = await stalledUpload(target);
      const { settled, reloadedAt } = await reloadDuring(ext, own, job, 'uploading');
      assert.equal(settled.state, 'finished', settled.error);
      assert.equal(planOf(settled).files[0].result?.resumedBytes, 6 * MiB);
      assert.equal(puts(reloadedAt), 1, 'only the part that had not arrived');
      assert.equal(own.requests.list({ origin: 'api', method: 'POST', path: /\/data\/v1\/projects\/[^/]+\/items$/ }).filter((request) => request.time >= reloadedAt).length, 1);
      assert.deepEqual(await held(target.id), { 'Big Model.rvt': [1, sha1(big.bytes)] });
      assert.equal(existsSync(journal), false, 'the journal goes once the file is in APS');
    });
  });

  describe('signed in with Autodesk, in a personal hub', () => {
    before(async () => {
      await ext.accounts.signOut();
      await signInAsUser(own, ext, prompts, own.seed.ids.users.demo);
    });

    after(async () => {
      await ext.accounts.signOut();
      await setSetting('clientId', own.seed.credentials.clientId);
      await ext.accounts.reconnect();
      await signInWithApp(ext, prompts, own.seed.credentials.clientSecret!);
    });

    it('is not confirmed (no BIM 360 / ACC project), and goes in with the personal hub’s extension types', async () => {
      const { personalProject, folders: seeded, users } = ids();
      const name = `Personal ${tests}`;
      const id = own.addFolder({ projectId: personalProject, parentId: seeded.personalRoot, name });
      await vscode.commands.executeCommand('apsExplorer.refresh');
      const node = await walk(ext, "Dana's Hub", 'Demo Project', 'Demo Project', name);
      const mine = await file('Sketch.f3d', 500);
      const questions = prompts.warnings.length;
      prompts.answer(mine.path);
      const job = (await upload('apsExplorer.uploadFiles', node))!;
      assert.equal(job.state, 'finished', job.error);
      assert.equal(prompts.warnings.length, questions, 'no confirmation');
      const asDana = sdkClients(own, own.issueToken({ scopes: ['data:read'], userId: users.demo }));
      assert.deepEqual(await folderHeld(asDana, personalProject, id), { 'Sketch.f3d': [1, sha1(mine.bytes)] });
    });
  });

  describe('signed out', () => {
    it('asks to sign in first, and uploads nothing', async () => {
      const target = await folder();
      await ext.accounts.signOut();
      const jobs = ext.jobs.manager.list().length;
      assert.equal(await upload('apsExplorer.uploadFiles', target.node), undefined);
      assert.equal(prompts.notifications.at(-1)!.message, 'Sign in to APS first (the APS view offers both ways).');
      assert.equal(ext.jobs.manager.list().length, jobs);
    });
  });
});
