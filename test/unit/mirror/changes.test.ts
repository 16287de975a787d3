// What a mirror does with removed, moved and colliding files, and with a target it did not write.
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { loadManifest, MANIFEST_FILE, MirrorError } from '../../../src/core/mirror';
import { answering, localTree, objectDownloads, sdkTree, useMirrorHarness } from './harness';

describe('mirror: removed, moved and colliding files, and targets it did not write', function () {
  this.timeout(60_000);
  const h = useMirrorHarness();

  it('reports files removed from APS and deletes only with consent, only what it wrote and nobody changed', async () => {
    const tree = h.tree({ 'keep.txt': [10], 'gone.txt': [20], 'edited.txt': [30], Sub: { 'deep.txt': [40] } });
    await h.mirror(tree.folderId);
    for (const name of ['gone.txt', 'edited.txt', 'Sub/deep.txt']) h.emulator.removeItem(tree.files.get(name)!.itemId);
    await writeFile(path.join(h.dir, 'edited.txt'), 'changed here');
    await writeFile(path.join(h.dir, 'mine.txt'), 'never mirrored');

    const kept = await h.mirror(tree.folderId, { answers: { deleteRemoved: false } });
    assert.deepEqual(kept.events.map(({ status, path: at }) => [status, at]).sort(), [['removed-remotely', 'Sub/deep.txt'], ['removed-remotely', 'edited.txt'], ['removed-remotely', 'gone.txt']]);
    assert.ok(existsSync(path.join(h.dir, 'gone.txt')));

    const decisions = answering({ deleteRemoved: true });
    const deleted = await h.mirror(tree.folderId, { decisions });
    assert.deepEqual(decisions.asked, ['deleteRemoved']);
    assert.deepEqual(deleted.events.filter((event) => event.status === 'deleted').map((event) => event.path).sort(), ['Sub/deep.txt', 'gone.txt']);
    assert.deepEqual(Object.keys(await localTree(h.dir)), ['edited.txt', 'keep.txt', 'mine.txt'], 'the edited file and the untracked one stay');
    assert.equal(existsSync(path.join(h.dir, 'Sub')), false, 'the folder it emptied went too');
    const loaded = await loadManifest(h.dir);
    assert.deepEqual(loaded.kind === 'ok' && Object.keys(loaded.manifest.files).sort(), ['edited.txt', 'keep.txt']);
  });

  it('moves a local file after a move in APS instead of downloading it again', async () => {
    const tree = h.tree({ 'plan.pdf': [500], Archive: {} });
    await h.mirror(tree.folderId);
    h.emulator.moveItem(tree.files.get('plan.pdf')!.itemId, tree.folders.get('Archive')!);
    h.emulator.requests.clear();
    const report = await h.mirror(tree.folderId);
    assert.deepEqual(report.events.map(({ status, path: at, other }) => [status, at, other]), [['moved', 'Archive/plan.pdf', 'plan.pdf']]);
    assert.deepEqual(objectDownloads(h.emulator), []);
    assert.deepEqual(await localTree(h.dir), await sdkTree(h.emulator, tree.folderId));
  });

  it('numbers names that collide on Windows or macOS (case, unsafe characters), reports them, and keeps the numbers stable', async () => {
    const tree = h.tree({ 'Readme.txt': [11], 'README.txt': [12], 'a:b.txt': [13], 'a_b.txt': [14], docs: { 'x.txt': [15] }, 'Docs': [16] });
    const report = await h.mirror(tree.folderId);
    const renamed = report.events.filter((event) => event.status === 'renamed').map(({ path: at, remotePath, other }) => ({ at, remotePath, other }));
    // APS lists folders first, then files by name (code points): the later of two colliding names is numbered.
    assert.deepEqual(renamed.sort((a, b) => (a.at < b.at ? -1 : 1)), [
      { at: 'Docs (1)', remotePath: 'Docs', other: 'Docs' },
      { at: 'Readme (1).txt', remotePath: 'Readme.txt', other: 'Readme.txt' },
      { at: 'a_b (1).txt', remotePath: 'a_b.txt', other: 'a_b.txt' },
    ]);
    const local = await localTree(h.dir);
    const aps = await sdkTree(h.emulator, tree.folderId);
    assert.equal(local['a_b.txt'], aps['a:b.txt']);
    assert.equal(local['a_b (1).txt'], aps['a_b.txt']);
    assert.equal(local['README.txt'], aps['README.txt']);
    assert.equal(local['Readme (1).txt'], aps['Readme.txt']);
    assert.equal(local['Docs (1)'], aps.Docs);
    assert.equal(local['docs/x.txt'], aps['docs/x.txt']);
    h.emulator.requests.clear();
    const again = await h.mirror(tree.folderId);
    assert.equal(again.counts.unchanged, 6);
    assert.deepEqual(objectDownloads(h.emulator), []);
  });

  it('refuses a folder that holds files and no mirror record, unless told to mirror into it: then it keeps what matches APS', async () => {
    const tree = h.tree({ 'same.txt': [100], 'different.txt': [200], 'new.txt': [300] });
    const aps = await sdkTree(h.emulator, tree.folderId);
    const [bucketKey, objectKey] = tree.files.get('same.txt')!.objectKeys[0].split('/');
    await writeFile(path.join(h.dir, 'same.txt'), h.emulator.objectBytes(bucketKey, objectKey));
    await writeFile(path.join(h.dir, 'different.txt'), 'not what APS has');

    await assert.rejects(h.mirror(tree.folderId), (error: unknown) => error instanceof MirrorError && error.code === 'declined');
    assert.equal(existsSync(path.join(h.dir, MANIFEST_FILE)), false);
    assert.deepEqual(Object.keys(await localTree(h.dir)), ['different.txt', 'same.txt']);

    h.emulator.requests.clear();
    const report = await h.mirror(tree.folderId, { answers: { adoptNonEmpty: true, conflicts: 'keepBoth' } });
    const statuses = Object.fromEntries(report.events.map((event) => [event.path, [event.status, event.other]]));
    assert.deepEqual(statuses, { 'same.txt': ['adopted', undefined], 'new.txt': ['fetched', undefined], 'different.txt': ['conflict', 'different (1).txt'] });
    const downloaded = objectDownloads(h.emulator).length;
    assert.equal(downloaded, 2, 'the matching file was not downloaded');
    const local = await localTree(h.dir);
    assert.equal(local['same.txt'], aps['same.txt']);
    assert.equal(local['different (1).txt'], aps['different.txt']);
    assert.equal(await readFile(path.join(h.dir, 'different.txt'), 'utf8'), 'not what APS has');
  });

  it('rebuilds a damaged manifest by comparing sizes and SHA-1 with APS, never trusting it', async () => {
    const tree = h.tree({ 'a.txt': [100], Sub: { 'b.txt': [200], 'c.txt': [300] } });
    await h.mirror(tree.folderId);
    const manifest = path.join(h.dir, MANIFEST_FILE);
    const text = await readFile(manifest, 'utf8');
    await writeFile(manifest, text.slice(0, text.length / 2));
    await writeFile(path.join(h.dir, 'Sub', 'c.txt'), 'x'.repeat(300));

    const declined = answering({ rebuildDamaged: false });
    await assert.rejects(h.mirror(tree.folderId, { decisions: declined }), /damaged \(it is not valid JSON/);
    h.emulator.requests.clear();
    const decisions = answering({ rebuildDamaged: true, conflicts: 'overwrite' });
    const report = await h.mirror(tree.folderId, { decisions });
    assert.deepEqual(decisions.asked, ['rebuildDamaged', 'conflicts']);
    const statuses = Object.fromEntries(report.events.map((event) => [event.path, event.status]));
    assert.deepEqual(statuses, { 'a.txt': 'adopted', 'Sub/b.txt': 'adopted', 'Sub/c.txt': 'conflict' });
    assert.equal(objectDownloads(h.emulator).length, 1, 'only the file whose bytes differ (same size) was downloaded');
    assert.deepEqual(await localTree(h.dir), await sdkTree(h.emulator, tree.folderId));
    assert.equal((await loadManifest(h.dir)).kind, 'ok');
    assert.ok(existsSync(`${manifest}.damaged`), 'the damaged record is kept aside');
  });

  it('refuses to mirror another folder into a mirror', async () => {
    const first = h.tree({ 'a.txt': [1] });
    const second = h.tree({ 'b.txt': [2] });
    await h.mirror(first.folderId);
    await assert.rejects(h.mirror(second.folderId), (error: unknown) => error instanceof MirrorError && error.code === 'other-remote' && /is the mirror of/.test(error.message));
  });
});
