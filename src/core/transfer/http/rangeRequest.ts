import type { Dispatcher } from 'undici';
import { delay, linkedController } from '../../http/delay';
import { backoffDelay, errorCodeOf, isNetworkError, isRetryableStatus, parseRetryAfter } from '../../http/retryPolicy';
import type { TransferFile } from '../disk/fileSystem';
import { SpanWriter } from '../disk/spanWriter';
import { RangeIgnored, RestartRequired, TransferError } from '../errors';
import type { Span } from '../plan/scheduler';
import type { RetryPolicy, TransferLog } from '../types';
import { segmentsOf, type EtagBook, type SegmentUrl, type SignedUrlState } from './signedUrl';
import { StallWatchdog } from './stallWatchdog';
import { StorageExchange } from './storageExchange';
import { headerValue, parseContentRange, storageErrorDetail } from './storageResponse';

export interface FetchContext {
  readonly dispatcher: Dispatcher;
  readonly urls: SignedUrlState;
  readonly etags: EtagBook;
  readonly file: TransferFile;
  /** Used in error messages only. */
  readonly filePath: string;
  /** Aborts on cancel, on a fatal error of any worker, and on restart. */
  readonly signal: AbortSignal;
  readonly retry: RetryPolicy;
  readonly stallTimeoutMs: number;
  /** Storage ignored Range: accept 200 bodies for partial tasks, writing what is still missing. */
  readonly singleStream: boolean;
  readonly log: TransferLog;
  /** Bytes [start, end) are now on disk (not yet synced). */
  onWritten(start: number, end: number): void;
  readonly stats: { retries: number };
}

