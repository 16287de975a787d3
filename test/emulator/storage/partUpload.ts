/**
 * PUT of one upload part to a signed storage URL (S3 UploadPart): the body goes to a file as it arrives,
 * with its md5 (the part's ETag), under the faults and bandwidth cap that apply to the request.
 */
import { createHash } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { once } from 'node:events';
import { choices } from '../choices';
import { applyRequestFaults, cutOrStall, retryAfterHeader, sendBody, sleep, type Exchange } from '../http/exchange';
import type { ActiveFault } from '../faults/spec';
import { s3ErrorForStatus, s3ErrorXml } from './s3errors';
import { sendXmlError } from './serve';
import { checkSignedRequest, type StorageDeps } from './signedRequest';
import { burstFor, releaseAtMs } from './stream';

/** Reads and drops what is left of the request body, so an early refusal reaches the client as an answer. */
async function drain(exchange: Exchange): Promise<void> {
  const { req } = exchange;
  if (req.readableEnded) return;
  req.resume();
  await Promise.race([once(req, 'end').catch(() => undefined), exchange.closed]);
}

type BodyOutcome = { kind: 'received'; size: number; md5: Buffer } | { kind: 'cut'; fault: ActiveFault } | { kind: 'gone' };

/**
 * The next chunk of the request body, null at its end. Read by hand rather than by async iteration, which
 * would destroy the socket when a stall fault stops reading.
 */
async function nextChunk(exchange: Exchange): Promise<Buffer | null> {
  const { req } = exchange;
  for (;;) {
    const chunk = req.read() as Buffer | null;
    if (chunk !== null) return chunk;
    if (req.readableEnded) return null;
    if (exchange.isClosed() || req.destroyed) throw new Error('the connection closed before the body ended');
    await new Promise<void>((resolve) => {
      const done = () => {
        req.off('readable', done);
        req.off('end', done);
        req.off('close', done);
        resolve();
      };
      req.once('readable', done);
      req.once('end', done);
      req.once('close', done);
      void exchange.closed.then(done);
    });
  }
}

/**
 * Copies the body into `path`, at most `bytesPerSecond` fast. A reset/stall fault (`cut`) stops it once
 * `afterBytes` body bytes have arrived; the caller applies it after the file is gone.
 */
async function receiveBody(exchange: Exchange, path: string, bytesPerSecond: number | undefined, cut: ActiveFault | undefined): Promise<BodyOutcome> {
  const md5 = createHash('md5');
  const file: WriteStream = createWriteStream(path);
  let failed: Error | undefined;
  file.on('error', (error) => (failed = error));
  const burst = bytesPerSecond ? burstFor(bytesPerSecond) : 0;
  const cutAt = cut ? (cut.afterBytes ?? 0) : Infinity;
  const started = performance.now();
  let size = 0;
  try {
    while (size < cutAt) {
      let chunk = await nextChunk(exchange);
      if (chunk === null) break;
      if (size + chunk.length > cutAt) chunk = chunk.subarray(0, cutAt - size);
      if (bytesPerSecond) {
        const wait = started + releaseAtMs(size, chunk.length, bytesPerSecond, burst) - performance.now();
        if (wait > 1) await Promise.race([sleep(wait), exchange.closed]);
      }
      md5.update(chunk);
      size += chunk.length;
      if (!file.write(chunk)) await Promise.race([once(file, 'drain'), exchange.closed]);
      if (exchange.isClosed() || failed) return { kind: 'gone' };
    }
    if (cut && size >= cutAt) return { kind: 'cut', fault: cut };
    await new Promise<void>((resolve, reject) => file.end((error?: Error | null) => (error ? reject(error) : resolve())));
    return failed ? { kind: 'gone' } : { kind: 'received', size, md5: md5.digest() };
  } catch {
    return { kind: 'gone' };
  } finally {
    if (!file.closed) file.destroy();
  }
}

function noSuchUpload(uploadId: string): string {
  return s3ErrorXml('NoSuchUpload', 'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.', { UploadId: uploadId });
}

export async function receivePart(exchange: Exchange, deps: StorageDeps): Promise<void> {
  const refuse = async (status: number, xml: string, headers: Record<string, string> = {}) => {
    await drain(exchange);
    if (!exchange.isClosed()) sendXmlError(exchange, status, xml, headers);
  };
  const fault = await applyRequestFaults(exchange, deps);
  if (exchange.isClosed()) return;
  if (fault) {
    const retryAfter = retryAfterHeader(fault, deps.now());
    return refuse(fault.status as number, fault.body ?? s3ErrorForStatus(fault.status as number), retryAfter === undefined ? {} : { 'retry-after': retryAfter });
  }
  const verified = await checkSignedRequest(exchange, deps, refuse);
  if (!verified?.upload) return;
  const { uploadId, partNumber } = verified.upload;
  const session = deps.uploads.session(uploadId);
  if (!session || session.completed || session.bucketKey !== verified.bucketKey || session.objectKey !== verified.objectKey) {
    return refuse(404, noSuchUpload(uploadId));
  }
  const lengthHeader = exchange.req.headers['content-length'];
  if (lengthHeader === undefined) return refuse(411, s3ErrorXml('MissingContentLength', 'You must provide the Content-Length HTTP header.'));
  const declared = Number(lengthHeader);
  if (declared > choices.upload.maxPartBytes) {
    sendXmlError(exchange, 400, s3ErrorXml('EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', { ProposedSize: String(declared), MaxSizeAllowed: String(choices.upload.maxPartBytes) }), { connection: 'close' });
    return;
  }

  const context = { origin: exchange.origin, method: exchange.method, path: exchange.path };
  const bandwidth = deps.faults.take('bandwidth', context);
  const path = deps.uploads.partPath();
  const received = await receiveBody(exchange, path, bandwidth?.bytesPerSecond, exchange.bodyFault);
  if (received.kind !== 'received' || received.size !== declared) {
    // Nothing of a part that did not arrive whole is kept, and it is gone before the client hears of it.
    await rm(path, { force: true });
    if (received.kind === 'cut') cutOrStall(exchange, received.fault);
    return;
  }
  // The session may have expired or been completed while the bytes arrived.
  if (deps.uploads.session(uploadId) !== session || session.completed) {
    await rm(path, { force: true });
    return sendXmlError(exchange, 404, noSuchUpload(uploadId));
  }
  const part = await deps.uploads.keepPart(session, partNumber, path, received.size, received.md5);
  sendBody(exchange, 200, { etag: part.etag, 'x-amz-request-id': 'EMULATOR' }, '');
}
