import * as assert from 'node:assert/strict';
import { fullJitterDelay, parseRetryAfter } from '../../../src/core/transfer/backoff';
import { Limiter } from '../../../src/core/transfer/limiter';

describe('transfer: backoff and limiter', () => {
  it('draws full-jitter delays below the capped exponential ceiling', () => {
    assert.equal(fullJitterDelay(0, 100, 1000, () => 0.999), 99);
    assert.equal(fullJitterDelay(3, 100, 1000, () => 0.5), 400);
    assert.equal(fullJitterDelay(10, 100, 1000, () => 0.999), 999);
    assert.equal(fullJitterDelay(2, 100, 1000, () => 0), 0);
  });

  it('parses Retry-After seconds and HTTP dates', () => {
    assert.equal(parseRetryAfter('3'), 3000);
    const now = Date.parse('2024-01-01T00:00:00Z');
    assert.equal(parseRetryAfter('Mon, 01 Jan 2024 00:00:05 GMT', now), 5000);
    assert.equal(parseRetryAfter(undefined), undefined);
    assert.equal(parseRetryAfter('soon'), undefined);
  });

  it('hands out at most `capacity` slots, first come first served, and drops aborted waiters', async () => {
    const limiter = new Limiter(2);
    const a = await limiter.acquire();
    const b = await limiter.acquire();
    const order: string[] = [];
    const controller = new AbortController();
    const c = limiter.acquire().then((release) => (order.push('c'), release));
    const aborted = limiter.acquire(controller.signal).catch(() => order.push('aborted'));
    const d = limiter.acquire().then((release) => (order.push('d'), release));
    controller.abort();
    await aborted;
    assert.equal(limiter.inUse, 2);
    a();
    a();
    (await c)();
    b();
    (await d)();
    assert.deepEqual(order, ['aborted', 'c', 'd']);
    assert.equal(limiter.inUse, 0);
  });
});