/** A failure worth another request for the same missing bytes. */
class Retryable extends Error {
  constructor(
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

class Forbidden extends Error {
  constructor(readonly detail: string) {
    super(detail);
  }
}

/**
 * Fetches the span's missing bytes into the file, re-requesting only what is still missing after a
 * failure. The span's end may shrink meanwhile (another worker took the tail): writing stops there.
 */
export async function fetchSpan(ctx: FetchContext, span: Span): Promise<void> {
  let failures = 0;
  while (span.cursor < span.end) {
    ctx.signal.throwIfAborted();
    await ctx.urls.ensureFresh();
    const target = ctx.urls.segmentUrl(span.segment);
    const before = span.cursor;
    try {
      await requestOnce(ctx, span, target);
    } catch (error) {
      if (ctx.signal.aborted) throw ctx.signal.reason;
      if (error instanceof Forbidden) {
        await ctx.urls.onForbidden(target.generation, error.detail);
        continue;
      }
      if (!(error instanceof Retryable)) throw error;
      if (span.cursor >= span.end) return;
      failures = span.cursor > before ? 1 : failures + 1;
      if (failures > ctx.retry.attempts) {
        throw new TransferError('retries-exhausted', `Download failed after ${ctx.retry.attempts} retries: ${error.message}`, { cause: error });
      }
      ctx.stats.retries++;
      const wait =
        error.retryAfterMs !== undefined
          ? Math.min(error.retryAfterMs, ctx.retry.maxRetryAfterMs)
          : backoffDelay(failures - 1, ctx.retry);
      ctx.log('debug', `Retrying bytes ${span.cursor}-${span.end - 1} in ${wait} ms: ${error.message}`);
      await delay(wait, ctx.signal);
    }
  }
}

async function requestOnce(ctx: FetchContext, span: Span, target: SegmentUrl): Promise<void> {
  const segment = segmentsOf(ctx.urls.object)[span.segment];
  const segmentLength = segment.end - segment.start + 1;
  const relStart = span.cursor - segment.start;
  const relEnd = span.end - 1 - segment.start;
  const asksWholeSegment = relStart === 0 && relEnd === segmentLength - 1;
  const headers: Record<string, string> = { 'accept-encoding': 'identity', range: `bytes=${relStart}-${relEnd}` };
  const etag = ctx.etags.get(span.segment);
  if (etag) headers['if-match'] = etag;

  const { controller, unlink } = linkedController(ctx.signal);
  let stalled = false;
  const watchdog = new StallWatchdog(ctx.stallTimeoutMs, () => {
    stalled = true;
    controller.abort(new Retryable('stalled'));
  });
  const url = new URL(target.url);
  let exchange: StorageExchange | undefined;
  const requested = performance.now();
  try {
    exchange = new StorageExchange(ctx.dispatcher, { origin: url.origin, path: url.pathname + url.search, method: 'GET', headers }, controller.signal);
    const response = await exchange.head;
    const answered = performance.now();
    watchdog.touch();
    const status = response.statusCode;
    if (status !== 200 && status !== 206) throw await statusFailure(status, response.headers, exchange);
    ctx.urls.markServed(target.generation);
    const encoding = headerValue(response.headers, 'content-encoding');
    if (encoding && encoding.toLowerCase() !== 'identity') {
      throw new TransferError('http', `Storage sent a ${encoding}-encoded body although identity was requested.`);
    }
    ctx.etags.observe(span.segment, headerValue(response.headers, 'etag'));
    // Object offsets [start, end) the body carries.
    let body = { start: segment.start, end: segment.end + 1 };
    if (status === 206) {
      const range = parseContentRange(headerValue(response.headers, 'content-range'));
      if (!range) throw new Retryable('206 without a valid Content-Range');
      if (range.total !== undefined && range.total !== segmentLength) {
        throw new RestartRequired(`size is now ${range.total} instead of ${segmentLength}`);
      }
      if (range.start !== relStart || range.end !== relEnd) {
        throw new Retryable(`Content-Range ${range.start}-${range.end} does not match the requested ${relStart}-${relEnd}`);
      }
      body = { start: segment.start + range.start, end: segment.start + range.end + 1 };
    } else {
      const length = headerValue(response.headers, 'content-length');
      if (length !== undefined && Number(length) !== segmentLength) {
        throw new RestartRequired(`size is now ${length} instead of ${segmentLength}`);
      }
      if (!asksWholeSegment && !ctx.singleStream) throw new RangeIgnored();
    }
    span.stream = { since: answered, from: body.start, received: body.start, latencyMs: answered - requested };
    await streamToFile(ctx, exchange, span, body, watchdog);
  } catch (error) {
    if (stalled) throw new Retryable(`no data for ${ctx.stallTimeoutMs} ms`);
    if (ctx.signal.aborted) throw ctx.signal.reason;
    // A TransferError stays one even when a network error caused it.
    if (isNetworkError(error) && !(error instanceof TransferError)) throw new Retryable(`network error ${errorCodeOf(error)}`);
    throw error;
  } finally {
    span.stream = undefined;
    watchdog.stop();
    unlink();
    exchange?.discard();
  }
}

/** What to throw for a status other than 200 and 206. */
async function statusFailure(status: number, headers: Dispatcher.ResponseData['headers'], exchange: StorageExchange): Promise<Error> {
  const detail = storageErrorDetail(status, await exchange.readText());
  if (status === 403) return new Forbidden(detail);
  if (status === 412) return new RestartRequired('ETag no longer matches (412)');
  if (status === 416) return new RestartRequired('requested bytes are beyond the end of the object (416)');
  if (status === 404 || status === 410) return new TransferError('not-found', `The stored object is gone (${detail}).`);
  if (isRetryableStatus(status)) return new Retryable(detail, parseRetryAfter(headers['retry-after']));
  return new TransferError('http', `Storage answered ${detail}.`);
}

/** Writes the body at its positions; bytes that arrived before a failure are kept for the retry. */
async function streamToFile(ctx: FetchContext, exchange: StorageExchange, span: Span, body: { start: number; end: number }, watchdog: StallWatchdog): Promise<void> {
  const writer = new SpanWriter(ctx, span, body, watchdog, exchange);
  try {
    await exchange.pipe((chunk) => writer.accept(chunk));
  } catch (error) {
    await writer.drain();
    throw error;
  }
  await writer.drain();
  if (span.cursor < span.end) throw new Retryable(`body ended ${span.end - span.cursor} bytes early`);
}
