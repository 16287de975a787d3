/**
 * Fires when a response makes no progress for `timeoutMs` while we are waiting on the network.
 * Time spent waiting for our own disk writes does not count (undici's bodyTimeout cannot tell the two apart).
 */
export class StallWatchdog {
  private last = Date.now();
  private paused = false;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly timeoutMs: number,
    onStall: () => void,
  ) {
    this.timer = setInterval(
      () => {
        if (!this.paused && Date.now() - this.last > this.timeoutMs) {
          this.stop();
          onStall();
        }
      },
      Math.max(10, Math.min(1_000, Math.floor(timeoutMs / 4))),
    );
    this.timer.unref();
  }

  touch(): void {
    this.last = Date.now();
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    this.last = Date.now();
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
