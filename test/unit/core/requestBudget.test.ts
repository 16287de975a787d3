// The request budget on a fake clock: APS's documented per-minute limits pace requests, a 429 pauses
// everything under its limit, and nothing under another limit waits for either.
import * as assert from 'node:assert/strict';
import { LIMIT_WINDOW_MS, RequestBudget } from '../../../src/core/http/requestBudget';

class FakeClock {
  time = 1_000_000;
  private sleepers: Array<{ until: number; wake: () => void }> = [];

  now = (): number => this.time;

  sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
    new Promise((resolve, reject) => {
      const sleeper = { until: this.time + ms, wake: resolve };
      this.sleepers.push(sleeper);
      signal?.addEventListener('abort', () => {
        this.sleepers = this.sleepers.filter((other) => other !== sleeper);
        reject(signal.reason);
      });
    });

  async advance(ms: number): Promise<void> {
    this.time += ms;
    const due = this.sleepers.filter((sleeper) => sleeper.until <= this.time);
    this.sleepers = this.sleepers.filter((sleeper) => sleeper.until > this.time);
    for (const sleeper of due) sleeper.wake();
    await settle();
  }
}

/** Lets every promise that can settle now settle. */
async function settle(): Promise<void> {
  for (let round = 0; round < 5; round++) await new Promise((resolve) => setImmediate(resolve));
}

function tracked(promise: Promise<() => void>): { done: boolean; release(): void } {
  const state = { done: false, release: () => {} };
  void promise.then((release) => {
    state.done = true;
    state.release = release;
  });
  return state;
}

describe('core/http: request budget on a fake clock', () => {
  const host = 'developer.api.autodesk.com';
  const oss = { name: 'storage (OSS) requests', perMinute: 3 };
  const listing = { name: 'listing folder contents', perMinute: 3 };

  it('lets at most the documented number of requests start in any window, then paces the rest', async () => {
    const clock = new FakeClock();
    const budget = new RequestBudget({ maxConcurrent: 8, ratePerSecond: 1000, burst: 1000 }, clock.now, clock.sleep);
    const first = [0, 1, 2].map(() => tracked(budget.acquire(host, undefined, oss)));
    await settle();
    assert.deepEqual(first.map((request) => request.done), [true, true, true]);
    for (const request of first) request.release();

    await clock.advance(30_000);
    const fourth = tracked(budget.acquire(host, undefined, oss));
    const other = tracked(budget.acquire(host, undefined, listing));
    await settle();
    assert.equal(fourth.done, false, 'a fourth request within the minute waits');
    assert.equal(other.done, true, 'a request under another limit does not');
    await clock.advance(LIMIT_WINDOW_MS - 30_000 - 1);
    assert.equal(fourth.done, false);
    await clock.advance(1);
    assert.equal(fourth.done, true, 'it starts once the first request of the window is a window old');
  });

  it('pauses every request under a limit after a 429 until Retry-After, and none under another', async () => {
    const clock = new FakeClock();
    const budget = new RequestBudget({ maxConcurrent: 8, ratePerSecond: 1000, burst: 1000 }, clock.now, clock.sleep);
    const limit = { name: 'storage (OSS) requests', perMinute: 1000 };
    budget.pause(host, clock.now() + 5_000, limit.name);
    const held = [tracked(budget.acquire(host, undefined, limit)), tracked(budget.acquire(host, undefined, limit))];
    const free = tracked(budget.acquire(host, undefined, listing));
    await settle();
    assert.deepEqual(held.map((request) => request.done), [false, false]);
    assert.equal(free.done, true);
    await clock.advance(4_999);
    assert.deepEqual(held.map((request) => request.done), [false, false]);
    await clock.advance(1);
    assert.deepEqual(held.map((request) => request.done), [true, true]);
  });

  it('keeps a request waiting for its limit out of the connection slots, so others under other limits go on', async () => {
    const clock = new FakeClock();
    const budget = new RequestBudget({ maxConcurrent: 2, ratePerSecond: 1000, burst: 1000 }, clock.now, clock.sleep);
    const one = { name: 'reading an item', perMinute: 1 };
    (await budget.acquire(host, undefined, one))();
    const waiting = [tracked(budget.acquire(host, undefined, one)), tracked(budget.acquire(host, undefined, one))];
    const others = [tracked(budget.acquire(host, undefined, listing)), tracked(budget.acquire(host, undefined, listing))];
    await settle();
    assert.deepEqual(waiting.map((request) => request.done), [false, false]);
    assert.deepEqual(others.map((request) => request.done), [true, true], 'both slots went to the requests that may start');
  });

  it('stops waiting when the caller aborts', async () => {
    const clock = new FakeClock();
    const budget = new RequestBudget({ maxConcurrent: 8, ratePerSecond: 1000, burst: 1000 }, clock.now, clock.sleep);
    const one = { name: 'reading an item', perMinute: 1 };
    (await budget.acquire(host, undefined, one))();
    const controller = new AbortController();
    const pending = budget.acquire(host, controller.signal, one);
    controller.abort(new Error('stop'));
    await assert.rejects(pending, /stop/);
  });
});
