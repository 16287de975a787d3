// One part PUT to a signed storage URL: the body read from disk as the connection takes it (never the whole
// part in memory), a Content-Length, no Authorization header; the answer sorted into what to do next.
import type { Readable } from 'node:stream';
import { request, type Dispatcher } from 'undici';
import { partPutError, uploadRefusalOf } from '../dm/uploadRefusals';
import { linkedController } from '../http/delay';
import { errorCodeOf, isNetworkError, isRetryableStatus, parseRetryAfter } from '../http/retryPolicy';
import type { TransferFile } from '../transfer/disk/fileSystem';
import type { BufferPool } from './bufferPool';
import { StallWatchdog } from '../transfer/http/stallWatchdog';

/** Worth sending the same part again (a reset, a stall, a 5xx or 429). */
export class PartRetry extends Error {
  constructor(
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'PartRetry';
  }
}

/** Storage refused the part's signed URL (expired, or no longer accepted): sign it again. */
export class PartUrlRefused extends Error {
  constructor(
    message: string,
    readonly expired: boolean,
  ) {
    super(message);
    this.name = 'PartUrlRefused';
  }
}

/** Storage no longer knows the upload (NoSuchUpload): it must start again under a new upload key. */
export class UploadSessionGone extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UploadSessionGone';
  }
}

/** The local file holds fewer bytes than the part needs: it changed while it was being sent. */
export class LocalFileShrank extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LocalFileShrank';
  }
}

export interface PartPut {
  readonly dispatcher: Dispatcher;
  readonly url: string;
  readonly file: TransferFile;
  /** Offset and length of the part in the file. */
  readonly start: number;
  readonly length: number;
  readonly partNumber: number;
  /** The file's name, for sentences. */
  readonly name: string;
  readonly signal: AbortSignal;
  readonly stallTimeoutMs: number;
  /** Where the body's read buffers come from (UPLOAD_READ_BYTES each). */
  readonly buffers: BufferPool;
  /** `bytes` more of the part were handed to the connection. */
  onSent(bytes: number): void;
}

/** Read buffers a part's body goes through, in turn: the connection has sent a buffer long before its turn comes again. */
export const BUFFERS_PER_PART = 4;

/**
 * A part's body, read from disk as the connection asks for it, into BUFFERS_PER_PART buffers taken in turn.
 * undici writes each chunk to the socket and waits for it to drain before it asks for the next one when the
 * write did not go through at once (always, for chunks above the socket's high-water mark), so a buffer is
 * free again long before it is read into again; the SHA-1 check of the whole object after completion would
 * catch it otherwise. The buffers go back to the pool only once storage answered (it has every byte then).
 */
class PartBody {
  private readonly buffers: Buffer[];
  private finished = false;

  constructor(
    private readonly put: PartPut,
    private readonly watchdog: StallWatchdog,
  ) {
    this.buffers = Array.from({ length: BUFFERS_PER_PART }, () => put.buffers.take());
  }

  async *chunks(): AsyncGenerator<Buffer> {
    const { put } = this;
    try {
      for (let offset = 0, turn = 0; offset < put.length; turn++) {
        const buffer = this.buffers[turn % BUFFERS_PER_PART];
        const size = Math.min(buffer.length, put.length - offset);
        const { bytesRead } = await put.file.read(buffer, 0, size, put.start + offset);
        if (bytesRead === 0) throw new LocalFileShrank(`"${put.name}" ended at ${put.start + offset} bytes while part ${put.partNumber} was sent: it changed.`);
        offset += bytesRead;
        this.watchdog.touch();
        put.onSent(bytesRead);
        yield buffer.subarray(0, bytesRead);
      }
    } finally {
      this.finished = true;
    }
  }

  /** The request settled: the buffers go back to the pool if nothing can still read them, else to the collector. */
  release(answered: boolean): void {
    if (answered && this.finished) for (const buffer of this.buffers) this.put.buffers.give(buffer);
  }
}

/** Sends the part once; resolves to the ETag storage answered, or rejects with what to do (see the classes above). */
export async function putPart(put: PartPut): Promise<string | undefined> {
  const { controller, unlink } = linkedController(put.signal);
  let stalled = false;
  const watchdog = new StallWatchdog(put.stallTimeoutMs, () => {
    stalled = true;
    controller.abort(new PartRetry('stalled'));
  });
  const body = put.length === 0 ? undefined : new PartBody(put, watchdog);
  let answered = false;
  try {
    const response = await request(put.url, {
      dispatcher: put.dispatcher,
      method: 'PUT',
      // Only what S3 needs: a presigned URL may sign no other header.
      headers: { 'content-length': String(put.length) },
      // undici documents AsyncIterable bodies (Dispatcher.md, `body`); its types do not list them yet. An empty
      // part goes as an empty buffer: undici will not pipeline a request whose empty body is an iterator.
      body: body ? (body.chunks() as unknown as Readable) : Buffer.alloc(0),
      signal: controller.signal,
    });
    answered = true;
    watchdog.touch();
    const status = response.statusCode;
    if (status === 200) {
      await response.body.dump();
      const etag = response.headers.etag;
      return Array.isArray(etag) ? etag[0] : etag;
    }
    const text = await response.body.text().catch(() => '');
    return refusal(status, text, response.headers['retry-after'], put);
  } catch (error) {
    if (stalled) throw new PartRetry(`no progress for ${put.stallTimeoutMs} ms`);
    if (put.signal.aborted) throw put.signal.reason;
    if (error instanceof LocalFileShrank || error instanceof PartRetry || error instanceof PartUrlRefused || error instanceof UploadSessionGone) throw error;
    if (isNetworkError(error) || errorCodeOf(error) === 'UND_ERR_REQ_CONTENT_LENGTH_MISMATCH') throw new PartRetry(`network error ${errorCodeOf(error)}`);
    throw error;
  } finally {
    watchdog.stop();
    body?.release(answered);
    unlink();
  }
}

function refusal(status: number, text: string, retryAfter: string | string[] | undefined, put: PartPut): never {
  const error = partPutError(status, text, { what: 'part', name: put.name, partNumber: put.partNumber });
  const refused = uploadRefusalOf(error);
  if (refused === 'UPLOAD_EXPIRED') throw new UploadSessionGone(error.userMessage);
  if (refused === 'PART_URL_EXPIRED') throw new PartUrlRefused(error.userMessage, true);
  if (status === 403) throw new PartUrlRefused(error.userMessage, false);
  if (isRetryableStatus(status)) throw new PartRetry(error.userMessage, parseRetryAfter(retryAfter));
  throw error;
}
