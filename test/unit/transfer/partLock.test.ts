import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFile, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import * as path from 'node:path';
import { setTimeout as wait } from 'node:timers/promises';
import { partFilesFor } from '../../../src/core/transfer/partFiles';
import type { DownloadOptions } from '../../../src/core/transfer/types';
import { FAST, KiB, listFiles, MiB, objectPath, sha1OfFile, spawnCli, useTransferHarness } from './harness';

describe('transfer: one download per target', function () {
  this.timeout(60_000);
  const h = useTransferHarness();
  const options: DownloadOptions = { ...FAST, connections: 2, chunkSize: 256 * KiB, singleRequestThreshold: 0 };

  async function slowObject(size: number) {
    const object = await h.emulator.addObject({ size });
    h.emulator.faults.add({ kind: 'bandwidth', bytesPerSecond: 1 * MiB, path: objectPath(object.objectKey) });
    return object;
  }

  async function exists(file: string): Promise<boolean> {
    return (await readFile(file).then(() => true, () => false)) as boolean;
  }

  it('refuses a second download of a target while the first runs, which finishes untouched', async () => {
    const object = await slowObject(2 * MiB);
    const target = path.join(h.dir, 'model.rvt');
    const engine = h.engine();
    const first = engine.download(h.source(object), target, options);
    for (let i = 0; i < 100 && !(await exists(partFilesFor(target).data)); i++) await wait(10);
    await assert.rejects(engine.download(h.source(object), target, options), (error: Error & { code?: string }) => {
      assert.equal(error.code, 'busy');
      assert.match(error.message, /model\.rvt is already being downloaded; try again/);
      return true;
    });
    const result = await first;
    assert.equal(result.sha1, object.sha1);
    assert.equal(await sha1OfFile(target), object.sha1);
    assert.deepEqual(await listFiles(h.dir), ['model.rvt'], 'the lock is gone with the part files');
  });

  it('refuses while another process downloads the target, and that process finishes untouched', async () => {
    const object = await slowObject(3 * MiB);
    const target = path.join(h.dir, 'shared.rvt');
    const ossUrl = `${h.emulator.baseUrl}/oss/v2/buckets/${object.bucketKey}/objects/${object.objectKey}`;
    const child = spawnCli([ossUrl, target, '--connections', '2', '--chunk-size', '256K', '--threshold', '0', '--quiet'], { APS_ACCESS_TOKEN: h.token });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    for (let i = 0; i < 300 && !(await exists(partFilesFor(target).data)); i++) await wait(10);
    await assert.rejects(h.engine().download(h.source(object), target, options), (error: Error & { code?: string }) => {
      assert.equal(error.code, 'busy');
      assert.ok(error.message.includes(`by another process (${child.pid} on ${hostname()})`), error.message);
      return true;
    });
    assert.equal(await exited, 0);
    assert.equal(await sha1OfFile(target), object.sha1);
    assert.deepEqual(await listFiles(h.dir), ['shared.rvt']);
  });

  it('takes over a lock whose process is gone, or that nobody refreshed for a minute', async () => {
    const object = await h.emulator.addObject({ size: 512 * KiB });
    const gone = spawnSync(process.execPath, ['-e', '0']).pid as number;
    const cases: [string, { pid: number; host: string }, number][] = [
      ['gone.bin', { pid: gone, host: hostname() }, 0],
      ['old.bin', { pid: process.pid, host: hostname() }, 2 * 60_000],
      ['elsewhere.bin', { pid: 1, host: 'another-machine' }, 2 * 60_000],
    ];
    for (const [name, owner, ageMs] of cases) {
      const target = path.join(h.dir, name);
      const lock = partFilesFor(target).lock;
      await writeFile(lock, JSON.stringify(owner));
      const then = new Date(Date.now() - ageMs);
      await utimes(lock, then, then);
      const result = await h.engine().download(h.source(object), target, options);
      assert.equal(result.sha1, object.sha1, name);
      assert.equal(await exists(lock), false, `${name}: lock released`);
    }
  });

  it('respects a fresh lock of another machine', async () => {
    const object = await h.emulator.addObject({ size: 64 * KiB });
    const target = path.join(h.dir, 'remote.bin');
    await writeFile(partFilesFor(target).lock, JSON.stringify({ pid: 1, host: 'another-machine' }));
    await assert.rejects(h.engine().download(h.source(object), target, options), /remote\.bin is already being downloaded by another process \(1 on another-machine\)/);
    assert.equal(h.storageRequests().length, 0);
    assert.deepEqual(await listFiles(h.dir), [path.basename(partFilesFor(target).lock)]);
  });
});
