import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { sha1OfFile } from '../../../src/core/transfer/verify';

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

  for (const size of [0, 1, MiB - 1, MiB, MiB + 1, 3 * MiB + 5]) {
    it(`hashes ${size} B across its two read buffers`, async () => {
      const file = path.join(dir, `f${size}`);
      const bytes = content(size + 7);
      await writeFile(file, bytes);
      const handle = await open(file, 'r');
      try {
        // Only the first `size` bytes count, though the file holds 7 more.
        assert.equal(await sha1OfFile(handle, size), createHash('sha1').update(bytes.subarray(0, size)).digest('hex'));
      } finally {
        await handle.close();
      }
    });
  }

  it('stops when cancelled, with no read left running', async () => {
    const file = path.join(dir, 'cancel');
    await writeFile(file, content(4 * MiB));
    const handle = await open(file, 'r');
    const controller = new AbortController();
    let reads = 0;
    let running = 0;
    const counting = {
      ...handle,
      read: async (buffer: Buffer, offset: number, length: number, position: number) => {
        reads++;
        running++;
        if (reads === 2) controller.abort(new Error('cancelled'));
        try {
          return await handle.read(buffer, offset, length, position);
        } finally {
          running--;
        }
      },
    } as unknown as Parameters<typeof sha1OfFile>[0];
    try {
      await assert.rejects(sha1OfFile(counting, 4 * MiB, controller.signal), /cancelled/);
      assert.equal(reads, 2);
      assert.equal(running, 0);
    } finally {
      await handle.close();
    }
  });
});
