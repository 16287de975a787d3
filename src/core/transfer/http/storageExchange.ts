import type { Dispatcher } from 'undici';
import { headerValue } from './storageResponse';
import { mayPause } from './undici5360';

type Headers = Dispatcher.ResponseData['headers'];

export interface ExchangeHead {
  readonly statusCode: number;
  readonly headers: Headers;
}

/**
 * Takes body chunks as the HTTP parser produces them, each the sink's to keep (undici never reuses a
 * chunk it handed over); returns false to get no more until `resume()`.
 */
export type ChunkSink = (chunk: Buffer) => boolean;

/**
 * One storage request through undici's dispatch API: body chunks go from the HTTP parser straight to
 * a callback, with undici's own pause/resume for backpressure, instead of through a Readable stream
 * and an async iterator. The body waits until `pipe` or `readText` asks for it; `discard` drops it
 * (closing the socket if it is unfinished).
 */
export class StorageExchange implements Dispatcher.DispatchHandler {
  readonly head: Promise<ExchangeHead>;
  private controller?: Dispatcher.DispatchController;
  private sink?: ChunkSink;
  /** No sink yet, or the sink asked to wait. */
  private waiting = true;
  private pausable = true;
  /** Body bytes still to come, when the response said how many. */
  private remaining?: number;
  /** Chunks that came while waiting, for a response that must not be paused (see undici5360.ts). */
  private readonly held: Buffer[] = [];
  private complete = false;
  private stopped = false;
  private failure?: Error;
  private resolveHead!: (head: ExchangeHead) => void;
  private rejectHead!: (error: Error) => void;
  private finish?: { resolve: () => void; reject: (error: Error) => void };

  constructor(
    dispatcher: Dispatcher,
    options: Dispatcher.DispatchOptions,
    private readonly signal: AbortSignal,
  ) {
    this.head = new Promise<ExchangeHead>((resolve, reject) => {
      this.resolveHead = resolve;
      this.rejectHead = reject;
    });
    this.head.catch(() => undefined);
    signal.addEventListener('abort', this.onAbort, { once: true });
    dispatcher.dispatch(options, this);
  }

  /** Feeds the body to `sink` until it ends or `stop()` (resolves), or fails (rejects). */
  pipe(sink: ChunkSink): Promise<void> {
    this.sink = sink;
    const done = new Promise<void>((resolve, reject) => (this.finish = { resolve, reject }));
    this.resume();
    return done;
  }

  /** At most `limit` bytes of the body as text; a broken body yields what arrived. */
  async readText(limit = 4096): Promise<string> {
    const parts: Buffer[] = [];
    let length = 0;
    await this.pipe((chunk) => {
      parts.push(Buffer.from(chunk.subarray(0, limit - length)));
      length += chunk.length;
      if (length >= limit) this.stop();
      return true;
    }).catch(() => undefined);
    return Buffer.concat(parts).toString('utf8', 0, Math.min(length, limit));
  }

  /** The sink takes chunks again: first those held, then the socket's. */
  resume(): void {
    if (!this.sink) return;
    this.waiting = false;
    while (!this.waiting && this.held.length > 0 && !this.stopped) this.deliver(this.held.shift() as Buffer);
    if (this.waiting) return;
    this.settle();
    this.controller?.resume();
  }

  /** The body needs no more reading: `pipe` resolves now, and an unfinished body closes its socket. */
  stop(): void {
    if (this.stopped || this.failure) return;
    this.stopped = true;
    this.held.length = 0;
    this.settle();
    if (!this.complete) this.controller?.abort(new Error('response no longer needed'));
  }

  /** Ends the exchange whatever its state; call once the response is dealt with. */
  discard(): void {
    this.signal.removeEventListener('abort', this.onAbort);
    this.sink = undefined;
    this.stop();
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.signal.aborted) controller.abort(this.signal.reason as Error);
    else if (this.stopped || this.failure) controller.abort(new Error('response no longer needed'));
  }

  onResponseStart(controller: Dispatcher.DispatchController, statusCode: number, headers: Headers): void {
    this.pausable = mayPause(headers);
    const length = headerValue(headers, 'content-length');
    this.remaining = length === undefined ? undefined : Number(length);
    if (this.pausable && this.remaining !== 0) controller.pause();
    this.resolveHead({ statusCode, headers });
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.stopped || this.failure) return;
    if (this.remaining !== undefined) this.remaining -= chunk.length;
    if (this.waiting) this.held.push(chunk);
    else this.deliver(chunk);
    // After the last byte there is nothing to hold back; a paused parser would only take a server's
    // close of the idle connection for a body cut short.
    if (this.waiting && this.pausable && this.remaining !== 0) controller.pause();
  }

  onResponseEnd(): void {
    this.complete = true;
    this.settle();
  }

  onResponseError(_controller: Dispatcher.DispatchController | undefined, error: Error): void {
    if (this.stopped || this.failure || (this.complete && this.held.length === 0)) return;
    this.failure = error;
    this.rejectHead(error);
    this.settle();
  }

  private deliver(chunk: Buffer): void {
    if (!(this.sink as ChunkSink)(chunk)) this.waiting = true;
  }

  private readonly onAbort = (): void => {
    const reason = this.signal.reason as Error;
    if (this.controller) this.controller.abort(reason);
    else this.onResponseError(undefined, reason);
  };

  /** Settles `pipe` once the body is taken in full, stopped, or failed (repeats are no-ops). */
  private settle(): void {
    if (!this.finish) return;
    if (this.failure) this.finish.reject(this.failure);
    else if (this.stopped || (this.complete && this.held.length === 0 && !this.waiting)) this.finish.resolve();
  }
}
