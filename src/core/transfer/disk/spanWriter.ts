import { fileSystemError } from '../errors';
import type { StallWatchdog } from '../http/stallWatchdog';
import type { Span } from '../plan/scheduler';
import { writeFully, type TransferFile } from './fileSystem';

/** On slow links, write (and so report) what arrived at least this often. */
const WRITE_BATCH_MS = 100;
/**
 * Write buffers per writer: one fills while the others are being written; a chunk that does not fit
 * is copied to wait until one is free.
 */
export const BUFFERS_PER_WRITER = 3;

export interface SpanWriterTarget {
  readonly file: TransferFile;
  /** Used in error messages only. */
  readonly filePath: string;
  readonly buffers: BufferPool;
  /** Bytes [start, end) are now on disk (not yet synced). */
  onWritten(start: number, end: number): void;
}

interface Batch {
  readonly buffer: Buffer;
  /** Object offset of the batch's first byte. */
  readonly start: number;
  length: number;
  readonly since: number;
}

/**
 * Writes one response body, whose first byte is object offset `bodyOffset`, at its positions in the
 * file: bytes before the span's cursor are skipped, nothing at or past its (live) end is written.
 * Bytes are copied into pooled buffers (BUFFERS_PER_WRITER): one fills while the others wait or are
 * being written, and the socket is paused while all are busy, so memory stays bounded whatever the
 * size and socket chunks die young. Writes go one at a time, in order, so the span's cursor only
 * moves forward.
 */
export class SpanWriter {
  private position: number;
  private next: number;
  private filling?: Batch;
  /** Full batches waiting for the write in progress. */
  private readonly queued: Batch[] = [];
  private writing = false;
  private pending?: { chunk: Buffer; chunkStart: number };
  private failure?: Error;
  private readonly idle: Buffer[];
  private wakeDrained?: () => void;
  private reachedEnd = false;

  /** `body`: object offsets [start, end) the response carries. */
  constructor(
    private readonly target: SpanWriterTarget,
    private readonly span: Span,
    private readonly body: { readonly start: number; readonly end: number },
    private readonly watchdog: StallWatchdog,
    private readonly control: { resume(): void; stop(): void },
  ) {
    this.position = body.start;
    this.next = span.cursor;
    this.idle = Array.from({ length: BUFFERS_PER_WRITER }, () => target.buffers.take());
  }

  /** A body chunk; false asks the exchange to pause until this writer resumes it. */
  accept(chunk: Buffer): boolean {
    if (this.failure || this.reachedEnd) return false;
    this.watchdog.touch();
    const chunkStart = this.position;
    this.position += chunk.length;
    if (this.span.stream) this.span.stream.received = this.position;
    return this.consume(chunk, chunkStart);
  }

  /** Writes what is buffered, then resolves; rejects with the first write failure. */
  async drain(): Promise<void> {
    if (this.pending && !this.failure) await this.whileBusy();
    if (this.filling && this.filling.length > 0) this.enqueue(this.filling);
    this.filling = undefined;
    await this.whileBusy();
    if (this.failure) throw this.failure;
  }

  /** Returns the buffers to the pool; the writer must be drained (or failed) first. */
  release(): void {
    const buffers = [...this.idle, this.filling?.buffer, ...this.queued.map((batch) => batch.buffer)];
    for (const buffer of buffers) if (buffer) this.target.buffers.give(buffer);
    this.idle.length = 0;
    this.filling = undefined;
    this.queued.length = 0;
  }

  private consume(chunk: Buffer, chunkStart: number): boolean {
    const chunkEnd = chunkStart + chunk.length;
    let from = Math.max(chunkStart, this.next);
    const to = Math.min(chunkEnd, this.span.end);
    while (from < to) {
      if (!this.filling) {
        const buffer = this.idle.pop();
        if (!buffer) {
          // Kept past this call: a copy of only what is still to be written, not a view pinning the whole read.
          this.pending = { chunk: Buffer.from(chunk.subarray(from - chunkStart)), chunkStart: from };
          this.watchdog.pause();
          return false;
        }
        this.filling = { buffer, start: from, length: 0, since: Date.now() };
      }
      const batch = this.filling;
      const n = Math.min(to - from, batch.buffer.length - batch.length);
      chunk.copy(batch.buffer, batch.length, from - chunkStart, from - chunkStart + n);
      batch.length += n;
      from += n;
      this.next = from;
      if (batch.length === batch.buffer.length) {
        this.filling = undefined;
        this.enqueue(batch);
      }
    }
    const stale = this.filling && Date.now() - this.filling.since >= WRITE_BATCH_MS;
    if (stale && !this.writing && this.queued.length === 0) {
      this.enqueue(this.filling as Batch);
      this.filling = undefined;
    }
    if (chunkEnd >= this.span.end && chunkEnd < this.body.end) {
      // Another worker took over the rest: the body is not needed any further.
      this.reachedEnd = true;
      this.control.stop();
      return false;
    }
    return true;
  }

  private enqueue(batch: Batch): void {
    if (this.writing) this.queued.push(batch);
    else void this.write(batch);
  }

  private async write(batch: Batch): Promise<void> {
    this.writing = true;
    const end = Math.min(batch.start + batch.length, this.span.end);
    try {
      if (end > batch.start && !this.failure) {
        await writeFully(this.target.file, [batch.buffer.subarray(0, end - batch.start)], batch.start);
        this.span.cursor = Math.max(this.span.cursor, end);
        this.target.onWritten(batch.start, end);
      }
    } catch (error) {
      this.failure ??= fileSystemError('write', this.target.filePath, error);
      this.control.stop();
    }
    this.idle.push(batch.buffer);
    this.writing = false;
    const next = this.queued.shift();
    if (next) void this.write(next);
    this.takePending();
    if (!this.busy) {
      const wake = this.wakeDrained;
      this.wakeDrained = undefined;
      wake?.();
    }
  }

  /** A write in flight or queued, or a held chunk still to take up (none after a failure). */
  private get busy(): boolean {
    return this.writing || this.queued.length > 0 || (this.pending !== undefined && !this.failure);
  }

  /** A buffer is free again: take up the chunk that did not fit, then let the socket go on. */
  private takePending(): void {
    const pending = this.pending;
    if (!pending || this.failure) return;
    this.pending = undefined;
    this.watchdog.resume();
    if (this.consume(pending.chunk, pending.chunkStart)) this.control.resume();
  }

  private async whileBusy(): Promise<void> {
    while (this.busy) {
      await new Promise<void>((resolve) => (this.wakeDrained = resolve));
    }
  }
}

/**
 * Fixed-size write buffers, reused: received bytes are copied into one per connection and written
 * from there, so socket chunks die young (cheap to collect) instead of piling up while a batch fills.
 */
export class BufferPool {
  private readonly idle: Buffer[] = [];

  constructor(
    readonly bufferBytes: number,
    private readonly keep: number,
  ) {}

  take(): Buffer {
    return this.idle.pop() ?? Buffer.allocUnsafeSlow(this.bufferBytes);
  }

  give(buffer: Buffer): void {
    if (this.idle.length < this.keep) this.idle.push(buffer);
  }
}
