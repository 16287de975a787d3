import { TransferError } from '../errors';
import { SIGNED_URL_MINUTES } from '../settings';
import type { ObjectSource, ResolvedObject, StorageSegment } from '../types';
import { fileNameFromContentDisposition } from './contentDisposition';

/**
 * A signeds3download answer, in either the raw OSS JSON form (`urls` keyed "start-end") or the core
 * client's parsed form (`chunks`, `expiresAt`).
 */
export interface SignedDownloadLink {
  readonly status?: string;
  readonly url?: string;
  readonly urls?: Readonly<Record<string, string>>;
  readonly chunks?: readonly { readonly start: number; readonly end: number; readonly url: string }[];
  readonly size: number;
  readonly sha1?: string;
  readonly params?: Readonly<Record<string, string>>;
  readonly expiresAt?: number;
}

/** Calls signeds3download for the object with this minutesExpiration. */
export type FetchSignedDownload = (minutesExpiration: number, signal: AbortSignal) => Promise<SignedDownloadLink>;

export interface OssSourceOptions {
  /** signeds3download minutesExpiration (default 15). */
  readonly minutesExpiration?: number;
}

/** An OSS object (bucketKey/objectKey): every resolve asks signeds3download for a fresh link. */
export function ossObjectSource(bucketKey: string, objectKey: string, fetchSigned: FetchSignedDownload, options: OssSourceOptions = {}): ObjectSource {
  const minutes = options.minutesExpiration ?? SIGNED_URL_MINUTES;
  return {
    identity: `oss:${bucketKey}/${objectKey}`,
    resolve: async (signal) => {
      const requestedAt = Date.now();
      const link = await fetchSigned(minutes, signal);
      return toResolvedObject(link, requestedAt + minutes * 60_000, objectKey);
    },
  };
}

export function toResolvedObject(link: SignedDownloadLink, defaultExpiresAt: number, fallbackName?: string): ResolvedObject {
  if (link.status !== undefined && !['complete', 'chunked', 'fallback'].includes(link.status)) {
    throw new TransferError('bad-source', `The object is not downloadable yet (status ${link.status}).`);
  }
  const segments = segmentsFrom(link);
  const url = link.url ?? segments?.[0]?.url;
  if (url === undefined && link.size > 0) throw new TransferError('bad-source', 'signeds3download returned no URL.');
  const suggestedName = fileNameFromContentDisposition(link.params?.['content-disposition']) ?? fallbackName;
  return {
    url: url ?? '',
    size: link.size,
    expiresAt: link.expiresAt ?? defaultExpiresAt,
    ...(link.sha1 ? { sha1: link.sha1.toLowerCase() } : {}),
    ...(segments && !link.url ? { segments } : {}),
    ...(suggestedName ? { suggestedName } : {}),
  };
}

function segmentsFrom(link: SignedDownloadLink): StorageSegment[] | undefined {
  if (link.chunks && link.chunks.length > 0) return [...link.chunks].sort((a, b) => a.start - b.start);
  if (!link.urls) return undefined;
  const segments = Object.entries(link.urls).map(([range, url]) => {
    const match = /^(\d+)-(\d+)$/.exec(range.trim());
    if (!match) throw new TransferError('bad-source', `signeds3download returned a part with an unreadable range "${range}".`);
    return { start: Number(match[1]), end: Number(match[2]), url };
  });
  return segments.sort((a, b) => a.start - b.start);
}
