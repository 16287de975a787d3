import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import * as path from 'node:path';
import { setTimeout as wait } from 'node:timers/promises';
import { nodeFs } from '../../../src/core/transfer/disk/fileSystem';
import { partFilesFor } from '../../../src/core/transfer/disk/partFiles';
import type { DownloadOptions } from '../../../src/core/transfer/types';
import { fsWith } from './faultyFs';
import { FAST, fileExists, KiB, listFiles, MiB, objectPath, sha1OfFile, spawnCli, useTransferHarness } from './harness';

describe('transfer: one download per target', function () {
  this.timeout(60_000);
  const h = useTransferHarness();
  const options: DownloadOptions = { ...FAST, connections: 2, chunkSize: 256 * KiB, singleRequestThreshold: 0 };

  async function slowObject(size: number) {
    const object = await h.emulator.addObject({ size });
    h.emulator.faults.add({ kind: 'bandwidth', bytesPerSecond: 1 * MiB, path: objectPath(object.objectKey) });
    return object;
  }

  it('refuses a second download of a target while the first runs, which finishes untouched', async () => {
    const object = await slowObject(2 * MiB);
    const target = path.join(h.dir, 'model.rvt');
    const engine = h.engine();
    const first = engine.download(h.source(object), target, options);
    for (let i = 0; i < 100 && !(await fileExists(partFilesFor(target).data)); i++) await wait(10);
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

  it('keeps both: a numbered name another download holds is passed over, and the one taken is held', async () => {
    const object = await slowObject(2 * MiB);
    const other = await h.emulator.addObject({ size: 300 * KiB });
    const target = path.join(h.dir, 'model.rvt');
    await writeFile(target, 'kept');
    const engine = h.engine();
    const numbered = (n: number) => path.join(h.dir, `model (${n}).rvt`);
    // One download writes "model (1).rvt" by that name, the next keeps both copies of "model.rvt".
    const direct = engine.download(h.source(object), numbered(1), options);
    for (let i = 0; i < 100 && !(await fileExists(partFilesFor(numbered(1)).data)); i++) await wait(10);
    const kept = engine.download(h.source(object), target, { ...options, conflict: 'keepBoth' });
    for (let i = 0; i < 100 && !(await fileExists(partFilesFor(numbered(2)).data)); i++) await wait(10);
    await assert.rejects(engine.download(h.source(other), numbered(2), options), (error: Error & { code?: string }) => {
      assert.equal(error.code, 'busy');
      return true;
    });
    assert.equal((await direct).path, numbered(1));
    assert.equal((await kept).path, numbered(2));
    assert.equal(await sha1OfFile(numbered(1)), object.sha1);
    assert.equal(await sha1OfFile(numbered(2)), object.sha1);
    assert.equal(await readFile(target, 'utf8'), 'kept');
    assert.deepEqual(await listFiles(h.dir), ['model (1).rvt', 'model (2).rvt', 'model.rvt'], 'no lock or part file left');
  });

  it('refuses while another process downloads the target, and that process finishes untouched', async () => {
    const object = await slowObject(3 * MiB);
    const target = path.join(h.dir, 'shared.rvt');
    const url = h.emulator.signedUrl(object.bucketKey, object.objectKey, { minutes: 60 });
    const child = spawnCli(['download', url, target, '--connections', '2', '--chunk-size', '256K', '--quiet']);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    for (let i = 0; i < 300 && !(await fileExists(partFilesFor(target).data)); i++) await wait(10);
    const lockPath = partFilesFor(target).lock;
    let attempts = 0;
    const counting = fsWith({ createText: async (file, text) => ((attempts += file === lockPath ? 1 : 0), nodeFs.createText(file, text)) });
    await assert.rejects(h.engine({ fs: counting }).download(h.source(object), target, { ...options, lockWaitMs: 300 }), (error: Error & { code?: string }) => {
      assert.equal(error.code, 'busy');
      assert.ok(error.message.includes(`by another process (${child.pid} on ${hostname()})`), error.message);
      return true;
    });
    assert.ok(attempts >= 2, `it tried again while it waited for the other process (${attempts} attempts)`);
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
      assert.equal(await fileExists(lock), false, `${name}: lock released`);
    }
  });

  describe('while another live process holds the lock', () => {
    let holder: ReturnType<typeof spawn>;
    beforeEach(() => {
      holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    });
    afterEach(() => {
      holder.kill();
    });
    const holdLock = (target: string) => writeFile(partFilesFor(target).lock, JSON.stringify({ pid: holder.pid, host: hostname() }));

    /** An engine whose every attempt at a lock the test sees (`attempted` resolves at the first). */
    function watchedEngine() {
      let markAttempted!: () => void;
      const attempted = new Promise<void>((resolve) => (markAttempted = resolve));
      const fs = fsWith({ createText: async (file, text) => (file.endsWith('.lock') && markAttempted(), nodeFs.createText(file, text)) });
      return { engine: h.engine({ fs }), attempted };
    }

    it('waits for it to let go, then decides the conflict policy on what that download left', async () => {
      const object = await h.emulator.addObject({ size: 256 * KiB });
      const target = path.join(h.dir, 'handover.bin');
      await holdLock(target);
      const { engine, attempted } = watchedEngine();
      const running = engine.download(h.source(object), target, { ...options, conflict: 'skip', lockWaitMs: 60_000 });
      await attempted;
      await writeFile(target, 'finished by the other process');
      await rm(partFilesFor(target).lock);
      const result = await running;
      assert.equal(result.status, 'skipped');
      assert.equal(h.storageRequests().length, 0);
      assert.equal(await readFile(target, 'utf8'), 'finished by the other process');
    });

    it('can be cancelled while it waits', async () => {
      const object = await h.emulator.addObject({ size: 64 * KiB });
      const target = path.join(h.dir, 'waiting.bin');
      await holdLock(target);
      const controller = new AbortController();
      const { engine, attempted } = watchedEngine();
      const running = engine.download(h.source(object), target, { ...options, lockWaitMs: 60_000, signal: controller.signal });
      await attempted;
      controller.abort();
      await assert.rejects(running, { code: 'cancelled' });
      assert.deepEqual(await listFiles(h.dir), [path.basename(partFilesFor(target).lock)], 'the other process keeps its lock');
    });
  });

  it('respects a fresh lock of another machine', async () => {
    const object = await h.emulator.addObject({ size: 64 * KiB });
    const target = path.join(h.dir, 'remote.bin');
    await writeFile(partFilesFor(target).lock, JSON.stringify({ pid: 1, host: 'another-machine' }));
    await assert.rejects(h.engine().download(h.source(object), target, { ...options, lockWaitMs: 50 }), /remote\.bin is already being downloaded by another process \(1 on another-machine\)/);
    assert.equal(h.storageRequests().length, 0);
    assert.deepEqual(await listFiles(h.dir), [path.basename(partFilesFor(target).lock)]);
  });
});
