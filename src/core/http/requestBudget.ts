// Per-host request budget: a concurrency cap plus a token bucket, and a pause after a 429: for the one
// rate limit the 429 came from (APS budgets each endpoint, and OSS as a whole), or for the whole host.
import { delay } from './delay';
import { Limiter } from './limiter';

export interface BudgetOptions {
  /** Requests in flight at once per host. */
  maxConcurrent: number;
  /** Sustained requests per second per host. */
  ratePerSecond: number;
  /** Requests that may start back to back before the rate applies. */
  burst: number;
}

export const DEFAULT_BUDGET: BudgetOptions = { maxConcurrent: 8, ratePerSecond: 20, burst: 20 };

type Release = () => void;

class HostBudget {
  private readonly slots: Limiter;
  private tokens: number;
  private refilledAt: number;
  private pausedUntil = 0;
  private readonly limitPausedUntil = new Map<string, number>();

  constructor(private readonly options: BudgetOptions, private readonly now: () => number) {
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

  async acquire(signal?: AbortSignal, limit?: string): Promise<Release> {
    const release = await this.slots.acquire(signal);
    try {
      await this.waitForPauseAndToken(signal, limit);
    } catch (error) {
      release();
      throw error;
    }
    return release;
  }

  private async waitForPauseAndToken(signal?: AbortSignal, limit?: string): Promise<void> {
    for (;;) {
      const now = this.now();
      const until = Math.max(this.pausedUntil, limit === undefined ? 0 : (this.limitPausedUntil.get(limit) ?? 0));
      if (now < until) {
        await delay(until - now, signal);
        continue;
      }
      this.refill(now);
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await delay(Math.ceil(((1 - this.tokens) / this.options.ratePerSecond) * 1000), signal);
    }
  }

  private refill(now: number): void {
    const elapsed = (now - this.refilledAt) / 1000;
    this.refilledAt = now;
    this.tokens = Math.min(this.options.burst, this.tokens + elapsed * this.options.ratePerSecond);
  }
}

export class RequestBudget {
  private readonly hosts = new Map<string, HostBudget>();

  constructor(private readonly options: BudgetOptions = DEFAULT_BUDGET, private readonly now: () => number = Date.now) {}

  /** `limit` names the rate limit the request counts against (see documentedLimits.ts), if known. */
  acquire(host: string, signal?: AbortSignal, limit?: string): Promise<Release> {
    return this.hostBudget(host).acquire(signal, limit);
  }

  pause(host: string, until: number, limit?: string): void {
    this.hostBudget(host).pause(until, limit);
  }

  private hostBudget(host: string): HostBudget {
    let budget = this.hosts.get(host);
    if (!budget) {
      budget = new HostBudget(this.options, this.now);
      this.hosts.set(host, budget);
    }
    return budget;
  }
}
