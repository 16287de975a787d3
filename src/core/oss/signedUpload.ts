// OSS upload to S3 (aps-api.md §4.4; OpenAPI oss.yaml): signed part URLs (GET signeds3upload, at most 25 per
// call), completion (POST signeds3upload, needed even for one part) and the object's details afterwards.
// The part PUTs themselves go straight to the signed URLs, without an Authorization header.
import { ApsError } from '../http/apsError';
import { expectJson, type HttpClient } from '../http/httpClient';
import type { StorageLocation } from '../dm/ids';
import { explainUploadError } from '../dm/uploadRefusals';
import { regionHeaderFor } from './signedDownload';

/** S3 multipart rules: every part but the last at least 5 MiB, at most 10,000 parts of at most 5 GiB. */
export const MIN_PART_BYTES = 5 * 1024 * 1024;
export const MAX_PART_BYTES = 5 * 1024 * 1024 * 1024;
export const MAX_PARTS = 10_000;
/** OSS hands out at most this many part URLs per GET signeds3upload. */
export const MAX_URLS_PER_CALL = 25;

export interface PartPlan {
  partSize: number;
  /** At least 1 (an empty file is one empty part). */
  count: number;
}

/**
 * How to cut `size` bytes into parts of `wanted` bytes: raised to 5 MiB at least, and grown (in whole MiB)
 * until 10,000 parts hold the file.
 */
export function planParts(size: number, wanted: number = MIN_PART_BYTES): PartPlan {
  if (!(Number.isSafeInteger(size) && size >= 0)) throw new RangeError(`size must be a non-negative integer, not ${size}`);
  const MiB = 1024 * 1024;
  let partSize = Math.max(MIN_PART_BYTES, Math.floor(wanted));
  const needed = Math.ceil(size / MAX_PARTS);
  if (partSize < needed) partSize = Math.ceil(needed / MiB) * MiB;
  if (partSize > MAX_PART_BYTES) throw new RangeError(`${size} bytes do not fit in ${MAX_PARTS} parts of at most 5 GiB`);
  return { partSize, count: Math.max(1, Math.ceil(size / partSize)) };
}

export interface PartUrl {
  partNumber: number;
  url: string;
}

export interface UploadUrls {
  uploadKey: string;
  /** In part order, one per part asked for. */
  parts: PartUrl[];
  /** Epoch ms after which the URLs must not be started (from the answer, else from minutesExpiration). */
  urlsExpireAt: number;
  /** Epoch ms by which the upload must be completed, when OSS says. */
  uploadExpiresAt?: number;
}

export interface UploadUrlsRequest {
  /** First part number (1-based; default 1). */
  firstPart?: number;
  /** How many parts (default 1); asked for in calls of at most 25. */
  count?: number;
  /** Continue this upload (re-sign parts, or sign the next ones); without it the first call opens a new upload. */
  uploadKey?: string;
  /** 1–60 (OSS default 2). */
  minutesExpiration?: number;
  useAcceleration?: boolean;
}

export interface CompleteRequest {
  uploadKey: string;
  /** OSS checks the assembled size against it. */
  size?: number;
  /** The ETags the part PUTs answered, in part order; OSS checks them. */
  eTags?: string[];
  /** Recorded as the object's Content-Type (x-ads-meta-Content-Type). */
  contentType?: string;
}

export interface ObjectDetails extends StorageLocation {
  objectId?: string;
  size: number;
  /** Hex sha1 of the object, when OSS reports it (GET …/details does). */
  sha1?: string;
  contentType?: string;
  location?: string;
}

export interface UploadCallOptions {
  signal?: AbortSignal;
  /** The file name, for error sentences (default the object key). */
  name?: string;
}

interface RawUploadUrls {
  uploadKey?: unknown;
  urls?: unknown;
  urlExpiration?: unknown;
  uploadExpiration?: unknown;
}

const OSS = '/oss/v2/buckets';

function objectPath(location: StorageLocation): string {
  return `${OSS}/${encodeURIComponent(location.bucketKey)}/objects/${encodeURIComponent(location.objectKey)}`;
}

function epoch(value: unknown): number | undefined {
  const time = typeof value === 'string' ? Date.parse(value) : NaN;
  return Number.isNaN(time) ? undefined : time;
}

export class SignedUpload {
  constructor(private readonly http: HttpClient, private readonly region?: string) {}

