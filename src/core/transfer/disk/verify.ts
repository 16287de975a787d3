import { createHash, type Hash } from 'node:crypto';
import { RestartRequired } from '../errors';
import type { TransferFile } from './fileSystem';

const READ_BUFFER_BYTES = 1024 * 1024;

/**
 * sha1 of a file that is still being written, read back from disk in one sequential pass that
 * trails the writers: `advance(end)` tells it the first `end` bytes are written and final. So when
 * the last range lands, only the tail is left to read. Should bytes be written twice after all
 * (`invalidate`), `digest` reads the whole file afresh, so a stray write is caught as before.
 * Two reused buffers: the next piece is read while the current one is hashed.
 */
export class TrailingSha1 {
  private readonly buffers: Buffer[];
  private hash: Hash | undefined;
  private position = 0;
  private readable = 0;
  private pass: Promise<void> | undefined;
  private failure: { error: unknown } | undefined;
  private stopped = false;
  private stale = false;

  constructor(
    private readonly file: TransferFile,
    private readonly size: number,
    private readonly signal?: AbortSignal,
  ) {
    const length = Math.min(READ_BUFFER_BYTES, Math.max(1, size));
    this.buffers = [Buffer.allocUnsafe(length), Buffer.allocUnsafe(length)];
  }

  /** The first `end` bytes of the file are written and will not change. */
  advance(end: number): void {
    this.readable = Math.min(this.size, Math.max(this.readable, end));
    this.kick();
  }

  /** Bytes it may have read already were written again: `digest` reads everything afresh. */
  invalidate(): void {
    this.stale = true;
  }

  /** sha1 (hex) of the first `size` bytes, once they are all read. */
  async digest(): Promise<string> {
    await this.idle();
    if (this.stale) {
      this.stale = false;
      this.hash = undefined;
      this.position = 0;
    }
    this.advance(this.size);
    await this.idle();
    if (this.failure) throw this.failure.error;
    this.signal?.throwIfAborted();
    this.hash ??= createHash('sha1');
    return this.hash.digest('hex');
  }

  /** Stops reading; resolves once no read is running (so the file can be closed). */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.idle();
  }

  /** Resolves once no pass is running (a pass that ends starts the next one itself when there is more). */
  private async idle(): Promise<void> {
    while (this.pass) await this.pass;
  }

  private kick(): void {
    if (this.pass || this.stopped || this.stale || this.failure || this.position >= this.readable) return;
    this.pass = this.readAvailable()
      .catch((error: unknown) => {
        this.failure = { error };
      })
      .finally(() => {
        this.pass = undefined;
        this.kick();
      });
  }

  private async readAvailable(): Promise<void> {
    const hash = (this.hash ??= createHash('sha1'));
    let filling = 0;
    let reading = this.readNext(filling);
    while (reading) {
      const piece = await reading;
      if (piece.length === 0) throw new RestartRequired(`the file ends at byte ${this.position}, before bytes already written to it`);
      this.position += piece.length;
      this.signal?.throwIfAborted();
      filling ^= 1;
      reading = this.stopped || this.stale ? undefined : this.readNext(filling);
      hash.update(piece);
    }
  }

  private readNext(index: number): Promise<Buffer> | undefined {
    const buffer = this.buffers[index];
    const length = Math.min(buffer.length, this.readable - this.position);
    if (length <= 0) return undefined;
    return this.file.read(buffer, 0, length, this.position).then(({ bytesRead }) => buffer.subarray(0, bytesRead));
  }
}
