import type { ExchangeDeps, Exchange } from '../http/exchange';
import { applyRequestFaults, retryAfterHeader, sendBody } from '../http/exchange';
import type { ObjectStore, StoredObject } from './objects';
import { parseRange } from './range';
import { s3ErrorForStatus, s3ErrorXml } from './s3errors';
import { streamBody } from './stream';

export interface ServeDeps extends ExchangeDeps {
  store: ObjectStore;
}

export interface ServeTarget {
  object: StoredObject;
  overrides: Record<string, string>;
  /** Serve only this inclusive range of the object, as a whole (chunk URLs). */
  part?: { start: number; end: number };
}

export function sendXmlError(exchange: Exchange, status: number, xml: string, extraHeaders: Record<string, string> = {}): void {
  sendBody(exchange, status, { 'content-type': 'application/xml', 'x-amz-request-id': 'EMULATOR', ...extraHeaders }, exchange.method === 'HEAD' ? '' : xml);
}

/** Answers a status fault on the storage origin; true when it did. */
export async function storagePreamble(exchange: Exchange, deps: ServeDeps): Promise<boolean> {
  const status = await applyRequestFaults(exchange, deps);
  if (exchange.isClosed()) return true;
  if (!status) return false;
  const headers: Record<string, string> = {};
  const retryAfter = retryAfterHeader(status, deps.now());
  if (retryAfter !== undefined) headers['retry-after'] = retryAfter;
  sendXmlError(exchange, status.status as number, status.body ?? s3ErrorForStatus(status.status as number), headers);
  return true;
}

function etagMatches(header: string, etag: string): boolean {
  return header.split(',').some((candidate) => {
    const value = candidate.trim().replace(/^W\//, '');
    return value === '*' || value === etag || `"${value}"` === etag;
  });
}

/** GET/HEAD of object bytes with S3 semantics: Range, If-Match, If-None-Match, If-Range, ETag. */
export async function serveObject(exchange: Exchange, target: ServeTarget, deps: ServeDeps): Promise<void> {
  const { req } = exchange;
  const { object } = target;
  const context = { origin: exchange.origin, method: exchange.method, path: exchange.path };
  const base = target.part ? target.part.start : 0;
  const size = target.part ? Math.max(0, Math.min(target.part.end, object.size - 1) - target.part.start + 1) : object.size;

  const ifMatch = req.headers['if-match'];
  if (typeof ifMatch === 'string' && !etagMatches(ifMatch, object.etag)) {
    sendXmlError(exchange, 412, s3ErrorXml('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', { Condition: 'If-Match' }));
    return;
  }
  const ifNoneMatch = req.headers['if-none-match'];
  if (typeof ifNoneMatch === 'string' && etagMatches(ifNoneMatch, object.etag)) {
    exchange.res.writeHead(304, { etag: object.etag });
    exchange.res.end();
    return;
  }

  let rangeHeader = typeof req.headers.range === 'string' ? req.headers.range : undefined;
  const ifRange = req.headers['if-range'];
  if (rangeHeader && typeof ifRange === 'string' && ifRange.trim() !== object.etag) rangeHeader = undefined;
  if (rangeHeader && deps.faults.take('ignoreRange', context)) rangeHeader = undefined;
  const range = parseRange(rangeHeader, size);
  if (range.kind === 'unsatisfiable') {
    sendXmlError(
      exchange,
      416,
      s3ErrorXml('InvalidRange', 'The requested range is not satisfiable', { RangeRequested: rangeHeader as string, ActualObjectSize: String(size) }),
      { 'content-range': `bytes */${size}` },
    );
    return;
  }

  let start = range.kind === 'range' ? range.start : 0;
  let end = range.kind === 'range' ? range.end : size - 1;
  const headers: Record<string, string | number> = {
    'content-type': target.overrides['response-content-type'] ?? object.contentType,
    'content-disposition': target.overrides['response-content-disposition'] ?? `attachment; filename="${object.objectKey}"`,
    'accept-ranges': 'bytes',
    etag: object.etag,
    'last-modified': new Date(object.lastModified).toUTCString(),
    'x-amz-request-id': 'EMULATOR',
  };
  if (target.overrides['response-cache-control']) headers['cache-control'] = target.overrides['response-cache-control'];
  let status = 200;
  if (range.kind === 'range') {
    status = 206;
    const wrong = deps.faults.take('wrongContentRange', context);
    if (wrong) {
      const length = end - start + 1;
      start = Math.min(Math.max(0, start + (wrong.shiftBytes ?? 1)), Math.max(0, size - 1));
      end = Math.min(start + length - 1, size - 1);
    }
    headers['content-range'] = `bytes ${start}-${end}/${size}`;
  }
  const length = Math.max(0, end - start + 1);
  headers['content-length'] = length;

  const bandwidth = deps.faults.take('bandwidth', context);
  const replace = deps.faults.take('replaceObject', context);
  const truncate = deps.faults.take('truncate', context);
  const cutFault = replace ?? exchange.bodyFault ?? truncate;

  exchange.res.writeHead(status, headers);
  if (exchange.method === 'HEAD' || length === 0) {
    if (exchange.method === 'HEAD' || !cutFault) {
      exchange.res.end();
      return;
    }
  }
  const offset = base + start;
  await streamBody(exchange, {
    length,
    bytes: (from, to, into) => deps.store.read(object, offset + from, offset + to, into),
    bytesPerSecond: bandwidth?.bytesPerSecond,
    ...(cutFault
      ? {
          cut: cutFault.kind === 'replaceObject' ? 'replace' : (cutFault.kind as 'reset' | 'truncate' | 'stall'),
          cutAfter: cutFault.afterBytes ?? (cutFault.kind === 'truncate' ? Math.floor(length / 2) : 0),
          onReplace: () => deps.store.replace(object.bucketKey, object.objectKey, cutFault.newSize !== undefined ? { size: cutFault.newSize } : {}),
        }
      : {}),
  });
}
