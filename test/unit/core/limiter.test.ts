import * as assert from 'node:assert/strict';
import { Limiter } from '../../../src/core/http/limiter';

describe('core/http/limiter', () => {
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
