import type { OnReadOpts, Socket } from 'node:net';
import { heldHeaderCount } from './leanUndici';

/** Reads through every ring in this process, and those that went into a buffer of their own (for tests and diagnostics). */
export const ringReadCounts = { reads: 0, unshared: 0 };

/**
 * Read buffers for one plain-http socket that carries only range responses, reused from read to read:
 * the bytes go on as views of the buffer they were read into, with no copy and no fresh allocation
 * (whose page faults and collection were the largest cost per byte of an uncapped download). A buffer
 * is handed out for the next read only when nothing can still read the bytes it holds:
 * - the socket has nothing buffered but the read just pushed: no earlier read waits there, and no
 *   part of one that undici's parser put back when it paused;
 * - undici's parser holds no header bytes (it keeps views of them until a response's head is complete);
 * - whatever takes the body copies what it keeps (the socket's requests are all StorageExchanges,
 *   whose sinks copy; see createPlainRangeAgent).
 * Otherwise that read goes into a buffer of its own, which is never reused.
 */
export class ReadRing {
  private readonly slots: Buffer[] = [];
  private current?: Buffer;
  private socket?: Socket;
  /** Bytes of the read last pushed. */
  private pushed = 0;
  /** Reads that went into a buffer of their own. */
  unsharedReads = 0;

  constructor(
    private readonly bufferBytes: number,
    private readonly slotCount = 2,
  ) {}

  /** For net.connect: Node asks `buffer()` where the next read goes, at connect and after each read. */
  get onread(): OnReadOpts {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const ring = this;
    return {
      buffer: () => ring.nextBuffer(),
      callback(this: Socket, bytes: number, buffer: Uint8Array): boolean {
        return ring.take(this, bytes, buffer);
      },
    };
  }

  private take(socket: Socket, bytes: number, buffer: Uint8Array): boolean {
    this.socket = socket;
    this.pushed = bytes;
    ringReadCounts.reads++;
    return socket.push(Buffer.from(buffer.buffer, buffer.byteOffset, bytes));
  }

  private nextBuffer(): Buffer {
    const next = this.freeSlot() ?? this.unshared();
    this.current = next;
    return next;
  }

  private freeSlot(): Buffer | undefined {
    if (this.socket) {
      const onlyLastRead = this.socket.readableLength === this.pushed;
      if (!onlyLastRead || heldHeaderCount(this.socket) !== 0) return undefined;
    }
    // Before the first read no bytes were handed over; after it, every buffer but the current is free.
    const free = this.slots.find((slot) => slot !== this.current);
    if (free) return free;
    if (this.slots.length >= this.slotCount) return undefined;
    const slot = Buffer.allocUnsafeSlow(this.bufferBytes);
    this.slots.push(slot);
    return slot;
  }

  private unshared(): Buffer {
    this.unsharedReads++;
    ringReadCounts.unshared++;
    return Buffer.allocUnsafeSlow(this.bufferBytes);
  }
}
