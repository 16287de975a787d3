import * as assert from 'node:assert/strict';
import { readdir, readlink } from 'node:fs/promises';
import * as path from 'node:path';
import { setTimeout as wait } from 'node:timers/promises';
import type { TransferEngine } from '../../../src/core/transfer/engine';
import { partFilesFor } from '../../../src/core/transfer/disk/partFiles';
import type { FileProgress } from '../../../src/core/transfer/types';
import { FAST, KiB, listFiles, MiB, objectPath, storageStat, useTransferHarness } from './harness';

/** Paths this process has open (Linux); undefined elsewhere. */
async function openPaths(): Promise<string[] | undefined> {
  if (process.platform !== 'linux') return undefined;
  const fds = await readdir('/proc/self/fd');
  const targets = await Promise.all(fds.map((fd) => readlink(`/proc/self/fd/${fd}`).catch(() => '')));
  return targets;
}

function storageSockets(engine: TransferEngine, storageUrl: string): number {
  return storageStat(engine, new URL(storageUrl).origin, 'connected');
}

describe('transfer: cancel', function () {
  this.timeout(30_000);
  const h = useTransferHarness();

  async function startSlowDownload(deleteOnCancel: boolean) {
    const object = await h.emulator.addObject({ size: 8 * MiB });
    h.emulator.faults.add({ kind: 'bandwidth', bytesPerSecond: 1 * MiB, path: objectPath(object.objectKey) });
    const engine = h.engine();
    const controller = new AbortController();
    const target = path.join(h.dir, 'slow.bin');
    const events: FileProgress[] = [];
    const running = engine.download(h.source(object), target, {
      ...FAST,
      connections: 4,
      chunkSize: 256 * KiB,
      singleRequestThreshold: 0,
      signal: controller.signal,
      deleteOnCancel,
      onProgress: (p) => events.push(p),
    });
    while (!events.some((e) => e.transferredBytes > 256 * KiB)) await wait(20);
    return { engine, controller, running, target, events };
  }

  it('stops, keeps the journal for a resume, leaves no final file and no open file or socket', async () => {
    const { engine, controller, running, target, events } = await startSlowDownload(false);
    assert.ok(storageSockets(engine, h.emulator.storageUrl) > 0, 'downloading over open sockets');
    controller.abort();
    await assert.rejects(running, { code: 'cancelled' });
    const parts = partFilesFor(target);
    assert.deepEqual(await listFiles(h.dir), [path.basename(parts.data), path.basename(parts.journal)].sort());
    const open = await openPaths();
    if (open) assert.ok(!open.some((p) => p.startsWith(h.dir)), `still open: ${open.filter((p) => p.startsWith(h.dir)).join(', ')}`);
    assert.equal(storageSockets(engine, h.emulator.storageUrl), 0, 'every storage socket was closed');
    assert.equal(events[events.length - 1].phase, 'cancelled', 'the last report says so (nothing follows it: see the progress tests)');
  });

  it('deletes the partial download when asked to', async () => {
    const { controller, running } = await startSlowDownload(true);
    controller.abort();
    await assert.rejects(running, { code: 'cancelled' });
    assert.deepEqual(await listFiles(h.dir), []);
  });

  it('does nothing when cancelled before it starts', async () => {
    const object = await h.emulator.addObject({ size: 1 * MiB });
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(h.engine().download(h.source(object), path.join(h.dir, 'never.bin'), { signal: controller.signal }), { code: 'cancelled' });
    assert.deepEqual(await listFiles(h.dir), []);
    assert.equal(h.storageRequests().length, 0);
  });
});
