// Mirrors within APS's quotas: one budget for every worker and every running mirror of a client, a 429 that
// pauses all of them, batch signing where OSS allows it and one by one where it does not, a full disk.
import * as assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { loadManifest } from '../../../src/core/mirror';
import { TransferEngine } from '../../../src/core/transfer';
import { fsWith } from '../transfer/faultyFs';
import { localTree, objectDownloads, sdkTree, useMirrorHarness, type TreeSpec } from './harness';

function files(count: number, size: number, prefix = 'f'): TreeSpec {
  return Object.fromEntries(Array.from({ length: count }, (_, index) => [`${prefix}${String(index).padStart(3, '0')}.bin`, [size + index]]));
}

describe('mirror: within APS quotas', function () {
  this.timeout(90_000);
  const h = useMirrorHarness();
  const signings = () => h.emulator.requests.list({ origin: 'api', path: /\/oss\/v2\/buckets\/.*signeds3download$/ });

  it('holds every worker of two mirrors on one client behind each 429 until its Retry-After, and still mirrors every byte', async () => {
    const trees = [h.tree({ A: files(12, 2000) }), h.tree({ B: files(12, 3000) })];
    const other = await mkdtemp(path.join(tmpdir(), 'aps-mirror-b-'));
    try {
      h.emulator.faults.add({ kind: 'status', origin: 'api', status: 429, retryAfter: 1, path: '/oss/v2/buckets/*/objects/*/signeds3download', probability: 0.5, count: 8 });
      const [first, second] = await Promise.all([h.mirror(trees[0].folderId), h.mirror(trees[1].folderId, { root: other })]);
      assert.equal(first.complete && second.complete, true, JSON.stringify([first.events, second.events].flat().filter((event) => event.status === 'failed')));
      assert.deepEqual(await localTree(h.dir), await sdkTree(h.emulator, trees[0].folderId));
      assert.deepEqual(await localTree(other), await sdkTree(h.emulator, trees[1].folderId));
    } finally {
      await rm(other, { recursive: true, force: true });
    }
    const calls = signings().sort((a, b) => a.time - b.time);
    const limited = calls.filter((call) => call.status === 429);
    assert.equal(limited.length, 8);
    // A request already on the wire when the 429 left may land a moment later; anything later than that
    // was sent after the client read the 429, by either mirror, and must wait out Retry-After.
    const inFlightSlackMs = 250;
    for (const rejected of limited) {
      const early = calls.filter((call) => call.time > rejected.time + inFlightSlackMs && call.time < rejected.time + 1_000);
      assert.deepEqual(early, [], `OSS requests arrived sooner than Retry-After after the 429 at ${rejected.time}`);
    }
  });

  it('signs files in batches where the app owns the bucket', async () => {
    const tree = h.tree({ Batch: files(30, 500) }, { bucketKey: h.emulator.seed.ids.appBucket });
    const report = await h.mirror(tree.folderId);
    assert.equal(report.complete, true);
    const batches = h.emulator.requests.list({ method: 'POST', path: /batchsigneds3download$/ });
    assert.deepEqual(batches.map((call) => call.status), [200, 200], '30 objects in batches of at most 25');
    assert.deepEqual(signings().filter((call) => call.method === 'GET'), [], 'none signed one by one');
    assert.deepEqual(report.batches, { signed: 2, refused: 0 });
    assert.deepEqual(await localTree(h.dir), await sdkTree(h.emulator, tree.folderId));
  });

  it('falls back to one signing per object when OSS refuses the batch (403), asking once', async () => {
    const tree = h.tree({ Foreign: files(20, 500) }, { bucketKey: 'another-apps-bucket' });
    const report = await h.mirror(tree.folderId);
    assert.equal(report.complete, true);
    const batches = h.emulator.requests.list({ method: 'POST', path: /batchsigneds3download$/ });
    assert.deepEqual(batches.map((call) => call.status), [403]);
    assert.equal(signings().filter((call) => call.method === 'GET').length, 20);
    assert.deepEqual(report.batches, { signed: 0, refused: 1 });
    assert.deepEqual(await localTree(h.dir), await sdkTree(h.emulator, tree.folderId));
  });

  it('signs Docs files one by one without trying a batch OSS always refuses there', async () => {
    const tree = h.tree({ Docs: files(5, 500) });
    await h.mirror(tree.folderId);
    assert.deepEqual(h.emulator.requests.list({ method: 'POST', path: /batchsigneds3download$/ }), []);
    assert.equal(signings().length, 5);
  });

  it('stops on a full disk, keeps what arrived in the manifest, and the next run fetches only the rest', async () => {
    const tree = h.tree(files(6, 10_000));
    const full = new TransferEngine({ proxy: { url: '' }, fs: fsWith({ failWriteAfterBytes: { bytes: 25_000, code: 'ENOSPC' } }) });
    let stopped;
    try {
      stopped = await h.mirror(tree.folderId, { engine: full, concurrentFiles: 1 });
    } finally {
      await full.close();
    }
    assert.equal(stopped.stopped, 'no-space');
    assert.equal(stopped.complete, false);
    assert.match(stopped.events.find((event) => event.status === 'failed')?.error ?? '', /disk space/);
    const loaded = await loadManifest(h.dir);
    const kept = loaded.kind === 'ok' ? Object.keys(loaded.manifest.files) : [];
    assert.deepEqual(kept, ['f000.bin', 'f001.bin']);

    h.emulator.requests.clear();
    const resumed = await h.mirror(tree.folderId);
    assert.equal(resumed.complete, true);
    assert.equal(resumed.counts.fetched, 4);
    const fetched = objectDownloads(h.emulator);
    for (const name of kept) assert.ok(!fetched.some((request) => request.endsWith(tree.files.get(name)!.objectKeys[0].split('/')[1])), `${name} was fetched again`);
    assert.deepEqual(await localTree(h.dir), await sdkTree(h.emulator, tree.folderId));
  });

  it('stops at once when cancelled, and the next run fetches only what had not arrived', async () => {
    const tree = h.tree(files(10, 50_000));
    h.emulator.faults.add({ kind: 'stall', origin: 'storage', skip: 3 });
    const controller = new AbortController();
    const first = h.mirror(tree.folderId, {
      signal: controller.signal,
      concurrentFiles: 2,
      onFile: (event) => event.status === 'fetched' && objectDownloads(h.emulator).length >= 3 && controller.abort(),
    });
    const report = await first;
    assert.equal(report.stopped, 'cancelled');
    const arrived = report.events.filter((event) => event.status === 'fetched').map((event) => event.path);
    assert.ok(arrived.length >= 1 && arrived.length < 10, arrived.join(', '));

    h.emulator.faults.clear();
    h.emulator.requests.clear();
    const resumed = await h.mirror(tree.folderId);
    assert.equal(resumed.complete, true);
    assert.equal(resumed.counts.fetched, 10 - arrived.length);
    assert.equal(resumed.counts.unchanged, arrived.length);
    assert.deepEqual(await localTree(h.dir), await sdkTree(h.emulator, tree.folderId));
  });
});
