/** Buffers of one size, taken and given back in turn, so part bodies read from disk reuse memory. */
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