  /**
   * Signed URLs for parts firstPart … firstPart+count-1 of one upload, fetched 25 at a time: the first call opens
   * the upload unless `uploadKey` continues one, and every later call names its key.
   */
  async uploadUrls(location: StorageLocation, request: UploadUrlsRequest = {}, options: UploadCallOptions = {}): Promise<UploadUrls> {
    const firstPart = request.firstPart ?? 1;
    const count = request.count ?? 1;
    if (!(Number.isInteger(firstPart) && firstPart >= 1 && Number.isInteger(count) && count >= 1 && firstPart + count - 1 <= MAX_PARTS)) {
      throw new RangeError(`parts ${firstPart}…${firstPart + count - 1} are outside 1…${MAX_PARTS}`);
    }
    let uploadKey = request.uploadKey;
    const parts: PartUrl[] = [];
    let urlsExpireAt = Infinity;
    let uploadExpiresAt: number | undefined;
    for (let next = firstPart; next < firstPart + count; ) {
      const batch = Math.min(MAX_URLS_PER_CALL, firstPart + count - next);
      const requestedAt = Date.now();
      const raw = await this.call(location, options, () =>
        this.http.request({
          method: 'GET',
          url: `${objectPath(location)}/signeds3upload`,
          query: { parts: batch, firstPart: next, uploadKey, minutesExpiration: request.minutesExpiration, useAcceleration: request.useAcceleration },
          headers: regionHeaderFor(location.bucketKey, this.region),
          signal: options.signal,
        }),
      );
      const answer = raw as RawUploadUrls;
      const urls = Array.isArray(answer.urls) ? answer.urls.filter((url): url is string => typeof url === 'string') : [];
      if (typeof answer.uploadKey !== 'string' || urls.length !== batch) {
        throw new ApsError({ kind: 'protocol', message: `signeds3upload answered ${urls.length} URLs for ${batch} parts`, userMessage: 'Autodesk returned an unexpected answer when asked where to upload.' });
      }
      uploadKey = answer.uploadKey;
      urls.forEach((url, index) => parts.push({ partNumber: next + index, url }));
      urlsExpireAt = Math.min(urlsExpireAt, epoch(answer.urlExpiration) ?? requestedAt + (request.minutesExpiration ?? 2) * 60_000);
      uploadExpiresAt = epoch(answer.uploadExpiration) ?? uploadExpiresAt;
      next += batch;
    }
    return { uploadKey: uploadKey as string, parts, urlsExpireAt, ...(uploadExpiresAt !== undefined ? { uploadExpiresAt } : {}) };
  }

  /**
   * POST signeds3upload: OSS assembles the parts into the object. Not repeated by the HTTP layer: after a lost
   * answer, ask `objectDetails` whether the object is there with the expected size before completing again.
   */
  async complete(location: StorageLocation, request: CompleteRequest, options: UploadCallOptions = {}): Promise<ObjectDetails> {
    const raw = await this.call(location, options, () =>
      this.http.request({
        method: 'POST',
        url: `${objectPath(location)}/signeds3upload`,
        json: { uploadKey: request.uploadKey, ...(request.size !== undefined ? { size: request.size } : {}), ...(request.eTags ? { eTags: request.eTags } : {}) },
        headers: { ...regionHeaderFor(location.bucketKey, this.region), ...(request.contentType ? { 'x-ads-meta-content-type': request.contentType } : {}) },
        signal: options.signal,
      }),
    );
    return toDetails(raw, location);
  }

  /** GET …/details: size and sha1 as OSS holds them. */
  async objectDetails(location: StorageLocation, options: UploadCallOptions = {}): Promise<ObjectDetails> {
    const raw = await this.call(location, options, () =>
      this.http.request({ method: 'GET', url: `${objectPath(location)}/details`, headers: regionHeaderFor(location.bucketKey, this.region), signal: options.signal }),
    );
    return toDetails(raw, location);
  }

  private async call(location: StorageLocation, options: UploadCallOptions, send: () => ReturnType<HttpClient['request']>): Promise<Record<string, unknown>> {
    try {
      return expectJson<Record<string, unknown>>(await send());
    } catch (error) {
      throw explainUploadError(error, { what: 'upload', name: options.name ?? location.objectKey });
    }
  }
}

function toDetails(raw: Record<string, unknown>, location: StorageLocation): ObjectDetails {
  const size = typeof raw.size === 'number' ? raw.size : Number(raw.size);
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  return {
    bucketKey: text(raw.bucketKey) ?? location.bucketKey,
    objectKey: text(raw.objectKey) ?? location.objectKey,
    ...(text(raw.objectId) ? { objectId: text(raw.objectId) } : {}),
    size: Number.isFinite(size) ? size : 0,
    ...(text(raw.sha1) ? { sha1: text(raw.sha1) } : {}),
    ...(text(raw.contentType) ? { contentType: text(raw.contentType) } : {}),
    ...(text(raw.location) ? { location: text(raw.location) } : {}),
  };
}
