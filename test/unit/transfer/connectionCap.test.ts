import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { FAST, KiB, MiB, objectPath, sha1OfFile, storageStat, useTransferHarness } from './harness';

describe('transfer: connection cap', function () {
  this.timeout(30_000);
  const h = useTransferHarness();

  it('never runs more storage requests than the engine-wide cap, across concurrent downloads', async () => {
    const engine = h.engine({ maxConnections: 4 });
    const objects = await Promise.all([1, 2, 3].map(() => h.emulator.addObject({ size: 2 * MiB })));
    for (const object of objects) h.emulator.faults.add({ kind: 'bandwidth', bytesPerSecond: 2 * MiB, path: objectPath(object.objectKey) });
    const origin = new URL(h.emulator.storageUrl).origin;
    let peak = 0;
    const sampler = setInterval(() => {
      peak = Math.max(peak, storageStat(engine, origin, 'running'));
    }, 5);
    try {
      const results = await Promise.all(
        objects.map((object, i) =>
          engine.download(h.source(object), path.join(h.dir, `${i}.bin`), { ...FAST, connections: 4, chunkSize: 128 * KiB, singleRequestThreshold: 0 }),
        ),
      );
      for (const [i, result] of results.entries()) assert.equal(result.sha1, objects[i].sha1);
      for (const [i, object] of objects.entries()) assert.equal(await sha1OfFile(path.join(h.dir, `${i}.bin`)), object.sha1);
    } finally {
      clearInterval(sampler);
    }
    assert.ok(peak > 0, 'sampled while downloading');
    assert.ok(peak <= 4, `at most 4 requests at once, saw ${peak}`);
  });
});
