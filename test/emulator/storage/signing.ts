/**
 * Signed storage URLs. Two shapes, like APS: direct S3 (X-Amz-* query) and CloudFront CDN
 * (Expires/Signature/Key-Pair-Id). Both carry their expiry and an HMAC over path and query,
 * checked by the storage origin when a request starts.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export interface SignRequest {
  bucketKey: string;
  objectKey: string;
  expiresInSeconds: number;
  useCdn: boolean;
  /** Header overrides (response-content-type, response-content-disposition, response-cache-control). */
  overrides?: Record<string, string>;
  /** Serve only this inclusive byte range of the object, as if it were the whole object (chunked uploads). */
  part?: { start: number; end: number };
  /** A URL to PUT one part of an upload to (S3's uploadId and partNumber); such a URL serves no GET. */
  upload?: UploadPartTarget;
}

export interface UploadPartTarget {
  uploadId: string;
  partNumber: number;
}

export interface VerifiedUrl {
  bucketKey: string;
  objectKey: string;
  overrides: Record<string, string>;
  part?: { start: number; end: number };
  upload?: UploadPartTarget;
  expired: boolean;
}

const S3_PREFIX = '/com.autodesk.oss-persistent/';
const CDN_PREFIX = '/cdn/';
const SIGNATURE_KEYS = ['X-Amz-Signature', 'Signature'];
const OVERRIDE_KEYS = ['response-content-type', 'response-content-disposition', 'response-cache-control'];

function amzDate(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}
function parseAmzDate(value: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  return m ? Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) : NaN;
}

export class UrlSigner {
  private readonly secret = randomBytes(32);

  constructor(private readonly origin: () => string, private readonly now: () => number) {}

  sign(request: SignRequest): string {
    const prefix = request.useCdn ? CDN_PREFIX : S3_PREFIX;
    const path = `${prefix}${encodeURIComponent(request.bucketKey)}/${encodeURIComponent(request.objectKey)}`;
    const query = new URLSearchParams();
    for (const key of OVERRIDE_KEYS) {
      const value = request.overrides?.[key];
      if (value !== undefined) query.set(key, value);
    }
    if (request.part) query.set('x-emu-part', `${request.part.start}-${request.part.end}`);
    if (request.upload) {
      query.set('uploadId', request.upload.uploadId);
      query.set('partNumber', String(request.upload.partNumber));
    }
    const now = this.now();
    if (request.useCdn) {
      query.set('Expires', String(Math.floor(now / 1000) + request.expiresInSeconds));
      query.set('Key-Pair-Id', 'K1EMULATOR0001');
      query.set('Signature', this.mac(path, query).toString('base64url'));
    } else {
      query.set('X-Amz-Algorithm', 'AWS4-HMAC-SHA256');
      query.set('X-Amz-Credential', `EMULATOR/${amzDate(now).slice(0, 8)}/us-east-1/s3/aws4_request`);
      query.set('X-Amz-Date', amzDate(now));
      query.set('X-Amz-Expires', String(request.expiresInSeconds));
      query.set('X-Amz-SignedHeaders', 'host');
      query.set('X-Amz-Signature', this.mac(path, query).toString('hex'));
    }
    return `${this.origin()}${path}?${query.toString()}`;
  }

  /** undefined when the URL was not signed by this emulator (tampered, or not a storage URL). */
  verify(path: string, query: URLSearchParams): VerifiedUrl | undefined {
    const cdn = path.startsWith(CDN_PREFIX);
    if (!cdn && !path.startsWith(S3_PREFIX)) return undefined;
    const given = query.get(cdn ? 'Signature' : 'X-Amz-Signature');
    if (!given) return undefined;
    const expected = this.mac(path, query);
    const actual = Buffer.from(given, cdn ? 'base64url' : 'hex');
    if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) return undefined;

    const rest = path.slice((cdn ? CDN_PREFIX : S3_PREFIX).length).split('/');
    if (rest.length !== 2) return undefined;
    let bucketKey: string;
    let objectKey: string;
    try {
      bucketKey = decodeURIComponent(rest[0]);
      objectKey = decodeURIComponent(rest[1]);
    } catch {
      return undefined;
    }
    const expiresAt = cdn
      ? Number(query.get('Expires')) * 1000
      : parseAmzDate(query.get('X-Amz-Date') ?? '') + Number(query.get('X-Amz-Expires')) * 1000;
    const overrides: Record<string, string> = {};
    for (const key of OVERRIDE_KEYS) {
      const value = query.get(key);
      if (value !== null) overrides[key] = value;
    }
    const partText = query.get('x-emu-part');
    const partMatch = partText ? /^(\d+)-(\d+)$/.exec(partText) : null;
    const uploadId = query.get('uploadId');
    return {
      bucketKey,
      objectKey,
      overrides,
      part: partMatch ? { start: Number(partMatch[1]), end: Number(partMatch[2]) } : undefined,
      ...(uploadId ? { upload: { uploadId, partNumber: Number(query.get('partNumber')) } } : {}),
      expired: !(this.now() < expiresAt),
    };
  }

  private mac(path: string, query: URLSearchParams): Buffer {
    const entries = [...query.entries()].filter(([key]) => !SIGNATURE_KEYS.includes(key)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const canonical = `${path}\n${entries.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')}`;
    return createHmac('sha256', this.secret).update(canonical).digest();
  }
}
