import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { DownloadOptions } from '../../../src/core/transfer/types';
import { FAST, KiB, listFiles, MiB, objectPath, progressRecorder, requestedRanges, sha1OfFile, useTransferHarness } from './harness';

describe('transfer: storage faults', function () {
  this.timeout(60_000);
  const h = useTransferHarness();
  const ranged: DownloadOptions = { ...FAST, chunkSize: 64 * KiB, singleRequestThreshold: 0, connections: 4 };

  async function download(size: number, options: DownloadOptions = ranged) {
    const object = await h.emulator.addObject({ size });
    const target = path.join(h.dir, 'out.bin');
    return { object, target, run: (extra: DownloadOptions = {}) => h.engine().download(h.source(object), target, { ...options, ...extra }) };
  }

  const signCalls = () => h.emulator.requests.list({ origin: 'api', path: 'signeds3download' }).length;

  it('renews an expired link once for all workers, without spending retries', async () => {
    const { object, target, run } = await download(2 * MiB, { ...ranged, connections: 4 });
    // Each worker's first request finds the link expired.
    h.emulator.faults.add({ kind: 'expireSignedUrl', count: 4, path: objectPath(object.objectKey) });
    const result = await run();
    assert.equal(result.sha1, object.sha1);
    assert.equal(result.urlRefreshes, 1);
    assert.equal(result.retries, 0);
    assert.equal(signCalls(), 2, 'one signeds3download for the start, one renewal shared by all workers');
    const expired = h.storageRequests().filter((r) => r.status === 403);
    assert.equal(expired.length, 4);
    assert.equal(await sha1OfFile(target), object.sha1);
  });

  it('lets the other connections take over what a slow one has left, in pieces under the chunk size', async () => {
    const { object, target, run } = await download(32 * MiB, { ...FAST, chunkSize: 8 * MiB, singleRequestThreshold: 0, connections: 2 });
    h.emulator.faults.add({ kind: 'bandwidth', bytesPerSecond: 1 * MiB, count: 1, path: objectPath(object.objectKey) });
    const result = await run();
    assert.equal(result.sha1, object.sha1);
    assert.equal(await sha1OfFile(target), object.sha1);
    // The first request is the throttled one; at 1 MiB/s its 16 MiB span alone would take 16 s.
    const [[slowStart, slowEnd], ...others] = requestedRanges(h.storageRequests(), object.objectKey, object.size);
    const takenOver = others.reduce((sum, [start, end]) => sum + Math.max(0, Math.min(end, slowEnd) - Math.max(start, slowStart) + 1), 0);
    assert.ok(takenOver > 14 * MiB, `only ${takenOver} bytes of the slow span were taken over`);
  });

  it('gives up when a freshly renewed link is refused as well', async () => {
    const { object, target, run } = await download(1 * MiB);
    h.emulator.faults.add({ kind: 'expireSignedUrl', path: objectPath(object.objectKey) });
    await assert.rejects(run(), { code: 'url-expired' });
    assert.equal(signCalls(), 2);
    assert.ok(!(await listFiles(h.dir)).includes(path.basename(target)));
  });

  it('waits out 429 and 503 (Retry-After honoured up to the cap) and 500 (backoff)', async () => {
    const { object, target, run } = await download(1 * MiB);
    const p = objectPath(object.objectKey);
    h.emulator.faults.add({ kind: 'status', status: 429, retryAfter: 1, count: 2, path: p });
    h.emulator.faults.add({ kind: 'status', status: 503, retryAfter: 'http-date', retryAfterSeconds: 1, count: 2, path: p });
    h.emulator.faults.add({ kind: 'status', status: 500, count: 2, path: p });
    const result = await run();
    assert.equal(result.sha1, object.sha1);
    assert.equal(result.retries, 6);
    assert.ok(h.log.every((line) => !line.startsWith('error')));
    const statuses = h.storageRequests().map((r) => r.status);
    assert.equal(statuses.filter((s) => s === 429).length, 2);
    assert.equal(statuses.filter((s) => s === 503).length, 2);
    assert.equal(await sha1OfFile(target), object.sha1);
  });

  it('fails with a clear error when retries run out, leaving no final file', async () => {
    const { object, target, run } = await download(256 * KiB);
    h.emulator.faults.add({ kind: 'status', status: 500, path: objectPath(object.objectKey) });
    await assert.rejects(run(), (error: Error & { code?: string }) => error.code === 'retries-exhausted' && /HTTP 500/.test(error.message));
    assert.ok(!(await listFiles(h.dir)).includes(path.basename(target)));
  });

  it('re-requests only the missing bytes after a truncated body', async () => {
    const size = 1 * MiB;
    const { object, run } = await download(size, { ...FAST, connections: 1, singleRequestThreshold: 0 });
    h.emulator.faults.add({ kind: 'truncate', afterBytes: 300_000, count: 1, path: objectPath(object.objectKey) });
    const progress = progressRecorder();
    const result = await run({ onProgress: progress.onProgress });
    assert.equal(result.sha1, object.sha1);
    const ranges = requestedRanges(h.storageRequests(), object.objectKey, size);
    assert.equal(ranges.length, 2);
    assert.deepEqual(ranges[0], [0, size - 1]);
    // It resumes from the first byte not on disk: at most the 300,000 sent (bytes undici had buffered when
    // the body failed are dropped with the stream), and never from scratch.
    const [resumedAt, end] = ranges[1];
    assert.equal(end, size - 1);
    assert.ok(resumedAt > 0 && resumedAt <= 300_000, `resumed at ${resumedAt}`);
    progress.check(size);
  });

  it('recovers from connection resets', async () => {
    const { object, run } = await download(2 * MiB);
    h.emulator.faults.add({ kind: 'reset', afterBytes: 100_000, count: 3, path: objectPath(object.objectKey) });
    const result = await run();
    assert.equal(result.sha1, object.sha1);
    assert.ok(result.retries >= 3);
  });

  it('detects a stalled body with its own watchdog and continues where it stopped', async () => {
    const size = 512 * KiB;
    // Long enough that a busy machine never passes for the stall (the emulator stalls for good).
    const { object, run } = await download(size, { ...FAST, connections: 1, singleRequestThreshold: 0, stallTimeoutMs: 2_000 });
    h.emulator.faults.add({ kind: 'stall', afterBytes: 128 * KiB, count: 1, path: objectPath(object.objectKey) });
    const result = await run();
    assert.equal(result.sha1, object.sha1);
    assert.deepEqual(requestedRanges(h.storageRequests(), object.objectKey, size), [
      [0, size - 1],
      [128 * KiB, size - 1],
    ]);
  });

  it('falls back to one stream when storage ignores Range', async () => {
    const { object, target, run } = await download(1 * MiB + 3);
    h.emulator.faults.add({ kind: 'ignoreRange', path: objectPath(object.objectKey) });
    const result = await run();
    assert.equal(result.sha1, object.sha1);
    assert.ok(h.log.some((line) => /ignores Range/.test(line)));
    assert.equal(await sha1OfFile(target), object.sha1);
  });

  it('rejects a 206 whose Content-Range does not match, without writing it', async () => {
    const { object, target, run } = await download(1 * MiB);
    h.emulator.faults.add({ kind: 'wrongContentRange', shiftBytes: 64, count: 2, path: objectPath(object.objectKey) });
    const result = await run();
    assert.equal(result.sha1, object.sha1);
    assert.equal(result.retries, 2);
    assert.equal(await sha1OfFile(target), object.sha1);
  });

  for (const [label, grow, connections] of [
    ['same size, one connection: If-Match answers 412', 0, 1],
    ['same size, parallel: a different ETag', 0, 4],
    ['new size', 1024, 4],
  ] as const) {
    it(`restarts when the object is replaced mid-download (${label}) and ends with the new bytes`, async () => {
      const size = 1 * MiB;
      const { object, target, run } = await download(size, { ...ranged, connections });
      h.emulator.faults.add({ kind: 'replaceObject', afterBytes: 100_000, newSize: size + grow, count: 1, path: objectPath(object.objectKey) });
      const progress = progressRecorder();
      const result = await run({ onProgress: progress.onProgress });
      const replaced = await h.emulator.describeObject(object.bucketKey, object.objectKey);
      assert.notEqual(replaced.sha1, object.sha1);
      assert.ok(result.restarts >= 1);
      assert.equal(result.size, replaced.size);
      assert.equal(result.sha1, replaced.sha1);
      assert.equal(await sha1OfFile(target), replaced.sha1);
      if (connections === 1) assert.ok(h.storageRequests().some((r) => r.status === 412), 'If-Match caught the change');
      progress.check(replaced.size);
    });
  }

  it('fails cleanly when the object is gone', async () => {
    const target = path.join(h.dir, 'gone.bin');
    await assert.rejects(h.engine().download(h.source({ bucketKey: 'wip.dm.prod', objectKey: 'no-such-object.bin' }), target, ranged), { code: 'not-found' });
    assert.deepEqual(await listFiles(h.dir), []);
  });
});
