import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { nodeFs, type TransferFs } from '../../../src/core/transfer/disk/fileSystem';
import { withWritev } from './faultyFs';
import { FAST, KiB, listFiles, MiB, requestedRanges, sha1OfFile, useTransferHarness } from './harness';

/** nodeFs whose data writes take `delayMs` each; counts how many run at once. */
function slowDisk(delayMs: number): { fs: TransferFs; maxConcurrentWrites: () => number } {
  let running = 0;
  let peak = 0;
  const fs: TransferFs = {
    ...nodeFs,
    open: async (file, flags) => {
      const handle = await nodeFs.open(file, flags);
      return withWritev(handle, async (buffers, position) => {
        running++;
        peak = Math.max(peak, running);
        try {
          await new Promise((resolve) => setTimeout(resolve, delayMs));
          return await handle.writev(buffers, position);
        } finally {
          running--;
        }
      });
    },
  };
  return { fs, maxConcurrentWrites: () => peak };
}

describe('transfer: body chunks go straight from the socket to the file', function () {
  this.timeout(60_000);
  const h = useTransferHarness();

  it('holds the socket while the disk is slower than the network (the stall watchdog waits meanwhile: see the span writer tests)', async () => {
    const object = await h.emulator.addObject({ size: 4 * MiB + 3 });
    const disk = slowDisk(120);
    const target = path.join(h.dir, 'slow-disk.bin');
    const result = await h.engine({ fs: disk.fs }).download(h.source(object), target, { ...FAST, connections: 2, chunkSize: MiB, singleRequestThreshold: 0 });
    assert.equal(await sha1OfFile(target), object.sha1);
    assert.equal(result.retries, 0);
    assert.ok(disk.maxConcurrentWrites() <= 2, `one write at a time per connection, saw ${disk.maxConcurrentWrites()}`);
    assert.deepEqual(await listFiles(h.dir), ['slow-disk.bin']);
  });

  it('stops reading a response once another connection took over the rest of its range', async () => {
    const object = await h.emulator.addObject({ size: 8 * MiB });
    // The first response crawls, so the other connection finishes early and takes over half of what is left.
    h.emulator.faults.add({ kind: 'bandwidth', origin: 'storage', bytesPerSecond: 2 * MiB, count: 1 });
    const target = path.join(h.dir, 'stolen.bin');
    const result = await h.engine().download(h.source(object), target, { ...FAST, connections: 2, chunkSize: 256 * KiB, singleRequestThreshold: 0 });
    assert.equal(result.sha1, object.sha1);
    assert.equal(await sha1OfFile(target), object.sha1);
    const ranges = requestedRanges(h.storageRequests(), object.objectKey, object.size);
    assert.ok(ranges.length >= 3, `a third request took over part of a range: ${JSON.stringify(ranges)}`);
    const [first] = ranges.sort((a, b) => a[0] - b[0]);
    const takenOver = ranges.find(([start]) => start > first[0] && start <= first[1]);
    assert.ok(takenOver, `some request starts inside the first range: ${JSON.stringify(ranges)}`);
  });
});
