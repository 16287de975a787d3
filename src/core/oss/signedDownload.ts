// OSS signeds3download (aps-api.md §4.1) and its batch form.
import { ApsError } from '../http/apsError';
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

  /** Signs several objects of one bucket at once (a side-effect-free POST, so it may be retried). */
  async batchSignedDownload(bucketKey: string, entries: readonly BatchEntry[], options: Omit<SignedDownloadOptions, 'responseContentType' | 'responseContentDisposition' | 'useCdn'> = {}): Promise<BatchResult[]> {
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

  // Docs buckets (wip.dm.*) are located by their key; the region header is for the app's own buckets.
  private regionHeader(bucketKey: string): Record<string, string> {
    if (!this.region || this.region === 'US' || bucketKey.startsWith('wip.dm.')) return {};
    return { 'x-ads-region': this.region };
  }
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
