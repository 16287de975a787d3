import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { FAST, KiB, requestedRanges, sha1OfFile, useTransferHarness } from './harness';

describe('transfer: span order while the sha1 is read back', function () {
  this.timeout(30_000);
  const h = useTransferHarness();
  const chunk = 64 * KiB;
  const connections = 4;
  const options = { ...FAST, chunkSize: chunk, singleRequestThreshold: 0, connections };

  /** The first request of each connection, by start. */
  async function firstRanges(size: number, verifySha1: boolean): Promise<[number, number][]> {
    const object = await h.emulator.addObject({ size });
    const target = path.join(h.dir, 'out.bin');
    // Every first request reaches the storage before any answer comes back.
    h.emulator.faults.add({ kind: 'latency', origin: 'storage', latencyMs: 50 });
    const result = await h.engine().download(h.source(object), target, { ...options, verifySha1 });
    assert.equal(await sha1OfFile(target), object.sha1);
    assert.equal(result.sha1, verifySha1 ? object.sha1 : undefined);
    return requestedRanges(h.storageRequests(), object.objectKey, size).slice(0, connections);
  }

  it('fetches a large object in two rounds when it checks the sha1: the first three quarters come first', async () => {
    const size = 4 * connections * chunk;
    const ranges = await firstRanges(size, true);
    const lastRound = (size * 3) / 4;
    assert.ok(
      ranges.every(([, end]) => end < lastRound),
      `first requests ${JSON.stringify(ranges)} reach into the last quarter`,
    );
    assert.equal(ranges.at(-1)?.[1], lastRound - 1, 'the first round ends where the last quarter begins');
    assert.ok(h.storageRequests().length >= 2 * connections);
  });

  it('in one round without a sha1 to check, or when the object is smaller', async () => {
    const size = 4 * connections * chunk;
    const unverified = await firstRanges(size, false);
    assert.ok(unverified.some(([, end]) => end === size - 1), `${JSON.stringify(unverified)}: no first request reaches the end`);
    h.emulator.requests.clear();
    const small = size - chunk;
    const smaller = await firstRanges(small, true);
    assert.ok(smaller.some(([, end]) => end === small - 1), `${JSON.stringify(smaller)}: no first request reaches the end`);
  });
});
