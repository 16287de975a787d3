import { fileSystemError } from '../errors';
import type { StallWatchdog } from '../http/stallWatchdog';
import type { Span } from '../plan/scheduler';
import { MAX_UNWRITTEN_BYTES, WRITE_BATCH_BYTES } from '../settings';
import { writeFully, type TransferFile } from './fileSystem';

/** On slow links, write (and so report) what arrived at least this often. */
const WRITE_BATCH_MS = 100;

export interface SpanWriterTarget {
  readonly file: TransferFile;
  /** Used in error messages only. */
  readonly filePath: string;
  /** Bytes [start, end) are now on disk (not yet synced). */
  onWritten(start: number, end: number): void;
}

/** Contiguous body bytes, written with one positioned write. */
interface Batch {
  /** Object offset of the batch's first byte. */
  readonly start: number;
  readonly chunks: Buffer[];
  length: number;
  readonly since: number;
}

/**
 * Writes one response body, whose first byte is object offset `body.start`, at its positions in the
 * file: bytes before the span's cursor are skipped, nothing at or past its (live) end is written.
 * Body chunks are kept as they came (the exchange hands each over for good) and written
 * WRITE_BATCH_BYTES at a time, one write at a time and in order, so the span's cursor only moves
 * forward. While MAX_UNWRITTEN_BYTES wait for the disk, the socket is paused: memory stays bounded
 * whatever the size, and chunks are written soon after they arrive, so they die young.
 */
export class SpanWriter {
  /** Object offset of the next body byte. */
  private position: number;
  /** First object offset not yet gathered for a write. */
  private next: number;
  private filling?: Batch;
  /** Full batches waiting for the write in progress. */
  private readonly queued: Batch[] = [];
  private writing = false;
  /** Bytes gathered, queued or being written. */
  private unwritten = 0;
  /** The socket is paused until the disk catches up. */
  private waitingForDisk = false;
  private failure?: Error;
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
  }

  /** A body chunk, kept until written; false asks the exchange to pause until this writer resumes it. */
  accept(chunk: Buffer): boolean {
    if (this.failure || this.reachedEnd) return false;
    this.watchdog.touch();
    const chunkStart = this.position;
    const chunkEnd = chunkStart + chunk.length;
    this.position = chunkEnd;
    if (this.span.stream) this.span.stream.received = chunkEnd;
    const from = Math.max(chunkStart, this.next);
    const to = Math.min(chunkEnd, this.span.end);
    if (from < to) {
      this.gather(from === chunkStart && to === chunkEnd ? chunk : chunk.subarray(from - chunkStart, to - chunkStart), from);
      this.next = to;
    }
    if (chunkEnd >= this.span.end && chunkEnd < this.body.end) {
      // Another worker took over the rest: the body is not needed any further.
      this.reachedEnd = true;
      this.control.stop();
      return false;
    }
    if (this.unwritten < MAX_UNWRITTEN_BYTES) return true;
    this.waitingForDisk = true;
    this.watchdog.pause();
    return false;
  }

  /** Writes what is gathered, then resolves; rejects with the first write failure. */
  async drain(): Promise<void> {
    if (this.filling) this.enqueue(this.filling);
    this.filling = undefined;
    while (this.writing || this.queued.length > 0) {
      await new Promise<void>((resolve) => (this.wakeDrained = resolve));
    }
    if (this.failure) throw this.failure;
  }

  private gather(piece: Buffer, start: number): void {
    this.filling ??= { start, chunks: [], length: 0, since: Date.now() };
    const batch = this.filling;
    batch.chunks.push(piece);
    batch.length += piece.length;
    this.unwritten += piece.length;
    const stale = !this.writing && this.queued.length === 0 && Date.now() - batch.since >= WRITE_BATCH_MS;
    if (batch.length >= WRITE_BATCH_BYTES || stale) {
      this.filling = undefined;
      this.enqueue(batch);
    }
  }

  private enqueue(batch: Batch): void {
    if (this.writing) this.queued.push(batch);
    else void this.write(batch);
  }

  private async write(batch: Batch): Promise<void> {
    this.writing = true;
    // The span may have shrunk since the bytes arrived: nothing at or past its end is written.
    const end = Math.min(batch.start + batch.length, this.span.end);
    try {
      if (end > batch.start && !this.failure) {
        await writeFully(this.target.file, firstBytes(batch.chunks, end - batch.start), batch.start);
        this.span.cursor = Math.max(this.span.cursor, end);
        this.target.onWritten(batch.start, end);
      }
    } catch (error) {
      this.failure ??= fileSystemError('write', this.target.filePath, error);
      this.control.stop();
    }
    this.unwritten -= batch.length;
    this.writing = false;
    const next = this.queued.shift();
    if (next) void this.write(next);
    if (this.waitingForDisk && !this.failure && this.unwritten < MAX_UNWRITTEN_BYTES) {
      this.waitingForDisk = false;
      this.watchdog.resume();
      this.control.resume();
    }
    if (!this.writing) {
      const wake = this.wakeDrained;
      this.wakeDrained = undefined;
      wake?.();
    }
  }
}

/** The first `length` bytes of `chunks`, without copying. */
function firstBytes(chunks: Buffer[], length: number): Buffer[] {
  if (chunks.reduce((sum, chunk) => sum + chunk.length, 0) === length) return chunks;
  let remaining = length;
  const taken: Buffer[] = [];
  for (const chunk of chunks) {
    if (remaining <= 0) break;
    taken.push(chunk.length <= remaining ? chunk : chunk.subarray(0, remaining));
    remaining -= chunk.length;
  }
  return taken;
}
