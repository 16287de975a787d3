import { errorDetail, RestartRequired, TransferError } from '../errors';
import type { ObjectSource, ResolvedObject, StorageSegment, TransferLog } from '../types';

/** Where a worker should send its request, tagged with the URL generation it came from. */
export interface SegmentUrl {
  readonly url: string;
  readonly generation: number;
}

export function segmentsOf(resolved: ResolvedObject): readonly StorageSegment[] {
  if (resolved.segments && resolved.segments.length > 0) return resolved.segments;
  return resolved.size === 0 ? [] : [{ start: 0, end: resolved.size - 1, url: resolved.url }];
}

export function layoutOf(resolved: ResolvedObject): string {
  return segmentsOf(resolved)
    .map((s) => `${s.start}-${s.end}`)
    .join(',');
}

/** Where the object is now; a failure other than a cancel or a TransferError becomes 'bad-source'. */
export async function resolveSource(source: ObjectSource, signal: AbortSignal, action: string): Promise<ResolvedObject> {
  try {
    return await source.resolve(signal);
  } catch (error) {
    if (signal.aborted || error instanceof TransferError) throw error;
    throw new TransferError('bad-source', `Could not ${action} ${source.identity}: ${errorDetail(error)}`, { cause: error });
  }
}

/**
 * The signed URL shared by every worker of one download. An expired link is renewed once for all
 * of them (single-flight) and does not count as a retry; but a 403 on a freshly renewed link that
 * has not served a single response yet is fatal, so a broken signature cannot loop forever.
 */
export class SignedUrlState {
  private generation = 0;
  private renewed = false;
  private proven = false;
  private inflight?: Promise<void>;
  refreshes = 0;

  constructor(
    private readonly source: ObjectSource,
    private resolved: ResolvedObject,
    private readonly signal: AbortSignal,
    private readonly log: TransferLog,
    private readonly expiryMarginMs = 30_000,
  ) {}

  get object(): ResolvedObject {
    return this.resolved;
  }

  segmentUrl(index: number): SegmentUrl {
    return { url: segmentsOf(this.resolved)[index].url, generation: this.generation };
  }

  /** A response other than 403 came back on this generation's URL. */
  markServed(generation: number): void {
    if (generation === this.generation) this.proven = true;
  }

  /** Renews ahead of time when the link is about to expire before the next request starts. */
  async ensureFresh(): Promise<void> {
    const expiresAt = this.resolved.expiresAt;
    if (this.inflight) return this.inflight;
    if (expiresAt !== undefined && Date.now() > expiresAt - this.expiryMarginMs) {
      await this.renew(this.generation, 'the link is about to expire');
    }
  }

  /** Handles a 403 seen on a request that used `generation`. Throws when the failure is final. */
  async onForbidden(generation: number, detail: string): Promise<void> {
    if (generation < this.generation) return;
    if (this.inflight) return this.inflight;
    if (this.renewed && !this.proven) {
      const expired = /expired/i.test(detail);
      throw new TransferError(
        expired ? 'url-expired' : 'access-denied',
        expired
          ? `The storage link expired again right after it was renewed (${detail}).`
          : `Storage refused the download even with a freshly signed link (${detail}).`,
      );
    }
    await this.renew(generation, detail);
  }

  private renew(generation: number, reason: string): Promise<void> {
    if (generation < this.generation) return Promise.resolve();
    if (!this.inflight) {
      this.log('info', `Renewing the signed link of ${this.source.identity}: ${reason}`);
      this.inflight = resolveSource(this.source, this.signal, 'renew the download link of')
        .then((fresh) => {
          this.checkSameObject(fresh);
          this.resolved = fresh;
          this.generation++;
          this.refreshes++;
          this.renewed = true;
          this.proven = false;
        })
        .finally(() => {
          this.inflight = undefined;
        });
    }
    return this.inflight;
  }

  private checkSameObject(fresh: ResolvedObject): void {
    const old = this.resolved;
    if (fresh.size !== old.size) throw new RestartRequired(`size changed from ${old.size} to ${fresh.size}`);
    if (fresh.sha1 && old.sha1 && fresh.sha1.toLowerCase() !== old.sha1.toLowerCase()) throw new RestartRequired('sha1 changed');
    if (fresh.etag && old.etag && fresh.etag !== old.etag) throw new RestartRequired('ETag changed');
    if (layoutOf(fresh) !== layoutOf(old)) throw new RestartRequired('storage layout changed');
  }
}

/** The ETag of each storage segment: learnt from the first response, then required to stay the same. */
export class EtagBook {
  private readonly etags: (string | null)[];

  constructor(segmentCount: number, known: readonly (string | null)[] = []) {
    this.etags = Array.from({ length: segmentCount }, (_, i) => known[i] ?? null);
  }

  get(segment: number): string | undefined {
    return this.etags[segment] ?? undefined;
  }

  /** Records or checks the ETag a response carried; a different one means the object was replaced. */
  observe(segment: number, etag: string | undefined): void {
    if (!etag) return;
    const known = this.etags[segment];
    if (known === null) this.etags[segment] = etag;
    else if (normalize(known) !== normalize(etag)) throw new RestartRequired(`ETag changed from ${known} to ${etag}`);
  }

  toArray(): (string | null)[] {
    return [...this.etags];
  }
}

function normalize(etag: string): string {
  return etag.replace(/^W\//, '');
}
