// The mirror against the strict emulator (rate limits on): a first run copies the tree, later runs only what changed.
import * as assert from 'node:assert/strict';
import { appendFile, readFile, stat, utimes, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { loadManifest } from '../../../src/core/mirror';
import { localTree, objectDownloads, sdkTree, useMirrorHarness } from './harness';

describe('mirror: a folder kept in step with APS (against the emulator)', function () {
  this.timeout(60_000);
  const h = useMirrorHarness();
  const SPEC = { 'Site Plan.dwg': [3000, 5000], Notes: { 'a.txt': [10], 'b.txt': [20], Deep: { 'c.rvt': [70_000] } }, Empty: {} };

  it('copies the tree: the bytes and layout APS holds (read through Autodesk SDK), and a manifest of what it wrote', async () => {
    const tree = h.tree(SPEC);
    const report = await h.mirror(tree.folderId);
    assert.equal(report.complete, true);
    assert.deepEqual(report.counts.fetched, 4);
    assert.deepEqual(await localTree(h.dir), await sdkTree(h.emulator, tree.folderId));
    assert.deepEqual(Object.keys(await localTree(h.dir)), ['Notes/a.txt', 'Notes/b.txt', 'Notes/Deep/c.rvt', 'Site Plan.dwg']);
    assert.ok((await stat(path.join(h.dir, 'Empty'))).isDirectory(), 'empty folders are mirrored too');
    const loaded = await loadManifest(h.dir);
    assert.equal(loaded.kind, 'ok');
    if (loaded.kind !== 'ok') return;
    const plan = loaded.manifest.files['Site Plan.dwg'];
    const added = tree.files.get('Site Plan.dwg')!;
    assert.equal(plan.itemId, added.itemId);
    assert.equal(plan.versionId, added.versionIds[1]);
    assert.equal(plan.versionNumber, 2);
    assert.equal(plan.size, 5000);
    const local = await stat(path.join(h.dir, 'Site Plan.dwg'));
    assert.deepEqual([plan.localSize, plan.localMtimeMs], [local.size, local.mtimeMs]);
    assert.equal(loaded.manifest.folders.Notes, tree.folders.get('Notes'));
    assert.equal(loaded.manifest.folders['Notes/Deep'], tree.folders.get('Notes/Deep'));
    assert.equal(loaded.manifest.folders[''], tree.folderId);
    assert.equal(loaded.manifest.lastRun?.fetched, 4);
  });

  it('fetches nothing on a second run when nothing changed (no object requested, counted in the request log)', async () => {
    const tree = h.tree(SPEC);
    await h.mirror(tree.folderId);
    h.emulator.requests.clear();
    const report = await h.mirror(tree.folderId);
    assert.equal(report.counts.unchanged, 4);
    assert.equal(report.counts.fetched + report.counts.updated, 0);
    assert.deepEqual(objectDownloads(h.emulator), []);
    assert.deepEqual(h.emulator.requests.list({ path: /signeds3download/ }), [], 'nothing was signed either');
  });

  it('fetches a new remote version, and only that file', async () => {
    const tree = h.tree(SPEC);
    await h.mirror(tree.folderId);
    const a = tree.files.get('Notes/a.txt')!;
    const added = h.emulator.addVersion(a.itemId, 4321);
    h.emulator.requests.clear();
    const report = await h.mirror(tree.folderId);
    assert.deepEqual(report.events.map((event) => [event.status, event.path, event.versionNumber]), [['updated', 'Notes/a.txt', 2]]);
    assert.deepEqual(objectDownloads(h.emulator).map((request) => request.split('/').at(-1)), [added.objectKey.split('/')[1]]);
    assert.deepEqual(await localTree(h.dir), await sdkTree(h.emulator, tree.folderId));
  });

  it('keeps a local edit as a conflict: kept both, never overwritten, and not asked again for that version', async () => {
    const tree = h.tree(SPEC);
    await h.mirror(tree.folderId);
    const file = path.join(h.dir, 'Notes', 'b.txt');
    await writeFile(file, 'my own edit');
    const b = tree.files.get('Notes/b.txt')!;
    h.emulator.addVersion(b.itemId, 777);
    const report = await h.mirror(tree.folderId, { answers: { conflicts: 'keepBoth' } });
    assert.deepEqual(
      report.events.map(({ status, path: at, conflict, settled, other }) => ({ status, at, conflict, settled, other })),
      [{ status: 'conflict', at: 'Notes/b.txt', conflict: 'edited', settled: 'keepBoth', other: 'Notes/b (1).txt' }],
    );
    assert.equal(await readFile(file, 'utf8'), 'my own edit');
    const apsNow = await sdkTree(h.emulator, tree.folderId);
    assert.equal((await localTree(h.dir))['Notes/b (1).txt'], apsNow['Notes/b.txt']);
    const again = await h.mirror(tree.folderId, { answers: { conflicts: undefined } });
    assert.deepEqual(again.events.map(({ status, settled }) => [status, settled]), [['conflict', 'kept-both-before']]);
    assert.equal(await readFile(file, 'utf8'), 'my own edit');
  });

  it('reports a local edit of a file APS did not change, and leaves it alone', async () => {
    const tree = h.tree(SPEC);
    await h.mirror(tree.folderId);
    await appendFile(path.join(h.dir, 'Notes', 'a.txt'), 'more');
    h.emulator.requests.clear();
    const report = await h.mirror(tree.folderId);
    assert.deepEqual(report.events.map((event) => [event.status, event.path]), [['changed-locally', 'Notes/a.txt']]);
    assert.deepEqual(objectDownloads(h.emulator), []);
  });

  it('treats a file saved again with the same bytes as unchanged (its SHA-1 is checked)', async () => {
    const tree = h.tree(SPEC);
    await h.mirror(tree.folderId);
    const later = new Date(Date.now() + 60_000);
    await utimes(path.join(h.dir, 'Notes', 'a.txt'), later, later);
    const report = await h.mirror(tree.folderId);
    assert.equal(report.counts.unchanged, 4);
    assert.deepEqual(report.events, []);
  });
});
