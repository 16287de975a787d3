// OSS signeds3download (aps-api.md §4.1) and its batch form.
import { isApsRegion, type ApsRegion } from '../auth/endpoints';
import { ApsError, isApsError } from '../http/apsError';
import { expectJson, type HttpClient } from '../http/httpClient';
import type { StorageLocation } from '../dm/ids';

export type SignedDownloadStatus = 'complete' | 'chunked' | 'fallback';

export interface SignedDownload {
  status: SignedDownloadStatus;
  /** For complete and fallback. */
  url?: string;
  /** For chunked: inclusive byte range ("0-10747471") → URL, sorted by start. */
  chunks?: Array<{ start: number; end: number; url: string }>;
  size: number;
  sha1?: string;
  params: Record<string, string>;
  /** Epoch ms after which the URL must not be started (from minutesExpiration, measured from the request). */
  expiresAt: number;
}

export interface SignedDownloadOptions {
  /** 1–60, APS default 2. */
  minutesExpiration?: number;
  useCdn?: boolean;
  publicResourceFallback?: boolean;
  responseContentType?: string;
  responseContentDisposition?: string;
  signal?: AbortSignal;
}

export type BatchOptions = Omit<SignedDownloadOptions, 'responseContentType' | 'responseContentDisposition' | 'useCdn'>;

export interface BatchEntry {
  objectKey: string;
  responseContentType?: string;
  responseContentDisposition?: string;
}

export interface BatchResult {
  objectKey: string;
  download?: SignedDownload;
  /** Set when OSS could not sign this object. */
  error?: string;
}

interface RawSignedDownload {
  status?: unknown;
  url?: unknown;
  urls?: unknown;
  size?: unknown;
  sha1?: unknown;
  params?: unknown;
  reason?: unknown;
  error?: unknown;
}

const OSS = '/oss/v2/buckets';
/** Objects signed at once when a batch is not possible. */
const SIGNED_AT_ONCE = 4;

/** Docs (Data Management) storage: `wip.dm.prod` in the US, `wip.dm.<region>[.<n>]` elsewhere (e.g. wip.dm.emea.2). */
const DOCS_BUCKET = /^wip\.dm\.([a-z]+)(?:\.\d+)?$/;

/** A Docs (Data Management) bucket: it belongs to Autodesk's Docs service, never to the calling app. */
export function isDocsBucket(bucketKey: string): boolean {
  return DOCS_BUCKET.test(bucketKey);
}

/**
 * The region an object's bucket lives in, when its key says so: Docs buckets carry it (`wip.dm.emea.2` is
 * EMEA, `wip.dm.prod` the US). Undefined for an app's own buckets, whose region only the app knows.
 */
export function regionOfBucket(bucketKey: string): ApsRegion | undefined {
  const tag = DOCS_BUCKET.exec(bucketKey)?.[1];
  if (tag === undefined) return undefined;
  if (tag === 'prod') return 'US';
  const region = tag.toUpperCase();
  return isApsRegion(region) ? region : undefined;
}

export class OssClient {
  constructor(private readonly http: HttpClient, private readonly region?: string) {}

  async signedDownload(location: StorageLocation, options: SignedDownloadOptions = {}): Promise<SignedDownload> {
    const requestedAt = Date.now();
    const response = await this.http.request({
      method: 'GET',
      url: `${OSS}/${encodeURIComponent(location.bucketKey)}/objects/${encodeURIComponent(location.objectKey)}/signeds3download`,
      query: {
        minutesExpiration: options.minutesExpiration,
        useCdn: options.useCdn,
        'public-resource-fallback': options.publicResourceFallback,
        'response-content-type': options.responseContentType,
        'response-content-disposition': options.responseContentDisposition,
      },
      headers: this.regionHeader(location.bucketKey),
      signal: options.signal,
    });
    return toSignedDownload(expectJson<RawSignedDownload>(response), requestedAt, options.minutesExpiration, `${location.bucketKey}/${location.objectKey}`);
  }

  /**
   * Signs several objects of one bucket: in one batch where the app owns the bucket, one by one elsewhere.
   * OSS signs batches only for the bucket's owner (403 for anyone else), and Docs buckets (wip.dm.*) belong
   * to Autodesk's Docs service, so those are never batched.
   */
  async batchSignedDownload(bucketKey: string, entries: readonly BatchEntry[], options: BatchOptions = {}): Promise<BatchResult[]> {
    if (isDocsBucket(bucketKey)) return this.signOneByOne(bucketKey, entries, options);
    try {
      return await this.signBatch(bucketKey, entries, options);
    } catch (error) {
      if (!(isApsError(error) && error.status === 403)) throw error;
      return this.signOneByOne(bucketKey, entries, options);
    }
  }

