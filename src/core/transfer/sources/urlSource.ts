import type { Dispatcher } from 'undici';
import { TransferError } from '../errors';
import { StorageExchange } from '../http/storageExchange';
import { headerValue, storageErrorDetail } from '../http/storageResponse';
import type { ObjectSource, ResolvedObject } from '../types';

/**
 * A plain http(s) URL (no credentials are ever sent). A one-byte ranged GET tells size and ETag: unlike
 * HEAD it works on presigned GET-only links, and its connection stays open for the download (undici
 * closes every connection after a HEAD). HEAD is asked only when that GET does not tell the size.
 * Resolving again yields the same URL, so an expired plain link fails rather than loops. `dispatcher`:
 * the engine's, so the probe's connection serves the download; `sha1`: the expected hash, when known.
 */
export function urlSource(url: string, dispatcher: Dispatcher, sha1?: string): ObjectSource {
  const parsed = new URL(url);
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new TransferError('bad-source', `Only http(s) URLs can be downloaded, not ${parsed.protocol}`);
  }
  return {
    identity: urlIdentity(url),
    resolve: async (signal) => {
      const told = (await probeRangedGet(dispatcher, parsed, signal)) ?? (await probeHead(dispatcher, parsed, signal));
      if (!told) throw new TransferError('bad-source', 'The server did not say how big the file is.');
      return { url, ...told, ...(sha1 ? { sha1: sha1.toLowerCase() } : {}) };
    },
  };
}

type Headers = Dispatcher.ResponseData['headers'];

/** The object's size, if this answer to a one-byte ranged GET is a success that tells it. */
function sizeTold(statusCode: number, headers: Headers): number | undefined {
  if (statusCode === 206 || statusCode === 416) {
    const total = /\/(\d+)\s*$/.exec(headerValue(headers, 'content-range') ?? '')?.[1];
    return total === undefined ? undefined : Number(total);
  }
  if (statusCode === 200) {
    // Range ignored: the whole object is coming; its length tells the size.
    const length = headerValue(headers, 'content-length');
    return length !== undefined && /^\d+$/.test(length) ? Number(length) : undefined;
  }
  return undefined;
}

type Probe = Omit<ResolvedObject, 'url'>;

/** undefined when HEAD is refused or does not tell the size either. */
async function probeHead(dispatcher: Dispatcher, url: URL, signal: AbortSignal): Promise<Probe | undefined> {
  const response = await dispatcher.request({
    origin: url.origin,
    path: url.pathname + url.search,
    method: 'HEAD',
    headers: { 'accept-encoding': 'identity' },
    signal,
  });
  await response.body.dump();
  const length = headerValue(response.headers, 'content-length');
  if (response.statusCode !== 200 || length === undefined || !/^\d+$/.test(length)) return undefined;
  return describe(Number(length), response.headers);
}

/** undefined when the answer does not tell the size. */
async function probeRangedGet(dispatcher: Dispatcher, url: URL, signal: AbortSignal): Promise<Probe | undefined> {
  const request: Dispatcher.DispatchOptions = { origin: url.origin, path: url.pathname + url.search, method: 'GET', headers: { 'accept-encoding': 'identity', range: 'bytes=0-0' } };
  const exchange = new StorageExchange(dispatcher, request, signal);
  try {
    const { statusCode, headers } = await exchange.head;
    if (statusCode === 206 || statusCode === 416 || statusCode === 200) {
      // Read to the end (one byte, or a short error text), so the connection serves the download;
      // the headers said all this needs, so a body cut short only costs the connection. A 200 brings
      // the whole object: it is discarded below.
      if (statusCode !== 200) await exchange.readText();
      const size = sizeTold(statusCode, headers);
      return size === undefined ? undefined : describe(size, headers);
    }
    const detail = storageErrorDetail(statusCode, await exchange.readText());
    if (statusCode === 404 || statusCode === 410) throw new TransferError('not-found', `Nothing to download there (${detail}).`);
    if (statusCode === 403) {
      throw new TransferError(/expired/i.test(detail) ? 'url-expired' : 'access-denied', `The server refused the download (${detail}).`);
    }
    throw new TransferError('http', `The server answered ${detail}.`);
  } finally {
    exchange.discard();
  }
}

function describe(size: number, headers: Headers): Probe {
  const etag = headerValue(headers, 'etag');
  return { size, ...(etag ? { etag } : {}) };
}

/** Last path segment of a URL, decoded; undefined when there is none. */
export function fileNameFromUrl(url: string): string | undefined {
  const segment = new URL(url).pathname.split('/').filter(Boolean).pop();
  if (!segment) return undefined;
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

// Query parameters that change with every signing (S3 presign, CloudFront, emulator parts excluded).
const VOLATILE_PARAMS = /^(x-amz-(algorithm|credential|date|expires|signedheaders|signature|security-token)|expires|signature|key-pair-id|policy)$/i;

/** A stable identity for a URL: without the parameters that change each time the link is re-signed. */
export function urlIdentity(url: string): string {
  const parsed = new URL(url);
  const kept = [...parsed.searchParams.entries()].filter(([key]) => !VOLATILE_PARAMS.test(key)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const query = new URLSearchParams(kept).toString();
  return `${parsed.origin}${parsed.pathname}${query ? `?${query}` : ''}`;
}
