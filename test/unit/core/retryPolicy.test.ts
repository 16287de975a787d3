import * as assert from 'node:assert/strict';
import { backoffDelay, DEFAULT_RETRY, mayRetry, parseRetryAfter } from '../../../src/core/http/retryPolicy';

describe('core/http/retryPolicy', () => {
  it('reads Retry-After as seconds or as an HTTP-date', () => {
    assert.equal(parseRetryAfter('25'), 25_000);
    assert.equal(parseRetryAfter(['3']), 3_000);
    const now = Date.parse('2024-01-01T00:00:00Z');
    assert.equal(parseRetryAfter('Mon, 01 Jan 2024 00:00:07 GMT', now), 7_000);
    assert.equal(parseRetryAfter('Sun, 31 Dec 2023 23:59:00 GMT', now), 0);
    assert.equal(parseRetryAfter('soon'), undefined);
    assert.equal(parseRetryAfter(undefined), undefined);
  });

  it('backs off with full jitter inside a doubling, capped ceiling', () => {
    const options = { ...DEFAULT_RETRY, baseDelayMs: 100, maxDelayMs: 1_000 };
    assert.equal(backoffDelay(0, options, () => 0.999), 99);
    assert.equal(backoffDelay(2, options, () => 0.5), 200);
    assert.equal(backoffDelay(10, options, () => 0.999), 999);
    assert.equal(backoffDelay(3, options, () => 0), 0);
  });

  it('retries idempotent requests on 5xx/429/network errors and POST only when it was not processed', () => {
    assert.equal(mayRetry('GET', undefined, { status: 503 }), true);
    assert.equal(mayRetry('GET', undefined, { status: 404 }), false);
    assert.equal(mayRetry('POST', undefined, { status: 503 }), false);
    assert.equal(mayRetry('POST', undefined, { status: 429 }), true);
    assert.equal(mayRetry('POST', true, { status: 502 }), true);
    assert.equal(mayRetry('POST', undefined, { error: Object.assign(new Error('x'), { code: 'ECONNRESET' }) }), false);
    assert.equal(mayRetry('POST', undefined, { error: Object.assign(new Error('x'), { code: 'ECONNREFUSED' }) }), true);
    assert.equal(mayRetry('GET', undefined, { error: Object.assign(new Error('x'), { code: 'UND_ERR_SOCKET' }) }), true);
    assert.equal(mayRetry('GET', undefined, { error: new Error('no code') }), false);
  });
});
