// Signed download URLs for a mirror's files: in batches of up to 25 (POST batchsigneds3download, one request
// instead of 25) where OSS allows it, one by one where it does not. OSS signs batches only for the bucket's
// owner: Docs buckets are signed one by one from the start, and any other bucket that refuses a batch (403)
// once is signed one by one from then on.
import type { StorageLocation } from '../dm/ids';
import { isApsError } from '../http/apsError';
import { isDocsBucket, type OssClient, type SignedDownload } from '../oss/signedDownload';
import { ossObjectSource, SIGNED_URL_MINUTES, type ObjectSource } from '../transfer';

/** Objects per batch request. */
export const BATCH_SIZE = 25;
/** A batch-signed URL is handed out only while it has this long left, else the object is signed again. */
const FRESH_FOR_MS = 2 * 60_000;

type Signer = Pick<OssClient, 'signedDownload' | 'signBatch'>;

interface BucketState {
  mode: 'batch' | 'single';
  /** Objects expected to be signed soon, in order, not yet in a batch. */
  expected: string[];
  /** Batch answers waiting for their object's first resolve. */
  signed: Map<string, SignedDownload>;
  inFlight: Map<string, Promise<void>>;
}

export interface BatchStats {
  /** Batch requests OSS answered, and those it refused (403). */
  batches: number;
  refused: number;
}

export class MirrorSigner {
  private readonly buckets = new Map<string, BucketState>();
  readonly stats: BatchStats = { batches: 0, refused: 0 };

  constructor(
    private readonly oss: Signer,
    private readonly now: () => number = Date.now,
  ) {}

  /** Announces an object that will be downloaded soon, so a batch can include it. */
  expect(location: StorageLocation): void {
    const bucket = this.bucket(location.bucketKey);
    if (bucket.mode === 'batch') bucket.expected.push(location.objectKey);
  }

  /** The object as the transfer engine's source: its first resolve may come from a batch, the others sign it alone. */
  source(location: StorageLocation): ObjectSource {
    let first = true;
    return ossObjectSource(location, async (minutesExpiration, signal) => {
      const batched = first ? await this.fromBatch(location, signal) : undefined;
      first = false;
      return batched ?? this.oss.signedDownload(location, { minutesExpiration, signal });
    });
  }

  private bucket(bucketKey: string): BucketState {
    let state = this.buckets.get(bucketKey);
    if (!state) {
      state = { mode: isDocsBucket(bucketKey) ? 'single' : 'batch', expected: [], signed: new Map(), inFlight: new Map() };
      this.buckets.set(bucketKey, state);
    }
    return state;
  }

  private async fromBatch(location: StorageLocation, signal: AbortSignal): Promise<SignedDownload | undefined> {
    const bucket = this.bucket(location.bucketKey);
    const { objectKey } = location;
    if (bucket.mode === 'batch' && !bucket.signed.has(objectKey)) {
      const pending = bucket.inFlight.get(objectKey) ?? this.signNextBatch(location.bucketKey, bucket, objectKey, signal);
      await pending.catch(() => undefined);
    }
    const signed = bucket.signed.get(objectKey);
    bucket.signed.delete(objectKey);
    return signed && signed.expiresAt - this.now() > FRESH_FOR_MS ? signed : undefined;
  }

  /** Signs `objectKey` and the next expected objects of its bucket in one request. */
  private signNextBatch(bucketKey: string, bucket: BucketState, objectKey: string, signal: AbortSignal): Promise<void> {
    const keys = [objectKey];
    bucket.expected = bucket.expected.filter((key) => key !== objectKey);
    while (keys.length < BATCH_SIZE && bucket.expected.length > 0) {
      const next = bucket.expected.shift() as string;
      if (!bucket.signed.has(next) && !bucket.inFlight.has(next)) keys.push(next);
    }
    const request = (async () => {
      try {
        const results = await this.oss.signBatch(bucketKey, keys.map((key) => ({ objectKey: key })), { minutesExpiration: SIGNED_URL_MINUTES, signal });
        this.stats.batches++;
        for (const result of results) if (result.download) bucket.signed.set(result.objectKey, result.download);
      } catch (error) {
        if (isApsError(error) && error.status === 403) {
          this.stats.refused++;
          bucket.mode = 'single';
          bucket.expected = [];
        }
        throw error;
      } finally {
        for (const key of keys) bucket.inFlight.delete(key);
      }
    })();
    for (const key of keys) bucket.inFlight.set(key, request);
    return request;
  }
}
