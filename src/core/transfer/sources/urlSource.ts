import type { Dispatcher } from 'undici';
import { raceAbort } from '../../http/delay';
import { TransferError } from '../errors';
import { discardBody, headerValue, readBoundedText, storageErrorDetail } from '../storageResponse';
import type { ObjectSource, ResolvedObject } from '../types';
import { fileNameFromContentDisposition, fileNameFromUrl } from './contentDisposition';
import type { ProbeAnswer } from './earlyProbe';
import { urlIdentity } from './identity';

export interface UrlSourceOptions {
  /** The engine's storage dispatcher, so the probe shares its sockets (default: undici's global one). */
  readonly dispatcher?: Dispatcher;
  /** Expected sha1 (hex), when known from elsewhere. */
  readonly sha1?: string;
  /**
   * The answer to this same probe, already on its way (the CLI sends it before it loads the engine).
   * Used for the first resolve only, and only if it tells the size; otherwise the probe is asked again.
   */
  readonly earlyProbe?: Promise<ProbeAnswer | undefined>;
}

/**
 * A plain http(s) URL (no credentials are ever sent). A one-byte ranged GET tells size and ETag: unlike
 * HEAD it works on presigned GET-only links, and its connection stays open for the download (undici
 * closes every connection after a HEAD). HEAD is asked only when that GET does not tell the size.
 * Resolving again yields the same URL, so an expired plain link fails rather than loops.
 */
export function urlSource(url: string, options: UrlSourceOptions = {}): ObjectSource {
  const parsed = new URL(url);
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new TransferError('bad-source', `Only http(s) URLs can be downloaded, not ${parsed.protocol}`);
  }
  let early = options.earlyProbe;
  /** What the early answer tells, the first time only. */
  const earlyProbe = async (signal: AbortSignal): Promise<Probe | undefined> => {
    const pending = early;
    early = undefined;
    const answer = pending && (await raceAbort(pending, signal));
    const size = answer && sizeTold(answer.statusCode, answer.headers);
    return answer && size !== undefined ? describe(parsed, size, answer.headers) : undefined;
  };
  const probe = async (signal: AbortSignal): Promise<Probe | undefined> => {
    // undici's index only when needed: a process that only downloads (the CLI) never loads it.
    const dispatcher = options.dispatcher ?? (await import('undici')).getGlobalDispatcher();
    return (await probeRangedGet(dispatcher, parsed, signal)) ?? (await probeHead(dispatcher, parsed, signal));
  };
  return {
    identity: urlIdentity(url),
    resolve: async (signal) => {
      const told = (await earlyProbe(signal)) ?? (await probe(signal));
      if (!told) throw new TransferError('bad-source', 'The server did not say how big the file is.');
      return { url, ...told, ...(options.sha1 ? { sha1: options.sha1.toLowerCase() } : {}) };
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
  return describe(url, Number(length), response.headers);
}

/** undefined when the answer does not tell the size. */
async function probeRangedGet(dispatcher: Dispatcher, url: URL, signal: AbortSignal): Promise<Probe | undefined> {
  const response = await dispatcher.request({
    origin: url.origin,
    path: url.pathname + url.search,
    method: 'GET',
    headers: { 'accept-encoding': 'identity', range: 'bytes=0-0' },
    signal,
  });
  const { statusCode, headers, body } = response;
  try {
    if (statusCode === 206 || statusCode === 416 || statusCode === 200) {
      // Read to the end (one byte, or a short error text), so the connection serves the download;
      // the headers said all this needs, so a body cut short only costs the connection. A 200 brings
      // the whole object: it is discarded below.
      if (statusCode !== 200) await body.dump().catch(() => undefined);
      const size = sizeTold(statusCode, headers);
      return size === undefined ? undefined : describe(url, size, headers);
    }
    const detail = storageErrorDetail(statusCode, await readBoundedText(body));
    if (statusCode === 404 || statusCode === 410) throw new TransferError('not-found', `Nothing to download there (${detail}).`);
    if (statusCode === 403) {
      throw new TransferError(/expired/i.test(detail) ? 'url-expired' : 'access-denied', `The server refused the download (${detail}).`);
    }
    throw new TransferError('http', `The server answered ${detail}.`);
  } finally {
    discardBody(body);
  }
}

function describe(url: URL, size: number, headers: Headers): Probe {
  const etag = headerValue(headers, 'etag');
  const suggestedName = fileNameFromContentDisposition(headerValue(headers, 'content-disposition')) ?? fileNameFromUrl(url.href);
  return { size, ...(etag ? { etag } : {}), ...(suggestedName ? { suggestedName } : {}) };
}