  private async signOneByOne(bucketKey: string, entries: readonly BatchEntry[], options: BatchOptions): Promise<BatchResult[]> {
    const results: BatchResult[] = new Array(entries.length);
    let next = 0;
    const worker = async () => {
      while (next < entries.length) {
        const index = next++;
        const entry = entries[index];
        try {
          const download = await this.signedDownload(
            { bucketKey, objectKey: entry.objectKey },
            { ...options, responseContentType: entry.responseContentType, responseContentDisposition: entry.responseContentDisposition },
          );
          results[index] = { objectKey: entry.objectKey, download };
        } catch (error) {
          if (!isApsError(error) || error.status === undefined || error.status === 401 || error.status === 429 || error.status >= 500) throw error;
          results[index] = { objectKey: entry.objectKey, error: error.detail ?? error.userMessage };
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(SIGNED_AT_ONCE, entries.length) }, worker));
    return results;
  }

  /**
   * One POST batchsigneds3download (side-effect free, so it may be retried). OSS answers 403 (an ApsError)
   * where the app does not own the bucket; objects it could not sign come back with `error`.
   */
  async signBatch(bucketKey: string, entries: readonly BatchEntry[], options: BatchOptions): Promise<BatchResult[]> {
    const requestedAt = Date.now();
    const response = await this.http.request({
      method: 'POST',
      url: `${OSS}/${encodeURIComponent(bucketKey)}/objects/batchsigneds3download`,
      query: { minutesExpiration: options.minutesExpiration, 'public-resource-fallback': options.publicResourceFallback },
      headers: this.regionHeader(bucketKey),
      json: {
        requests: entries.map((entry) => ({
          objectKey: entry.objectKey,
          ...(entry.responseContentType ? { 'response-content-type': entry.responseContentType } : {}),
          ...(entry.responseContentDisposition ? { 'response-content-disposition': entry.responseContentDisposition } : {}),
        })),
      },
      idempotent: true,
      signal: options.signal,
    });
    const body = expectJson<{ results?: Record<string, RawSignedDownload> }>(response);
    const results = body.results ?? {};
    return entries.map((entry) => {
      const raw = results[entry.objectKey] ?? results[encodeURIComponent(entry.objectKey)];
      if (!raw) return { objectKey: entry.objectKey, error: 'missing from the batch answer' };
      if (raw.status === 'error' || (raw.url === undefined && raw.urls === undefined)) {
        return { objectKey: entry.objectKey, error: describeBatchError(raw) };
      }
      return { objectKey: entry.objectKey, download: toSignedDownload(raw, requestedAt, options.minutesExpiration, `${bucketKey}/${entry.objectKey}`) };
    });
  }

  private regionHeader(bucketKey: string): Record<string, string> {
    return regionHeaderFor(bucketKey, this.region);
  }
}

/**
 * Objects outside the US are found only where the request names their region: a Docs bucket's key says
 * which; for the app's own buckets it is the configured region.
 */
export function regionHeaderFor(bucketKey: string, configuredRegion: string | undefined): Record<string, string> {
  const region = isDocsBucket(bucketKey) ? regionOfBucket(bucketKey) : configuredRegion;
  if (!region || region === 'US') return {};
  return { 'x-ads-region': region };
}

function describeBatchError(raw: RawSignedDownload): string {
  if (typeof raw.reason === 'string') return raw.reason;
  if (typeof raw.error === 'string') return raw.error;
  if (raw.error && typeof raw.error === 'object') return JSON.stringify(raw.error);
  return `status ${String(raw.status)}`;
}

function toSignedDownload(raw: RawSignedDownload, requestedAt: number, minutes: number | undefined, what: string): SignedDownload {
  const status = raw.status;
  if (status !== 'complete' && status !== 'chunked' && status !== 'fallback') {
    throw new ApsError({ kind: 'protocol', message: `signeds3download for ${what} answered status ${String(status)}`, userMessage: 'Autodesk returned an unexpected download answer.' });
  }
  const size = typeof raw.size === 'number' ? raw.size : Number(raw.size);
  const params: Record<string, string> = {};
  if (raw.params && typeof raw.params === 'object') {
    for (const [name, value] of Object.entries(raw.params as Record<string, unknown>)) if (typeof value === 'string') params[name] = value;
  }
  const chunks =
    status === 'chunked' && raw.urls && typeof raw.urls === 'object'
      ? Object.entries(raw.urls as Record<string, unknown>)
          .map(([range, url]) => {
            const [start, end] = range.split('-').map(Number);
            return { start, end, url: String(url) };
          })
          .filter((chunk) => Number.isFinite(chunk.start) && Number.isFinite(chunk.end))
          .sort((a, b) => a.start - b.start)
      : undefined;
  return {
    status,
    ...(typeof raw.url === 'string' ? { url: raw.url } : {}),
    ...(chunks ? { chunks } : {}),
    size: Number.isFinite(size) ? size : 0,
    ...(typeof raw.sha1 === 'string' ? { sha1: raw.sha1 } : {}),
    params,
    expiresAt: requestedAt + (minutes ?? 2) * 60_000,
  };
}
