import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { nodeFs } from '../../../src/core/transfer/disk/fileSystem';
import { errno, fsWith, withWritev } from './faultyFs';
import { partFilesFor } from '../../../src/core/transfer/disk/partFiles';
import type { ObjectSource } from '../../../src/core/transfer/types';
import { FAST, KiB, listFiles, MiB, requestedRanges, sha1OfFile, useTransferHarness } from './harness';

describe('transfer: disk failures', function () {
  this.timeout(30_000);
  const h = useTransferHarness();
  const options = { ...FAST, connections: 4, chunkSize: 128 * KiB, singleRequestThreshold: 0 };

  it('stops on ENOSPC with a clear error and no file under the final name', async () => {
    const object = await h.emulator.addObject({ size: 2 * MiB });
    const engine = h.engine({ fs: fsWith({ failWriteAfterBytes: { bytes: 600 * KiB, code: 'ENOSPC' } }) });
    await assert.rejects(engine.download(h.source(object), path.join(h.dir, 'big.bin'), options), (error: Error & { code?: string }) => {
      assert.equal(error.code, 'no-space');
      assert.match(error.message, /disk space/);
      return true;
    });
    assert.deepEqual(await listFiles(h.dir), [], 'partial file removed to give the space back');
  });

  it('stops on EACCES creating the file (read-only folder)', async () => {
    const object = await h.emulator.addObject({ size: 64 * KiB });
    const engine = h.engine({ fs: fsWith({ open: async () => Promise.reject(errno('EACCES')) }) });
    await assert.rejects(engine.download(h.source(object), path.join(h.dir, 'ro.bin'), options), { code: 'file-access-denied' });
    assert.deepEqual(await listFiles(h.dir), []);
  });

  it('skips an existing file in a read-only folder when the policy says skip, without writing anything', async () => {
    const object = await h.emulator.addObject({ size: 64 * KiB });
    const target = path.join(h.dir, 'kept.bin');
    await nodeFs.writeText(target, 'mine');
    const readOnly = fsWith({ createText: async () => Promise.reject(errno('EACCES')), open: async () => Promise.reject(errno('EACCES')) });
    const result = await h.engine({ fs: readOnly }).download(h.source(object), target, { ...options, conflict: 'skip' });
    assert.equal(result.status, 'skipped');
    assert.equal(await nodeFs.readText(target), 'mine');
    await assert.rejects(h.engine({ fs: readOnly }).download(h.source(object), path.join(h.dir, 'new.bin'), options), { code: 'file-access-denied' });
  });

  it('stops on EACCES creating the folder', async () => {
    const object = await h.emulator.addObject({ size: 64 * KiB });
    const engine = h.engine({ fs: fsWith({ mkdir: async () => Promise.reject(errno('EACCES')) }) });
    await assert.rejects(engine.download(h.source(object), path.join(h.dir, 'sub', 'x.bin'), options), { code: 'file-access-denied' });
    assert.equal(h.storageRequests().length, 0);
  });

  it('stops on an injected write failure (EIO)', async () => {
    const object = await h.emulator.addObject({ size: 1 * MiB });
    const engine = h.engine({ fs: fsWith({ failWriteAfterBytes: { bytes: 0, code: 'EIO' } }) });
    await assert.rejects(engine.download(h.source(object), path.join(h.dir, 'eio.bin'), options), { code: 'io' });
    assert.ok(!(await listFiles(h.dir)).includes('eio.bin'));
  });

  it('retries a rename that Windows refuses for a moment (EPERM, EBUSY)', async () => {
    const object = await h.emulator.addObject({ size: 256 * KiB });
    const failures = ['EPERM', 'EBUSY'];
    const engine = h.engine({
      fs: fsWith({
        rename: async (from, to) => {
          if (!from.endsWith('.tmp') && failures.length > 0) throw errno(failures.shift() as string);
          return nodeFs.rename(from, to);
        },
      }),
    });
    const target = path.join(h.dir, 'locked.bin');
    const result = await engine.download(h.source(object), target, options);
    assert.equal(result.sha1, object.sha1);
    assert.equal(await sha1OfFile(target), object.sha1);
  });

  it('fails clearly when the final rename keeps failing, then a rerun finishes without downloading again', async () => {
    const object = await h.emulator.addObject({ size: 256 * KiB });
    const target = path.join(h.dir, 'stuck.bin');
    const engine = h.engine({
      fs: fsWith({
        rename: async (from, to) => (from.endsWith('.tmp') ? nodeFs.rename(from, to) : Promise.reject(errno('EACCES'))),
      }),
    });
    await assert.rejects(engine.download(h.source(object), target, options), (error: Error & { code?: string }) => {
      assert.equal(error.code, 'rename-failed');
      assert.match(error.message, /could not be moved into place/);
      return true;
    });
    const parts = partFilesFor(target);
    assert.deepEqual(await listFiles(h.dir), [path.basename(parts.data), path.basename(parts.journal)].sort());
    h.emulator.requests.clear();
    const result = await h.engine().download(h.source(object), target, options);
    assert.equal(result.resumedBytes, object.size);
    assert.equal(h.storageRequests().length, 0);
    assert.equal(await sha1OfFile(target), object.sha1);
  });

  it('reads the bytes back from disk: one byte damaged after its write is caught, and the object downloaded again', async () => {
    const object = await h.emulator.addObject({ size: 2 * MiB });
    let damaged = 0;
    const engine = h.engine({
      fs: fsWith({
        open: async (file, flags) => {
          const handle = await nodeFs.open(file, flags);
          return withWritev(handle, async (buffers, position) => {
            const written = await handle.writev(buffers, position);
            // The write succeeded; the byte on disk goes bad afterwards (once, at 1 MiB + 5).
            const at = MiB + 5 - position;
            if (damaged === 0 && at >= 0 && at < written.bytesWritten) {
              damaged++;
              const byte = Buffer.alloc(1);
              await handle.read(byte, 0, 1, MiB + 5);
              byte[0] ^= 0xff;
              await handle.writev([byte], MiB + 5);
            }
            return written;
          });
        },
      }),
    });
    const target = path.join(h.dir, 'damaged.bin');
    const result = await engine.download(h.source(object), target, options);
    assert.equal(damaged, 1);
    assert.equal(result.restarts, 1);
    assert.equal(result.sha1, object.sha1);
    assert.equal(await sha1OfFile(target), object.sha1);
    assert.ok(h.log.some((line) => /Restarting .*does not match the expected/.test(line)), h.log.join('\n'));
  });

  it('never puts a file that does not match its sha1 under the final name', async () => {
    const object = await h.emulator.addObject({ size: 1 * MiB });
    const real = h.source(object);
    const lying: ObjectSource = { identity: real.identity, resolve: async (signal) => ({ ...(await real.resolve(signal)), sha1: '0'.repeat(40) }) };
    const target = path.join(h.dir, 'lie.bin');
    await assert.rejects(h.engine().download(lying, target, { ...options, maxRestarts: 1 }), (error: Error & { code?: string }) => {
      assert.equal(error.code, 'verify-failed');
      assert.match(error.message, /does not match the expected 0{40}/);
      return true;
    });
    assert.deepEqual(await listFiles(h.dir), [], 'neither the final file nor its parts are left');
    const fetched = requestedRanges(h.storageRequests(), object.objectKey, object.size).reduce((sum, [start, end]) => sum + end - start + 1, 0);
    assert.ok(fetched >= 2 * object.size, 'downloaded in full twice: once, then once more after the mismatch');
    assert.equal(h.emulator.requests.list({ origin: 'api', path: 'signeds3download' }).length, 2);
  });
});
