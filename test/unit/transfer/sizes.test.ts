import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { inlineWritesFs } from '../../../src/core/transfer/disk/fileSystem';
import { FAST, KiB, listFiles, MiB, requestedRanges, seededObject, sha1OfFile, useTransferHarness } from './harness';

describe('transfer: downloads are byte-exact at every size boundary', function () {
  this.timeout(120_000);
  const h = useTransferHarness();
  const chunk = 64 * KiB;
  const sizes: [string, number][] = [
    ['0 bytes', 0],
    ['1 byte', 1],
    ['chunk - 1', chunk - 1],
    ['chunk', chunk],
    ['chunk + 1', chunk + 1],
    ['3 chunks + 1', 3 * chunk + 1],
    ['17 chunks + 5 over 8 connections', 17 * chunk + 5],
  ];

  for (const [label, size] of sizes) {
    it(`${label} (${size} B) in ranges of ${chunk} B`, async () => {
      const object = await h.emulator.addObject({ size });
      const target = path.join(h.dir, 'out.bin');
      const result = await h.engine().download(h.source(object), target, { ...FAST, chunkSize: chunk, singleRequestThreshold: 0 });
      assert.equal(result.status, 'downloaded');
      assert.equal(result.sha1, object.sha1);
      assert.equal(await sha1OfFile(target), object.sha1);
      assert.deepEqual(await listFiles(h.dir), ['out.bin'], 'no temp file or journal left behind');
      const ranges = requestedRanges(h.storageRequests(), object.objectKey, size).sort((a, b) => a[0] - b[0]);
      let next = 0;
      for (const [start, end] of ranges) {
        assert.ok(start <= next, 'no byte left unrequested');
        next = Math.max(next, end + 1);
      }
      assert.equal(next, size);
    });
  }

  it('a small object in a single request', async () => {
    const object = await h.emulator.addObject({ size: 3 * MiB + 7 });
    const target = path.join(h.dir, 'small.bin');
    const result = await h.engine().download(h.source(object), target, FAST);
    assert.equal(result.sha1, object.sha1);
    const gets = h.storageRequests().filter((r) => r.method === 'GET');
    assert.equal(gets.length, 1);
    assert.equal(gets[0].range, `bytes=0-${3 * MiB + 6}`);
  });

  for (const [label, fs] of [
    ['', undefined],
    [', written on the event loop (as the command line writes)', inlineWritesFs],
  ] as const) {
    it(`100 MiB with the default settings${label}`, async () => {
      const expected = await seededObject(h, 'hundredMiB');
      const target = path.join(h.dir, '100MiB.nwd');
      const result = await h.engine({ fs }).download(h.source(expected), target);
      assert.equal(result.size, 100 * MiB);
      assert.equal(result.sha1, expected.sha1);
      assert.equal(await sha1OfFile(target), expected.sha1);
      const gets = h.storageRequests().filter((r) => r.method === 'GET');
      assert.ok(gets.length >= 8, `parallel ranges expected, saw ${gets.length} requests`);
    });
  }
});
