import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { generateBytes, generatedBytesRoom, sha1Of } from '../../emulator/storage/bytes';
import { parseRange } from '../../emulator/storage/range';

describe('emulator: seeded object bytes', () => {
  const size = 300_000;
  const whole = generateBytes(11, 0, size);

  it('gives the same bytes for any start offset and length', () => {
    for (const [start, length] of [[0, 1], [1, 63], [63, 2], [64, 64], [12_345, 70_001], [65_530, 20], [size - 7, 7]]) {
      assert.ok(generateBytes(11, start, length).equals(whole.subarray(start, start + length)), `${start}+${length}`);
    }
  });

  it('generates into a given buffer with room, and allocates when it has none', () => {
    for (const [start, length] of [[0, 64], [1, 63], [63, 1_000], [12_345, 70_001]]) {
      const into = Buffer.alloc(generatedBytesRoom(length), 0xee);
      const bytes = generateBytes(11, start, length, into);
      assert.ok(bytes.equals(whole.subarray(start, start + length)), `${start}+${length}`);
      assert.equal(bytes.buffer, into.buffer, `${start}+${length} is a view of the given buffer`);
    }
    const small = Buffer.alloc(64);
    const bytes = generateBytes(11, 1, 100, small);
    assert.ok(bytes.equals(whole.subarray(1, 101)));
    assert.notEqual(bytes.buffer, small.buffer);
  });

  it('is position-unique: no two 64-byte blocks repeat, and other seeds differ', () => {
    const blocks = new Set<string>();
    for (let offset = 0; offset + 64 <= size; offset += 64) blocks.add(whole.subarray(offset, offset + 64).toString('hex'));
    assert.equal(blocks.size, Math.floor(size / 64));
    // One pattern period (64 KiB) later the body repeats, the block header does not.
    assert.ok(!whole.subarray(0, 64).equals(whole.subarray(65_536, 65_536 + 64)));
    assert.ok(!generateBytes(12, 0, 64).equals(whole.subarray(0, 64)));
  });

  it('hashes exactly what it serves', async () => {
    assert.equal(await sha1Of(11, size), createHash('sha1').update(whole).digest('hex'));
    assert.equal(await sha1Of(11, 0), 'da39a3ee5e6b4b0d3255bfef95601890afd80709');
  });

  it('parses Range headers the way S3 does', () => {
    assert.deepEqual(parseRange(undefined, 10), { kind: 'none' });
    assert.deepEqual(parseRange('bytes=2-5', 10), { kind: 'range', start: 2, end: 5 });
    assert.deepEqual(parseRange('bytes=2-', 10), { kind: 'range', start: 2, end: 9 });
    assert.deepEqual(parseRange('bytes=-3', 10), { kind: 'range', start: 7, end: 9 });
    assert.deepEqual(parseRange('bytes=-30', 10), { kind: 'range', start: 0, end: 9 });
    assert.deepEqual(parseRange('bytes=5-100', 10), { kind: 'range', start: 5, end: 9 });
    assert.deepEqual(parseRange('bytes=10-', 10), { kind: 'unsatisfiable' });
    assert.deepEqual(parseRange('bytes=0-0', 0), { kind: 'unsatisfiable' });
    assert.deepEqual(parseRange('bytes=-0', 10), { kind: 'unsatisfiable' });
    assert.deepEqual(parseRange('bytes=5-2', 10), { kind: 'none' });
    assert.deepEqual(parseRange('bytes=0-1,4-5', 10), { kind: 'none' });
    assert.deepEqual(parseRange('items=0-1', 10), { kind: 'none' });
  });
});
