import * as assert from 'node:assert/strict';
import { setTimeout as wait } from 'node:timers/promises';
import type { TransferFile } from '../../../src/core/transfer/disk/fileSystem';
import type { Span } from '../../../src/core/transfer/plan/scheduler';
import { SpanWriter } from '../../../src/core/transfer/disk/spanWriter';
import { StallWatchdog } from '../../../src/core/transfer/http/stallWatchdog';
import { MAX_UNWRITTEN_BYTES, WRITE_BATCH_BYTES } from '../../../src/core/transfer/settings';
import { errno } from './faultyFs';

/** A file whose writes wait until the test settles them, one by one. */
function heldFile() {
  const writes: { settle(error?: Error): void; position: number; buffers: readonly Buffer[] }[] = [];
  const file = {
    writev(buffers: readonly Buffer[], position: number) {
      return new Promise<{ bytesWritten: number }>((resolve, reject) => {
        const length = buffers.reduce((sum, b) => sum + b.length, 0);
        writes.push({ position, buffers, settle: (error) => (error ? reject(error) : resolve({ bytesWritten: length })) });
      });
    },
  } as unknown as TransferFile;
  return { file, writes };
}

/** Resolves with the outcome of `promise`, or 'still waiting' after `ms`. */
async function within<T>(promise: Promise<T>, ms = 500): Promise<T | 'still waiting'> {
  return Promise.race([promise, wait(ms).then(() => 'still waiting' as const)]);
}

/** Chunks of `size` bytes, each filled with its own letter. */
function chunks(count: number, size: number): Buffer[] {
  return Array.from({ length: count }, (_, i) => Buffer.alloc(size, String.fromCharCode(97 + i)));
}

const HALF = WRITE_BATCH_BYTES / 2;

describe('transfer: span writer', () => {
  function writerFor(file: TransferFile, end: number, control = { resume() {}, stop() {} }, watchdog = new StallWatchdog(60_000, () => undefined)) {
    const span: Span = { segment: 0, start: 0, end, cursor: 0 };
    const written: [number, number][] = [];
    const writer = new SpanWriter({ file, filePath: 'out.bin', onWritten: (start, stop) => written.push([start, stop]) }, span, { start: 0, end }, watchdog, control);
    return { writer, span, watchdog, written };
  }

  it('writes the chunks it was handed, a batch at a time and in order, and pauses the socket while too much waits for the disk', async () => {
    const { file, writes } = heldFile();
    let resumed = 0;
    const body = chunks(8, HALF);
    const { writer, span, watchdog, written } = writerFor(file, 8 * HALF, { resume: () => resumed++, stop() {} });
    const upToPause = MAX_UNWRITTEN_BYTES / HALF;
    const accepted = body.slice(0, upToPause).map((chunk) => writer.accept(chunk));
    assert.deepEqual(accepted, [...Array(upToPause - 1).fill(true), false], `${MAX_UNWRITTEN_BYTES} bytes wait for the disk: pause`);
    assert.equal(writes.length, 1, 'one write at a time');
    writes[0].settle();
    await wait(0);
    assert.equal(resumed, 1, 'the disk caught up: the socket goes on');
    assert.deepEqual(
      body.slice(upToPause).map((chunk) => writer.accept(chunk)),
      [true, false],
    );
    const drained = writer.drain();
    for (let i = 1; i < 4; i++) {
      await wait(0);
      writes[i].settle();
    }
    assert.equal(await within(drained), undefined);
    assert.equal(resumed, 2);
    assert.deepEqual(
      writes.map((w) => w.position),
      [0, 1, 2, 3].map((i) => i * WRITE_BATCH_BYTES),
    );
    assert.ok(
      writes.every((w, i) => w.buffers[0] === body[2 * i] && w.buffers[1] === body[2 * i + 1]),
      'the chunks themselves are written, not copies',
    );
    assert.deepEqual(written, [0, 1, 2, 3].map((i) => [i * WRITE_BATCH_BYTES, (i + 1) * WRITE_BATCH_BYTES]));
    assert.equal(span.cursor, 8 * HALF);
    watchdog.stop();
  });

  it('writes nothing at or past the span end, when another connection took the tail after the bytes arrived', async () => {
    const { file, writes } = heldFile();
    const { writer, span, watchdog } = writerFor(file, WRITE_BATCH_BYTES);
    const [first, second] = chunks(2, HALF);
    writer.accept(first);
    writer.accept(second.subarray(0, 100));
    span.end = HALF + 40;
    const drained = writer.drain();
    await wait(0);
    writes[0].settle();
    assert.equal(await within(drained), undefined);
    assert.equal(writes.length, 1);
    assert.equal(writes[0].buffers.reduce((sum, b) => sum + b.length, 0), HALF + 40);
    assert.equal(writes[0].buffers[0], first);
    assert.equal(span.cursor, HALF + 40);
    watchdog.stop();
  });

  it('a write that fails while the socket waits ends a waiting drain with that failure', async () => {
    const { file, writes } = heldFile();
    let stopped = 0;
    const { writer, watchdog } = writerFor(file, 8 * HALF, { resume() {}, stop: () => stopped++ });
    const accepted = chunks(6, HALF).map((chunk) => writer.accept(chunk));
    assert.equal(accepted.at(-1), false);
    // The download is being stopped (another connection failed): drain waits for the writes in flight.
    const drained = writer.drain().then(
      () => 'drained',
      (error: Error) => error.message,
    );
    await wait(0);
    writes[0].settle(errno('ENOSPC'));
    assert.match(String(await within(drained)), /disk space|ENOSPC/);
    assert.equal(stopped, 1, 'the response is stopped');
    assert.equal(writes.length, 1, 'nothing is written after a failure');
    watchdog.stop();
  });

  it('does not count the time the socket waits for the disk as a stalled connection', async () => {
    let now = 0;
    let stalls = 0;
    const { file, writes } = heldFile();
    const watchdog = new StallWatchdog(100, () => stalls++, () => now);
    const { writer } = writerFor(file, 8 * HALF, { resume() {}, stop() {} }, watchdog);
    const accepted = chunks(6, HALF).map((chunk) => writer.accept(chunk));
    assert.equal(accepted.at(-1), false, 'the writes wait for the disk');
    now += 10_000;
    watchdog.check();
    assert.equal(stalls, 0, 'ten seconds on a held write');
    writes[0].settle();
    await wait(0);
    now += 10_000;
    watchdog.check();
    assert.equal(stalls, 1, 'the network is silent again: a stall');
    for (const write of writes.slice(1)) write.settle();
    watchdog.stop();
  });
});
