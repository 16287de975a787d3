/**
 * Object bytes from a seed, generated on the fly at any offset. The object is a run of 64-byte
 * blocks: 8 header bytes derived from (seed, absolute block index) followed by 56 bytes from a
 * 64 KiB per-seed pattern. So every block depends on its absolute position: bytes written at a
 * wrong offset change the file's sha1.
 */
import { createHash } from 'node:crypto';

const BLOCK = 64;
const PATTERN_BYTES = 64 * 1024;
const PATTERN_BLOCKS = PATTERN_BYTES / BLOCK;
const MAX_PATTERNS = 64;

/** Pattern repeated twice so any PATTERN_BYTES window is one contiguous copy. */
const patterns = new Map<number, Buffer>();

function splitmix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

function patternFor(seed: number): Buffer {
  let pattern = patterns.get(seed);
  if (pattern) return pattern;
  pattern = Buffer.allocUnsafeSlow(PATTERN_BYTES * 2);
  const words = new Uint32Array(pattern.buffer, pattern.byteOffset, PATTERN_BYTES / 4);
  const next = splitmix32(seed);
  for (let i = 0; i < words.length; i++) words[i] = next();
  pattern.copy(pattern, PATTERN_BYTES, 0, PATTERN_BYTES);
  if (patterns.size >= MAX_PATTERNS) patterns.delete(patterns.keys().next().value as number);
  patterns.set(seed, pattern);
  return pattern;
}

/** Room `generateBytes` needs in `into` for any `length` bytes: whole blocks around them. */
export function generatedBytesRoom(length: number): number {
  return (Math.ceil(length / BLOCK) + 1) * BLOCK;
}

/**
 * Bytes [start, start + length) of the object with this seed: a view of `into` when it has
 * `generatedBytesRoom(length)` bytes, else of a new buffer.
 */
export function generateBytes(seed: number, start: number, length: number, into?: Buffer): Buffer {
  if (length <= 0) return Buffer.alloc(0);
  const pattern = patternFor(seed);
  const head = start % BLOCK;
  const alignedStart = start - head;
  const total = Math.ceil((head + length) / BLOCK) * BLOCK;
  // Whole words from a 4-byte-aligned offset: the block headers are written through a Uint32Array.
  const out = into && into.length >= total && into.byteOffset % 4 === 0 ? into.subarray(0, total) : Buffer.allocUnsafeSlow(total);

  let written = 0;
  let patternOffset = alignedStart % PATTERN_BYTES;
  while (written < total) {
    const n = Math.min(total - written, PATTERN_BYTES);
    pattern.copy(out, written, patternOffset, patternOffset + n);
    written += n;
    patternOffset = (patternOffset + n) % PATTERN_BYTES;
  }

  const words = new Uint32Array(out.buffer, out.byteOffset, total / 4);
  const firstBlock = alignedStart / BLOCK;
  const key1 = Math.imul(seed ^ 0x5bd1e995, 0x27d4eb2f) >>> 0;
  const key2 = (seed ^ 0xa5a5a5a5) >>> 0;
  for (let i = 0, w = 0; w < words.length; i++, w += BLOCK / 4) {
    const block = firstBlock + i;
    const high = Math.floor(block / 0x100000000);
    words[w] = (Math.imul(block >>> 0, 0x9e3779b1) ^ key1) >>> 0;
    words[w + 1] = (Math.imul(high + (block % PATTERN_BLOCKS), 0x85ebca6b) ^ key2 ^ (block >>> 0)) >>> 0;
  }
  return out.subarray(head, head + length);
}

/** sha1 of the whole object, computed in slices that yield to the event loop. */
export async function sha1Of(seed: number, size: number): Promise<string> {
  const hash = createHash('sha1');
  const slice = 4 * 1024 * 1024;
  for (let offset = 0; offset < size; offset += slice) {
    hash.update(generateBytes(seed, offset, Math.min(slice, size - offset)));
    if (offset + slice < size) await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return hash.digest('hex');
}
