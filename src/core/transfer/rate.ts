/** Bytes per second over a sliding window of (time, total) samples. */
export class RateMeter {
  private readonly samples: { at: number; bytes: number }[] = [];

  constructor(
    private readonly windowMs = 3_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records the running total of bytes moved (excluding bytes that never crossed the network). */
  sample(totalBytes: number): void {
    const at = this.now();
    this.samples.push({ at, bytes: totalBytes });
    while (this.samples.length > 2 && at - this.samples[1].at >= this.windowMs) this.samples.shift();
  }

  bytesPerSecond(): number {
    if (this.samples.length < 2) return 0;
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    const elapsed = last.at - first.at;
    return elapsed <= 0 ? 0 : Math.max(0, ((last.bytes - first.bytes) * 1000) / elapsed);
  }
}

export function etaSeconds(remainingBytes: number, bytesPerSecond: number): number | undefined {
  if (remainingBytes <= 0) return 0;
  return bytesPerSecond > 0 ? remainingBytes / bytesPerSecond : undefined;
}
