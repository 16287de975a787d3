// Per-host request budget shared by every caller of one client (tree, downloads, mirrors: one app):
// a concurrency cap; APS's documented per-endpoint limits as minute windows (see documentedLimits.ts);
// a token bucket for endpoints without one; and a pause after a 429, for the one limit it came from
// (APS budgets each endpoint, and OSS as a whole) or for the whole host.
import { delay } from './delay';
import { Limiter } from './limiter';

export interface BudgetOptions {
  /** Requests in flight at once per host. */
  maxConcurrent: number;
  /** Sustained requests per second per host, for endpoints without a documented per-minute limit. */
  ratePerSecond: number;
  /** Requests that may start back to back before the rate applies. */
  burst: number;
}

export const DEFAULT_BUDGET: BudgetOptions = { maxConcurrent: 8, ratePerSecond: 20, burst: 20 };

/** The rate limit a request counts against: its name, and APS's documented requests per minute when there is one. */
export interface RateLimit {
  readonly name: string;
  readonly perMinute?: number;
}

/**
 * A documented limit counts requests per minute per app. The window is a little longer than a minute,
 * so that requests arriving a moment later than they left still fit APS's count.
 */
export const LIMIT_WINDOW_MS = 61_000;

type Release = () => void;
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/**
 * At most `perMinute` requests start in any LIMIT_WINDOW_MS: the start times of the last `perMinute`
 * requests, oldest first. A place is reserved before the request waits for a connection slot and stamped
 * when it is sent, so the window counts sends, never more than the limit.
 */
class MinuteWindow {
  private readonly starts: { at: number }[] = [];

  constructor(readonly perMinute: number) {}

  /** When the next request may start (`now` or later). */
  freeAt(now: number): number {
    if (this.starts.length < this.perMinute) return now;
    return Math.max(now, this.starts[0].at + LIMIT_WINDOW_MS);
  }

  reserve(now: number): { at: number } {
    const place = { at: now };
    this.starts.push(place);
    while (this.starts.length > this.perMinute) this.starts.shift();
    return place;
  }
}

class HostBudget {
  private readonly slots: Limiter;
  private tokens: number;
  private refilledAt: number;
  private pausedUntil = 0;
  private readonly limitPausedUntil = new Map<string, number>();
  private readonly windows = new Map<string, MinuteWindow>();

  constructor(
    private readonly options: BudgetOptions,
    private readonly now: () => number,
    private readonly sleep: Sleep,
  ) {
    this.slots = new Limiter(options.maxConcurrent);
    this.tokens = options.burst;
    this.refilledAt = now();
  }

  /**
   * Blocks new requests until `until` (epoch ms), e.g. after a 429 with Retry-After: those under the same
   * rate `limit`, or, without one, every request to this host.
   */
  pause(until: number, limit?: string): void {
    if (limit === undefined) this.pausedUntil = Math.max(this.pausedUntil, until);
    else this.limitPausedUntil.set(limit, Math.max(this.limitPausedUntil.get(limit) ?? 0, until));
  }

  async acquire(signal?: AbortSignal, limit?: RateLimit): Promise<Release> {
    const window = limit?.perMinute ? this.windowOf(limit.name, limit.perMinute) : undefined;
    // Waiting for a limit happens before taking a connection slot, so requests under another limit go on.
    const place = window ? await this.reserve(window, limit?.name, signal) : undefined;
    const release = await this.slots.acquire(signal);
    try {
      await this.waitForPause(signal, limit?.name);
      if (place) place.at = Math.max(place.at, this.now());
      else await this.waitForToken(signal);
    } catch (error) {
      release();
      throw error;
    }
    return release;
  }

  private windowOf(name: string, perMinute: number): MinuteWindow {
    let window = this.windows.get(name);
    if (!window || window.perMinute !== perMinute) {
      window = new MinuteWindow(perMinute);
      this.windows.set(name, window);
    }
    return window;
  }

  private async reserve(window: MinuteWindow, limit: string | undefined, signal?: AbortSignal): Promise<{ at: number }> {
    for (;;) {
      const now = this.now();
      const until = Math.max(this.pausedFor(limit), window.freeAt(now));
      if (now >= until) return window.reserve(now);
      await this.sleep(until - now, signal);
    }
  }

  private pausedFor(limit: string | undefined): number {
    return Math.max(this.pausedUntil, limit === undefined ? 0 : (this.limitPausedUntil.get(limit) ?? 0));
  }

  private async waitForPause(signal?: AbortSignal, limit?: string): Promise<void> {
    for (let now = this.now(); now < this.pausedFor(limit); now = this.now()) await this.sleep(this.pausedFor(limit) - now, signal);
  }

  private async waitForToken(signal?: AbortSignal): Promise<void> {
    for (;;) {
      const now = this.now();
      this.refill(now);
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await this.sleep(Math.ceil(((1 - this.tokens) / this.options.ratePerSecond) * 1000), signal);
    }
  }

  private refill(now: number): void {
    const elapsed = (now - this.refilledAt) / 1000;
    this.refilledAt = now;
    this.tokens = Math.min(this.options.burst, this.tokens + elapsed * this.options.ratePerSecond);
  }
}

/**
 * One per client (createApsClient): every service, job and worker of that client (one APS app) draws
 * from it, so the app's quota is planned in one place.
 */
export class RequestBudget {
  private readonly hosts = new Map<string, HostBudget>();

  constructor(
    private readonly options: BudgetOptions = DEFAULT_BUDGET,
    private readonly now: () => number = Date.now,
    private readonly sleep: Sleep = delay,
  ) {}

  /** `limit`: the rate limit the request counts against (see documentedLimits.ts), if known. */
  acquire(host: string, signal?: AbortSignal, limit?: RateLimit): Promise<Release> {
    return this.hostBudget(host).acquire(signal, limit);
  }

  pause(host: string, until: number, limit?: string): void {
    this.hostBudget(host).pause(until, limit);
  }

  private hostBudget(host: string): HostBudget {
    let budget = this.hosts.get(host);
    if (!budget) {
      budget = new HostBudget(this.options, this.now, this.sleep);
      this.hosts.set(host, budget);
    }
    return budget;
  }
}
