import * as assert from 'node:assert/strict';
import { setTimeout as wait } from 'node:timers/promises';
import type { TransferFile } from '../../../src/core/transfer/disk/fileSystem';
import type { Span } from '../../../src/core/transfer/plan/scheduler';
import { BufferPool, BUFFERS_PER_WRITER, SpanWriter } from '../../../src/core/transfer/disk/spanWriter';
import { StallWatchdog } from '../../../src/core/transfer/http/stallWatchdog';
import { errno } from './faultyFs';

/** A file whose writes wait until the test settles them, one by one. */
function heldFile() {
  const writes: { settle(error?: Error): void; position: number; bytes: Buffer }[] = [];
  const file = {
    writev(buffers: readonly Buffer[], position: number) {
      const bytes = Buffer.concat(buffers);
      return new Promise<{ bytesWritten: number }>((resolve, reject) => {
        writes.push({ position, bytes, settle: (error) => (error ? reject(error) : resolve({ bytesWritten: bytes.length })) });
      });
    },
  } as unknown as TransferFile;
  return { file, writes };
}

/** Resolves with the outcome of `promise`, or 'still waiting' after `ms`. */
async function within<T>(promise: Promise<T>, ms = 500): Promise<T | 'still waiting'> {
  return Promise.race([promise, wait(ms).then(() => 'still waiting' as const)]);
}

describe('transfer: span writer', () => {
  const BUFFER = 4;

  function writerFor(file: TransferFile, control = { resume() {}, stop() {} }) {
    const span: Span = { segment: 0, start: 0, end: 100, cursor: 0 };
    const watchdog = new StallWatchdog(60_000, () => undefined);
    const writer = new SpanWriter({ file, filePath: 'out.bin', buffers: new BufferPool(BUFFER, BUFFERS_PER_WRITER), onWritten: () => undefined }, span, { start: 0, end: 100 }, watchdog, control);
    return { writer, span, watchdog };
  }

  it('writes in order and holds a copy of a chunk while every buffer is busy', async () => {
    const { file, writes } = heldFile();
    let resumed = 0;
    const { writer, span, watchdog } = writerFor(file, { resume: () => resumed++, stop() {} });
    assert.equal(writer.accept(Buffer.from('abcd')), true);
    assert.equal(writer.accept(Buffer.from('efgh')), true);
    assert.equal(writer.accept(Buffer.from('ijkl')), true);
    const reused = Buffer.from('mn');
    assert.equal(writer.accept(reused), false, `all ${BUFFERS_PER_WRITER} buffers are busy: pause`);
    // The chunk may be a view of a read buffer the socket reuses once accept returns.
    reused.write('zz');
    writes[0].settle();
    await wait(0);
    assert.equal(resumed, 1, 'a buffer is free again: the held chunk is taken up and the socket resumed');
    writes[1].settle();
    await wait(0);
    writes[2].settle();
    const drained = writer.drain();
    await wait(0);
    writes[3].settle();
    assert.equal(await within(drained), undefined);
    assert.deepEqual(
      writes.map((w) => [w.position, w.bytes.toString()]),
      [
        [0, 'abcd'],
        [4, 'efgh'],
        [8, 'ijkl'],
        [12, 'mn'],
      ],
    );
    assert.equal(span.cursor, 14);
    writer.release();
    watchdog.stop();
  });

  it('a write that fails while a chunk is held ends a waiting drain with that failure', async () => {
    const { file, writes } = heldFile();
    const { writer, watchdog } = writerFor(file);
    for (const chunk of ['abcd', 'efgh', 'ijkl']) writer.accept(Buffer.from(chunk));
    assert.equal(writer.accept(Buffer.from('mn')), false);
    // The download is being stopped (another connection failed): drain waits for the writes in flight.
    const drained = writer.drain().then(
      () => 'drained',
      (error: Error) => error.message,
    );
    await wait(0);
    writes[0].settle(errno('ENOSPC'));
    assert.match(String(await within(drained)), /disk space|ENOSPC/);
    writer.release();
    watchdog.stop();
  });

  it('does not count the time a chunk waits for the disk as a stalled connection', async () => {
    let now = 0;
    const { file, writes } = heldFile();
    let stalls = 0;
    const watchdog = new StallWatchdog(100, () => stalls++, () => now);
    const span: Span = { segment: 0, start: 0, end: 100, cursor: 0 };
    const writer = new SpanWriter({ file, filePath: 'out.bin', buffers: new BufferPool(BUFFER, BUFFERS_PER_WRITER), onWritten: () => undefined }, span, { start: 0, end: 100 }, watchdog, { resume() {}, stop() {} });
    for (const chunk of ['abcd', 'efgh', 'ijkl']) writer.accept(Buffer.from(chunk));
    assert.equal(writer.accept(Buffer.from('mn')), false, 'every buffer waits for the disk');
    now += 10_000;
    watchdog.check();
    assert.equal(stalls, 0, 'ten seconds on a held write');
    writes[0].settle();
    await wait(0);
    now += 10_000;
    watchdog.check();
    assert.equal(stalls, 1, 'the network is silent again: a stall');
    for (const write of writes.slice(1)) write.settle();
    writer.release();
    watchdog.stop();
  });
});
