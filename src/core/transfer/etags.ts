import { RestartRequired } from './restart';

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
