/**
 * The bytes of an uploaded object: its parts' files on disk, in part order, read a range at a time
 * (never the whole object in memory). The files never change once the upload is completed.
 */
import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';

export interface Segment {
  path: string;
  size: number;
}

const HASH_SLICE = 4 * 1024 * 1024;

export class FileContent {
  readonly size: number;
  private readonly starts: number[] = [];
  private sha1Promise?: Promise<string>;

  constructor(readonly segments: readonly Segment[]) {
    let offset = 0;
    for (const segment of segments) {
      this.starts.push(offset);
      offset += segment.size;
    }
    this.size = offset;
  }

  /** Bytes [start, end) (clamped to the object), into `into` when it has room. */
  async read(start: number, end: number, into?: Buffer): Promise<Buffer> {
    const length = Math.max(0, Math.min(end, this.size) - start);
    const out = into && into.length >= length ? into.subarray(0, length) : Buffer.allocUnsafe(length);
    let done = 0;
    for (const { segment, from, count } of this.pieces(start, length)) {
      const handle = await open(segment.path, 'r');
      try {
        await readFully((buffer, offset, n, position) => handle.read(buffer, offset, n, position).then((r) => r.bytesRead), out, done, count, from);
      } finally {
        await handle.close();
      }
      done += count;
    }
    return out;
  }

  /** The same bytes, synchronously (test helpers: RunningEmulator.objectBytes). */
  readSync(start: number, end: number): Buffer {
    const length = Math.max(0, Math.min(end, this.size) - start);
    const out = Buffer.allocUnsafe(length);
    let done = 0;
    for (const { segment, from, count } of this.pieces(start, length)) {
      const fd = openSync(segment.path, 'r');
      try {
        let read = 0;
        while (read < count) {
          const n = readSync(fd, out, done + read, count - read, from + read);
          if (n === 0) throw new Error(`${segment.path} is shorter than ${segment.size} bytes`);
          read += n;
        }
      } finally {
        closeSync(fd);
      }
      done += count;
    }
    return out;
  }

  /** sha1 of the whole object, computed once (slice by slice, yielding between reads). */
  sha1(): Promise<string> {
    this.sha1Promise ??= (async () => {
      const hash = createHash('sha1');
      const slice = Buffer.allocUnsafe(HASH_SLICE);
      for (let offset = 0; offset < this.size; offset += HASH_SLICE) hash.update(await this.read(offset, offset + HASH_SLICE, slice));
      return hash.digest('hex');
    })();
    return this.sha1Promise;
  }

  private *pieces(start: number, length: number): Generator<{ segment: Segment; from: number; count: number }> {
    let position = start;
    const end = start + length;
    for (let index = 0; index < this.segments.length && position < end; index++) {
      const segmentStart = this.starts[index];
      const segment = this.segments[index];
      if (position >= segmentStart + segment.size) continue;
      const from = position - segmentStart;
      const count = Math.min(segment.size - from, end - position);
      yield { segment, from, count };
      position += count;
    }
  }
}

async function readFully(
  read: (buffer: Buffer, offset: number, length: number, position: number) => Promise<number>,
  out: Buffer,
  offset: number,
  count: number,
  position: number,
): Promise<void> {
  let done = 0;
  while (done < count) {
    const n = await read(out, offset + done, count - done, position + done);
    if (n === 0) throw new Error('an uploaded part file is shorter than recorded');
    done += n;
  }
}
