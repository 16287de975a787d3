import type { Exchange } from '../http/exchange';
import { sleep } from '../http/exchange';
import { generatedBytesRoom } from './bytes';

const CHUNK = 1024 * 1024;
/** Idle body buffers kept for the next writes, across all responses. */
const POOL_LIMIT = 32;

/**
 * Body buffers come back once the socket has taken their bytes, so serving allocates next to nothing.
 * A fresh buffer per chunk made the emulator's garbage collector its largest CPU cost, on the cores
 * it shares with the client under test.
 */
const idleBuffers: Buffer[] = [];
const BUFFER_BYTES = generatedBytesRoom(CHUNK);

function takeBuffer(): Buffer {
  return idleBuffers.pop() ?? Buffer.allocUnsafeSlow(BUFFER_BYTES);
}

function giveBuffer(buffer: Buffer): void {
  if (idleBuffers.length < POOL_LIMIT) idleBuffers.push(buffer);
}

export interface StreamPlan {
  /** Produces bytes [start, end) of the body, in `into` when it has room (uploaded objects: read from disk). */
  bytes(start: number, end: number, into: Buffer): Buffer | Promise<Buffer>;
  /** Body length in bytes. */
  length: number;
  bytesPerSecond?: number;
  /** After this many body bytes, do `cut`. */
  cutAfter?: number;
  cut?: 'reset' | 'truncate' | 'stall' | 'replace';
  onReplace?: () => void;
}

function waitDrain(exchange: Exchange): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      exchange.res.off('drain', done);
      resolve();
    };
    exchange.res.once('drain', done);
    void exchange.closed.then(done);
  });
}

/**
 * When `n` more bytes, after `sent`, may go out under a cap of `rate` bytes/s with a burst of `burst`
 * bytes (a token bucket that starts full): in ms from the start of the body.
 */
export function releaseAtMs(sent: number, n: number, rate: number, burst: number): number {
  return (Math.max(0, sent + n - burst) / rate) * 1000;
}

/** Bytes a capped connection may move at once: about 20 ms of its rate, between 1 KiB and 1 MiB. */
export function burstFor(bytesPerSecond: number): number {
  return Math.max(1024, Math.min(CHUNK, Math.floor(bytesPerSecond / 50)));
}

/** Writes the body with backpressure, an optional per-connection bandwidth cap, and an optional cut. */
export async function streamBody(exchange: Exchange, plan: StreamPlan): Promise<void> {
  const { res } = exchange;
  const limit = plan.cut ? Math.min(plan.cutAfter ?? 0, plan.length) : plan.length;
  const rate = plan.bytesPerSecond;
  const chunkSize = rate ? burstFor(rate) : CHUNK;
  const started = performance.now();
  let sent = 0;
  while (sent < limit && !exchange.isClosed()) {
    const n = Math.min(chunkSize, limit - sent);
    if (rate) {
      const wait = started + releaseAtMs(sent, n, rate, chunkSize) - performance.now();
      if (wait > 1) await Promise.race([sleep(wait), exchange.closed]);
      if (exchange.isClosed()) return;
    }
    const buffer = takeBuffer();
    let chunk = plan.bytes(sent, sent + n, buffer);
    if (chunk instanceof Promise) {
      chunk = await chunk;
      if (exchange.isClosed()) return giveBuffer(buffer);
    }
    // The callback runs once the socket is done with the bytes, written or not.
    const ok = res.write(chunk, () => giveBuffer(buffer));
    sent += n;
    if (!ok) await waitDrain(exchange);
  }
  if (exchange.isClosed()) return;
  if (!plan.cut) {
    res.end();
    return;
  }
  const socket = res.socket;
  switch (plan.cut) {
    case 'stall':
      return;
    case 'truncate':
      // Headers promised the full length; send a FIN after what was written.
      if (socket) socket.end();
      else res.destroy();
      return;
    case 'replace':
      plan.onReplace?.();
      res.destroy();
      return;
    case 'reset':
      if (socket && typeof (socket as { resetAndDestroy?: () => void }).resetAndDestroy === 'function') {
        socket.write('', () => (socket as unknown as { resetAndDestroy(): void }).resetAndDestroy());
      } else res.destroy();
      return;
  }
}
