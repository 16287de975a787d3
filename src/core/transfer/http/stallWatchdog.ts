/**
 * Fires when a response makes no progress for `timeoutMs` while we are waiting on the network.
 * Time spent waiting for our own disk writes does not count (undici's bodyTimeout cannot tell the two apart).
 */
export class StallWatchdog {
  private last: number;
  private paused = false;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly timeoutMs: number,
    private readonly onStall: () => void,
    private readonly now: () => number = Date.now,
  ) {
    this.last = now();
    this.timer = setInterval(() => this.check(), Math.max(10, Math.min(1_000, Math.floor(timeoutMs / 4))));
    this.timer.unref();
  }

  /** Fires (once) if the response has been silent too long; runs on a timer. */
  check(): void {
    if (this.paused || this.now() - this.last <= this.timeoutMs) return;
    this.stop();
    this.onStall();
  }

  touch(): void {
    this.last = this.now();
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    this.last = this.now();
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
