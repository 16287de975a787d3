// Pushing a mirror's local changes into APS against the strict emulator: what the preview says, what APS holds
// afterwards (through Autodesk's SDK and the emulator's stored objects), conflicts, the record, and resume.
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { setTimeout as wait } from 'node:timers/promises';
import * as path from 'node:path';
import { loadManifest, MirrorError, PENDING_PUSH_FILE, type PushPreviewEntry } from '../../../src/core/mirror';
import { savePendingPush } from '../../../src/core/mirror/push/pending';
import { localTree, objectDownloads, sdkTree } from './harness';
import { usePushHarness } from './pushHarness';
import { sha1Of } from '../upload/harness';

describe('mirror push: local changes back into APS', function () {
  this.timeout(90_000);
  const h = usePushHarness();
  const local = (...names: string[]) => path.join(h.dir, ...names);
  const writes = () => h.emulator.requests.list().filter((request) => request.method !== 'GET' && !request.path.includes('/authentication/'));
  const manifest = async () => {
    const loaded = await loadManifest(h.dir);
    assert.equal(loaded.kind, 'ok');
    return loaded.kind === 'ok' ? loaded.manifest : (undefined as never);
  };
  /** The part numbers the upload journals list. */
  const journaledParts = async (): Promise<number[]> => {
    const parts: number[] = [];
    for (const name of await readdir(h.journalDir).catch(() => [] as string[])) {
      if (!/^[0-9a-f]{40}\.json$/.test(name)) continue;
      const journal = JSON.parse(await readFile(path.join(h.journalDir, name), 'utf8').catch(() => '{}')) as { parts?: [number, string][] };
      parts.push(...(journal.parts ?? []).map(([part]) => part));
    }
    return parts.sort();
  };
  const shown = (entries: readonly PushPreviewEntry[]) => entries.map((entry) => ({ ...entry, ...('folder' in entry ? { folder: entry.folder.slice(3) } : {}) }));

  it('makes a changed file the next version, a new file a new item of its folder and a new folder an APS folder, after a preview that wrote nothing; the next mirror fetches nothing', async () => {
    const tree = h.tree({ 'Model.rvt': [1000], 'Notes.txt': [100, 120], Sub: { 'deep.txt': [50] } });
    await h.mirror(tree.folderId);
    const model = randomBytes(3000);
    await writeFile(local('Model.rvt'), model);
    await writeFile(local('Sub', 'new.txt'), 'new here');
    await mkdir(local('New Folder', 'Inner'), { recursive: true });
    await writeFile(local('New Folder', 'Inner', 'inner.txt'), 'deep and new');
    await mkdir(local('Empty'));
    h.emulator.requests.clear();

    const { plan } = await h.preview();
    assert.deepEqual(writes(), [], 'the survey and the plan write nothing');
    assert.equal(existsSync(local(PENDING_PUSH_FILE)), false);
    assert.deepEqual(shown(plan.preview), [
      { kind: 'new-folder', path: 'Empty', name: 'Empty', folder: ['Mirror'] },
      { kind: 'new-folder', path: 'New Folder', name: 'New Folder', folder: ['Mirror'] },
      { kind: 'new-folder', path: 'New Folder/Inner', name: 'Inner', folder: ['Mirror', 'New Folder'] },
      { kind: 'new-version', path: 'Model.rvt', name: 'Model.rvt', from: 1, to: 2, size: 3000 },
      { kind: 'new-file', path: 'New Folder/Inner/inner.txt', name: 'inner.txt', folder: ['Mirror', 'New Folder', 'Inner'], size: 12 },
      { kind: 'new-file', path: 'Sub/new.txt', name: 'new.txt', folder: ['Mirror', 'Sub'], size: 8 },
    ]);
    assert.deepEqual(plan.summary, { newVersions: 1, newFiles: 2, newFolders: 3, bytes: 3020, conflicts: 0, refused: 0, inAps: 0, deletedHere: 0 });

    const report = await h.push();
    assert.equal(report.cancelled, false);
    assert.deepEqual(report.events.map(({ status, path: at, versionNumber }) => [status, at, versionNumber]).sort(), [
      ['pushed', 'Model.rvt', 2],
      ['pushed', 'New Folder/Inner/inner.txt', 1],
      ['pushed', 'Sub/new.txt', 1],
    ]);
    assert.deepEqual(report.folders.sort(), ['Empty', 'New Folder', 'New Folder/Inner']);
    assert.deepEqual(await sdkTree(h.emulator, tree.folderId), await localTree(h.dir), 'APS holds exactly the local tree, byte for byte');
    const versions = await h.versions(tree.files.get('Model.rvt')!.itemId);
    assert.equal(versions.length, 2);
    assert.equal((await h.emulator.describeObject(versions[0].storage!.bucketKey, versions[0].storage!.objectKey)).sha1, sha1Of(model));
    const made = await h.writer.dm.listFolderContents(h.emulator.seed.ids.bim360Project, tree.folderId);
    assert.deepEqual(made.filter((entry) => entry.type === 'folders').map((entry) => entry.name).sort(), ['Empty', 'New Folder', 'Sub']);

    const record = await manifest();
    assert.equal(record.files['Model.rvt'].versionNumber, 2);
    assert.equal(record.files['Model.rvt'].sha1, sha1Of(model));
    assert.ok(record.folders['New Folder/Inner'] && record.folders.Empty);
    assert.deepEqual(record.lastPush && { ...record.lastPush, finishedAt: undefined }, { finishedAt: undefined, newVersions: 1, newFiles: 2, newFolders: 3, recorded: 0, conflicts: 0, failed: 0 });
    assert.equal(existsSync(local(PENDING_PUSH_FILE)), false, 'the pending push is gone once it ran');

    h.emulator.requests.clear();
    const again = await h.mirror(tree.folderId);
    assert.deepEqual(objectDownloads(h.emulator), [], 'nothing pushed is downloaded again');
    assert.deepEqual(again.events, []);
    assert.equal(again.counts.unchanged, 5);
    const { plan: nothing } = await h.preview();
    assert.deepEqual(nothing.preview, [], 'nothing is left to push');
  });

  it('lists files deleted here without deleting them in APS, and leaves out its own files, downloads in progress and system litter', async () => {
    const tree = h.tree({ 'keep.txt': [10], 'gone.txt': [20] });
    await h.mirror(tree.folderId);
    await rm(local('gone.txt'));
    await writeFile(local('.DS_Store'), 'finder');
    await writeFile(local('~$Model.docx'), 'office');
    await writeFile(local('half.bin.apspart'), 'partial');
    const { plan } = await h.preview();
    assert.deepEqual(plan.preview, [{ kind: 'deleted-here', path: 'gone.txt' }]);
    const report = await h.push();
    assert.deepEqual(report.events, []);
    assert.deepEqual(Object.keys(await sdkTree(h.emulator, tree.folderId)), ['gone.txt', 'keep.txt'], 'APS still has the file deleted here');
  });

  describe('conflicts: APS moved on since the last mirror', () => {
    async function edited() {
      const tree = h.tree({ 'a.txt': [10], 'b.txt': [20] });
      await h.mirror(tree.folderId);
      await writeFile(local('a.txt'), 'mine, a');
      await writeFile(local('b.txt'), 'mine, b');
      const theirs = h.emulator.addVersion(tree.files.get('a.txt')!.itemId, 11);
      return { tree, theirs };
    }

    it('skips them by default: reported with both version numbers, never overwritten', async () => {
      const { tree, theirs } = await edited();
      const { plan } = await h.preview();
      assert.deepEqual(plan.preview, [
        { kind: 'conflict', path: 'a.txt', conflict: 'remote-newer', here: 1, there: 2 },
        { kind: 'new-version', path: 'b.txt', name: 'b.txt', from: 1, to: 2, size: 7 },
      ]);
      await h.push();
      const a = await h.versions(tree.files.get('a.txt')!.itemId);
      assert.deepEqual([a.length, a[0].id], [2, theirs.versionId], "APS's newer version stays the tip");
      assert.equal(await readFile(local('a.txt'), 'utf8'), 'mine, a', 'the local edit stays too');
      assert.deepEqual((await manifest()).files['a.txt'].pending, { versionId: theirs.versionId, versionNumber: 2, size: 11 }, 'recorded as behind APS, as a mirror records it');
      assert.equal((await h.versions(tree.files.get('b.txt')!.itemId)).length, 2);
      const { plan: again } = await h.preview();
      assert.deepEqual(again.preview, [{ kind: 'conflict', path: 'a.txt', conflict: 'remote-newer', here: 1, there: 2 }], 'still a conflict next time');
    });

    it('keeps both when asked: a numbered new item, the local file renamed to it, and the next mirror brings back APS’s', async () => {
      const { tree, theirs } = await edited();
      const { plan } = await h.preview('keep-both');
      assert.deepEqual(plan.preview[0], { kind: 'new-file', path: 'a.txt', name: 'a (1).txt', folder: [...h.source(tree.folderId).names], size: 7, keptBoth: 'remote-newer' });
      const report = await h.push('keep-both');
      assert.deepEqual(report.events.find((event) => event.path === 'a.txt')?.movedTo, 'a (1).txt');
      assert.equal(await readFile(local('a (1).txt'), 'utf8'), 'mine, a');
      assert.equal((await h.versions(tree.files.get('a.txt')!.itemId))[0].id, theirs.versionId, 'not overwritten');
      h.emulator.requests.clear();
      const mirrored = await h.mirror(tree.folderId);
      assert.deepEqual(mirrored.events.map(({ status, path: at }) => [status, at]), [['restored', 'a.txt']]);
      assert.deepEqual(await localTree(h.dir), await sdkTree(h.emulator, tree.folderId));
    });

    it('overwrites only when asked: the local file becomes the version on top of APS’s newer one', async () => {
      const { tree } = await edited();
      const { plan } = await h.preview('overwrite');
      assert.deepEqual(plan.preview[0], { kind: 'new-version', path: 'a.txt', name: 'a.txt', from: 2, to: 3, size: 7, overwrites: 'remote-newer' });
      await h.push('overwrite');
      const a = await h.versions(tree.files.get('a.txt')!.itemId);
      assert.equal(a.length, 3);
      assert.equal((await sdkTree(h.emulator, tree.folderId))['a.txt'], sha1Of(Buffer.from('mine, a')));
      h.emulator.requests.clear();
      await h.mirror(tree.folderId);
      assert.deepEqual(objectDownloads(h.emulator), []);
    });

    async function changedMeanwhile(policy: 'skip' | 'keep-both') {
      const tree = h.tree({ 'late.txt': [10] });
      await h.mirror(tree.folderId);
      await writeFile(local('late.txt'), 'mine');
      let theirs: { versionId: string } | undefined;
      const report = await h.push(policy, {
        beforeRun: (plan) => {
          assert.deepEqual(plan.preview.map((entry) => entry.kind), ['new-version']);
          theirs = h.emulator.addVersion(tree.files.get('late.txt')!.itemId, 12);
        },
      });
      return { tree, report, theirs: theirs! };
    }

    it('does not overwrite a version APS got between the preview and the run', async () => {
      const { tree, report, theirs } = await changedMeanwhile('skip');
      assert.deepEqual(report.events.map(({ status, path: at }) => [status, at]), [['skipped', 'late.txt']]);
      assert.equal((await h.versions(tree.files.get('late.txt')!.itemId))[0].id, theirs.versionId);
      assert.equal((await manifest()).files['late.txt'].versionNumber, 1, 'the record still says what the mirror brought');
    });

    it('keeps both when APS got a version between the preview and the run and the policy says keep both', async () => {
      const { tree, report } = await changedMeanwhile('keep-both');
      assert.deepEqual(report.events.map(({ status, path: at, movedTo }) => [status, at, movedTo]), [['pushed', 'late.txt', 'late (1).txt']]);
      assert.deepEqual([...(await h.items(tree.folderId)).keys()].sort(), ['late (1).txt', 'late.txt']);
      assert.equal((await h.versions(tree.files.get('late.txt')!.itemId)).length, 2, "APS's version stays on top");
      assert.equal((await sdkTree(h.emulator, tree.folderId))['late (1).txt'], sha1Of(Buffer.from('mine')));
    });

    it('a new file whose name APS now has is a conflict; a file deleted from APS and changed here is one too', async () => {
      const tree = h.tree({ 'kept.txt': [10], 'removed.txt': [20] });
      await h.mirror(tree.folderId);
      h.emulator.addFile({ projectId: h.emulator.seed.ids.bim360Project, folderId: tree.folderId, name: 'Report.pdf', sizes: [40] });
      await writeFile(local('report.PDF'), 'mine');
      await writeFile(local('removed.txt'), 'changed here');
      h.emulator.removeItem(tree.files.get('removed.txt')!.itemId);
      const { plan } = await h.preview();
      assert.deepEqual(plan.preview, [
        { kind: 'conflict', path: 'removed.txt', conflict: 'remote-removed', here: 1 },
        { kind: 'conflict', path: 'report.PDF', conflict: 'name-taken', there: 1 },
      ]);
      const { plan: both } = await h.preview('keep-both');
      assert.deepEqual(both.preview.map((entry) => entry.kind === 'new-file' && [entry.path, entry.name]), [
        ['removed.txt', 'removed (1).txt'],
        ['report.PDF', 'report (1).PDF'],
      ]);
      await h.push('overwrite');
      const items = await h.items(tree.folderId);
      assert.equal((await h.versions(items.get('Report.pdf')!.id)).length, 2, 'overwrite: the next version of the file of that name');
      assert.ok(items.get('removed.txt'), 'overwrite: the deleted file is back');
      assert.deepEqual(Object.keys((await manifest()).files).sort(), ['Report.pdf', 'kept.txt', 'removed.txt']);
      assert.equal(existsSync(local('report.PDF')), false, 'the local file took the name APS has');
      h.emulator.requests.clear();
      await h.mirror(tree.folderId);
      assert.deepEqual(objectDownloads(h.emulator), []);
    });
  });

  describe('resume', () => {
    it('finishes a cancelled push from its pending plan: finished files and parts are not sent again, nothing is made twice', async () => {
      const tree = h.tree({ 'small.txt': [10] });
      await h.mirror(tree.folderId);
      await writeFile(local('small.txt'), 'changed');
      await writeFile(local('added.txt'), 'added');
      await writeFile(local('Big.rvt'), randomBytes(12 * 1024 * 1024 + 5));
      // Big.rvt goes in three parts: the first one to be sent arrives, the other two never get an answer.
      const stall = h.emulator.faults.add({ kind: 'stall', origin: 'storage', method: 'PUT', path: '**/*.rvt', skip: 1 });
      const stop = new AbortController();
      const settled: string[] = [];
      const running = h.push('skip', { signal: stop.signal, onFile: (event) => settled.push(event.path) });
      while (settled.length < 2 || (await journaledParts()).length < 1) await wait(20);
      stop.abort();
      const first = await running;
      assert.equal(first.cancelled, true);
      assert.deepEqual(settled.sort(), ['added.txt', 'small.txt']);
      const kept = await journaledParts();
      assert.equal(kept.length, 1, 'one part arrived and is in the journal');
      assert.ok(existsSync(local(PENDING_PUSH_FILE)), 'the accepted plan stays for the resume');
      assert.equal((await manifest()).files['small.txt'].versionNumber, 2, 'what arrived is recorded');
      await assert.rejects(h.mirror(tree.folderId), (error: unknown) => error instanceof MirrorError && error.code === 'push-pending', 'a mirror waits for it');

      h.emulator.faults.remove(stall);
      h.emulator.requests.clear();
      const second = await h.push();
      assert.equal(second.resumed, true);
      assert.deepEqual(second.events.map(({ status, path: at }) => [status, at]), [['pushed', 'Big.rvt']]);
      const puts = h.emulator.requests.list({ origin: 'storage', method: 'PUT' }).filter((put) => put.status === 200);
      assert.deepEqual(puts.map((put) => Number(put.query.partNumber)).sort(), [1, 2, 3].filter((part) => !kept.includes(part)), 'only the parts that had not arrived');
      assert.equal(h.emulator.requests.list({ method: 'POST', path: /\/items$/ }).length, 1, 'one item made: the big file');
      assert.equal(h.emulator.requests.list({ method: 'POST', path: /\/versions$/ }).length, 0);
      assert.deepEqual(await sdkTree(h.emulator, tree.folderId), await localTree(h.dir));
      assert.equal(existsSync(local(PENDING_PUSH_FILE)), false);
    });

    it('records files that reached APS before a killed push could record them, without making them again', async () => {
      const tree = h.tree({ 'one.txt': [10] });
      await h.mirror(tree.folderId);
      await writeFile(local('one.txt'), 'changed here');
      await writeFile(local('two.txt'), 'new here');
      const { plan } = await h.preview();
      // What a push killed right after its files reached APS leaves: the accepted plan, the files not yet recorded.
      plan.acceptedAt = new Date().toISOString();
      await savePendingPush(h.dir, plan);
      const sent = await h.uploadEngine().run(structuredClone(plan.upload));
      assert.equal(sent.uploaded.length, 2);

      h.emulator.requests.clear();
      const report = await h.push();
      assert.deepEqual(report.events.map(({ status, path: at }) => [status, at]).sort(), [['recorded', 'one.txt'], ['recorded', 'two.txt']]);
      assert.deepEqual(h.emulator.requests.list({ method: 'POST' }).filter((request) => !request.path.includes('/authentication/')), [], 'nothing made again');
      assert.equal((await h.versions(tree.files.get('one.txt')!.itemId)).length, 2);
      assert.equal((await h.items(tree.folderId)).size, 2);
      h.emulator.requests.clear();
      await h.mirror(tree.folderId);
      assert.deepEqual(objectDownloads(h.emulator), []);
    });
  });

  it('refuses what APS cannot take, naming why: a file where APS has a folder of that name, two new names that differ only in case', async () => {
    const tree = h.tree({ 'a.txt': [10] });
    await h.mirror(tree.folderId);
    h.emulator.addFolder({ projectId: h.emulator.seed.ids.bim360Project, parentId: tree.folderId, name: 'Specs' });
    await writeFile(local('specs'), 'a file');
    await writeFile(local('B.txt'), 'upper');
    await writeFile(local('b.txt'), 'lower');
    const { plan } = await h.preview();
    assert.deepEqual(
      plan.preview.map((entry) => [entry.kind, entry.path, 'reason' in entry ? entry.reason : undefined]),
      [
        ['new-file', 'B.txt', undefined],
        ['refused', 'b.txt', 'another new file here has that name when case is ignored, as APS compares names'],
        ['refused', 'specs', 'a folder named "Specs" is there in APS'],
      ],
    );
    assert.equal(plan.summary.refused, 2);
  });
});
