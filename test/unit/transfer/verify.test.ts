import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { appendFile, mkdtemp, open, rm, writeFile, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { RestartRequired } from '../../../src/core/transfer/errors';
import { TrailingSha1 } from '../../../src/core/transfer/disk/verify';

describe('transfer: sha1 read-back', () => {
  const MiB = 1024 * 1024;
  let dir = '';
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'aps-verify-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const content = (size: number) => Buffer.from(Array.from({ length: size }, (_, i) => (i * 31 + (i >> 11)) & 0xff));
  const sha1 = (bytes: Buffer) => createHash('sha1').update(bytes).digest('hex');

  /** A file holding `bytes`, open for `use`, closed afterwards. */
  async function withFile<T>(name: string, bytes: Buffer, use: (handle: FileHandle, file: string) => Promise<T>): Promise<T> {
    const file = path.join(dir, name);
    await writeFile(file, bytes);
    const handle = await open(file, 'r+');
    try {
      return await use(handle, file);
    } finally {
      await handle.close();
    }
  }

  /** The handle, recording every read and how many are running. */
  function watched(handle: FileHandle, onRead: (position: number, length: number) => void = () => undefined) {
    const state = { reads: [] as [number, number][], running: 0 };
    const file = {
      ...handle,
      read: async (buffer: Buffer, offset: number, length: number, position: number) => {
        state.reads.push([position, length]);
        onRead(position, length);
        state.running++;
        try {
          return await handle.read(buffer, offset, length, position);
        } finally {
          state.running--;
        }
      },
    } as unknown as ConstructorParameters<typeof TrailingSha1>[0];
    return { file, state };
  }

  for (const size of [0, 1, MiB - 1, MiB, MiB + 1, 3 * MiB + 5]) {
    it(`hashes ${size} B across its two read buffers`, async () => {
      const bytes = content(size + 7);
      // Only the first `size` bytes count, though the file holds 7 more.
      const digest = await withFile(`f${size}`, bytes, (handle) => new TrailingSha1(handle, size).digest());
      assert.equal(digest, sha1(bytes.subarray(0, size)));
    });
  }

  it('reads behind the writer, never past what it was told is written, each byte once', async () => {
    const bytes = content(5 * MiB + 3);
    let readable = 0;
    await withFile('growing', Buffer.alloc(0), async (handle, file) => {
      const { file: reader, state } = watched(handle, (position, length) => assert.ok(position + length <= readable, `read of ${position}+${length} past ${readable}`));
      const hasher = new TrailingSha1(reader, bytes.length);
      for (let at = 0; at < bytes.length; at += 700 * 1024) {
        const end = Math.min(bytes.length, at + 700 * 1024);
        await appendFile(file, bytes.subarray(at, end));
        readable = end;
        hasher.advance(end);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      const readBeforeDigest = state.reads.reduce((sum, [, length]) => sum + length, 0);
      assert.ok(readBeforeDigest > 4 * MiB, `only ${readBeforeDigest} bytes were read while the file grew`);
      assert.equal(await hasher.digest(), sha1(bytes));
      const sorted = [...state.reads].sort((a, b) => a[0] - b[0]);
      let expected = 0;
      for (const [position, length] of sorted) {
        assert.equal(position, expected, 'reads cover the file once, in order, without gaps or overlaps');
        expected += length;
      }
      assert.equal(expected, bytes.length);
    });
  });

  it('reads everything again when bytes it already read were written again', async () => {
    const bytes = content(3 * MiB);
    const changed = Buffer.from(bytes);
    changed[5] ^= 0xff;
    await withFile('rewritten', bytes, async (handle) => {
      const { file: reader, state } = watched(handle);
      const hashed = async (invalidate: boolean) => {
        await handle.write(bytes, 0, bytes.length, 0);
        state.reads.length = 0;
        const hasher = new TrailingSha1(reader, bytes.length);
        hasher.advance(2 * MiB);
        while (state.reads.length < 2 || state.running > 0) await new Promise((resolve) => setTimeout(resolve, 1));
        await handle.write(changed, 5, 1, 5);
        if (invalidate) hasher.invalidate();
        return hasher.digest();
      };
      assert.equal(await hashed(true), sha1(changed));
      assert.equal(state.reads.filter(([position]) => position === 0).length, 2, 'the start was read twice');
      // Without being told, it trusts what it read: the write it missed stays unseen.
      assert.equal(await hashed(false), sha1(bytes));
    });
  });

  it('stops when cancelled, with no read left running', async () => {
    await withFile('cancel', content(4 * MiB), async (handle) => {
      const controller = new AbortController();
      const { file: reader, state } = watched(handle, () => {
        if (state.reads.length === 2) controller.abort(new Error('cancelled'));
      });
      await assert.rejects(new TrailingSha1(reader, 4 * MiB, controller.signal).digest(), /cancelled/);
      assert.equal(state.reads.length, 2);
      assert.equal(state.running, 0);
    });
  });

  it('stop() returns once no read is running, and nothing more is read', async () => {
    await withFile('stop', content(4 * MiB), async (handle) => {
      // Every read waits until the test lets it finish.
      const gates: (() => void)[] = [];
      const { file: reader, state } = watched(handle);
      const gated = { ...reader, read: async (...args: Parameters<typeof reader.read>) => {
        await new Promise<void>((resolve) => gates.push(resolve));
        return reader.read(...args);
      } } as typeof reader;
      const hasher = new TrailingSha1(gated, 4 * MiB);
      hasher.advance(4 * MiB);
      while (gates.length === 0) await new Promise((resolve) => setImmediate(resolve));
      const stopped = hasher.stop();
      gates.shift()?.();
      await stopped;
      assert.equal(state.running, 0);
      assert.equal(state.reads.length, 1, 'the read in flight finished, and no other began');
      hasher.advance(4 * MiB);
      await new Promise((resolve) => setImmediate(resolve));
      assert.equal(gates.length, 0, 'nothing read after stop()');
    });
  });

  it('asks for a restart when the file is shorter than the bytes written to it', async () => {
    await withFile('short', content(MiB), async (handle) => {
      const digest = new TrailingSha1(handle, 2 * MiB).digest();
      await assert.rejects(digest, (error: unknown) => error instanceof RestartRequired && /ends at byte 1048576/.test(error.message));
    });
  });
});
