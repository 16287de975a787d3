// Resilience of the HTTP layer against the emulator: retries, Retry-After, POST safety, abort, logging.
import * as assert from 'node:assert/strict';
import { isApsError } from '../../../src/core';
import { captureLog, tipVersionId, twoLeggedClient, useEmulator } from './harness';

describe('core/http against the emulator', function () {
  const emulator = useEmulator();

  it('retries a GET through 5xx answers and then succeeds', async () => {
    const log = captureLog();
    const client = twoLeggedClient(emulator(), log);
    try {
      emulator().faults.add({ kind: 'status', status: 503, path: '/project/v1/hubs', method: 'GET', count: 2 });
      emulator().faults.add({ kind: 'status', status: 500, path: '/project/v1/hubs', method: 'GET', count: 1 });
      emulator().requests.clear();
      const { hubs } = await client.dm.listHubs();
      assert.ok(hubs.length >= 2);
      const calls = emulator().requests.list({ origin: 'api', path: /^\/project\/v1\/hubs$/ });
      assert.deepEqual(calls.map((call) => call.status).sort(), [200, 500, 503, 503]);
      const attempts = log.entries.filter((entry) => entry.url.endsWith('/project/v1/hubs'));
      assert.deepEqual(attempts.map((entry) => entry.attempt), [1, 2, 3, 4]);
      assert.ok(attempts.slice(0, 3).every((entry) => entry.retryInMs !== undefined));
    } finally {
      await client.close();
    }
  });

  it('gives up after the retry budget with an ApsError carrying status and a user sentence', async () => {
    const client = twoLeggedClient(emulator(), undefined, { retry: { baseDelayMs: 1, maxDelayMs: 2, maxRetries: 2 } });
    try {
      emulator().faults.add({ kind: 'status', status: 502, path: '/project/v1/hubs', method: 'GET' });
      await assert.rejects(client.dm.listHubs(), (error: unknown) => {
        assert.ok(isApsError(error));
        assert.equal(error.status, 502);
        assert.equal(error.retryable, true);
        assert.match(error.userMessage, /having trouble/);
        return true;
      });
      assert.equal(emulator().requests.list({ path: /^\/project\/v1\/hubs$/ }).filter((r) => r.status === 502).length >= 3, true);
    } finally {
      await client.close();
    }
  });

  it('does not retry a POST that may have been processed (5xx), but does after a 429', async () => {
    const e = emulator();
    const client = twoLeggedClient(e);
    try {
      const { bim360Project } = e.seed.ids;
      const version = tipVersionId(e, e.seed.ids.items.towerRvt);
      e.faults.add({ kind: 'status', status: 500, path: '/data/v1/projects/*/downloads', method: 'POST', count: 1 });
      e.requests.clear();
      await assert.rejects(client.dm.createDownload(bim360Project, version, 'dwf'), (error: unknown) => isApsError(error) && error.status === 500);
      assert.equal(e.requests.list({ method: 'POST', path: '/downloads' }).length, 1, 'exactly one POST reached APS');

      e.faults.add({ kind: 'status', status: 429, retryAfter: 1, path: '/data/v1/projects/*/downloads', method: 'POST', count: 1 });
      e.requests.clear();
      const job = await client.dm.createDownload(bim360Project, version, 'dwf');
      assert.ok(job.id);
      assert.deepEqual(e.requests.list({ method: 'POST', path: '/downloads' }).map((r) => r.status), [429, 202]);
    } finally {
      await client.close();
    }
  });

  it('keeps every request during a 429 storm at least Retry-After behind the 429 it follows', async function () {
    this.timeout(30_000);
    const e = emulator();
    const client = twoLeggedClient(e);
    try {
      await client.dm.listHubs(); // token and connection warm-up
      const retryAfterMs = 1_000;
      e.faults.add({ kind: 'status', status: 429, retryAfter: 1, path: '/project/v1/hubs/*/projects', method: 'GET', count: 6 });
      e.requests.clear();
      const hubId = e.seed.ids.bim360Hub;
      const results = await Promise.all(Array.from({ length: 4 }, () => client.dm.listProjects(hubId)));
      assert.ok(results.every((projects) => projects.length === results[0].length && projects.length > 0));

      const calls = e.requests.list({ origin: 'api', path: '/projects' }).sort((a, b) => a.time - b.time);
      const limited = calls.filter((call) => call.status === 429);
      assert.equal(limited.length, 6);
      // A request that was already on the wire when the 429 was sent may land a moment later; anything
      // arriving later than that slack was sent after the client saw the 429 and must respect Retry-After.
      const inFlightSlackMs = 250;
      for (const rejected of limited) {
        const tooEarly = calls.filter((call) => call.time > rejected.time + inFlightSlackMs && call.time < rejected.time + retryAfterMs);
        assert.deepEqual(tooEarly, [], `requests arrived sooner than Retry-After after the 429 at ${rejected.time}`);
      }
    } finally {
      await client.close();
    }
  });

  it('holds back only what shares the limit a 429 came from: APS budgets each endpoint', async function () {
    this.timeout(30_000);
    const e = emulator();
    const log = captureLog();
    const client = twoLeggedClient(e, log);
    const stop = new AbortController();
    try {
      await client.dm.listHubs();
      e.faults.add({ kind: 'status', status: 429, retryAfter: 60, path: '/project/v1/hubs', method: 'GET', count: 1 });
      e.requests.clear();
      const hubs = client.dm.listHubs({ signal: stop.signal }).catch((error: unknown) => error);
      // The gate: the client has read the 429 and now waits a minute before listing hubs again.
      while (!log.entries.some((entry) => entry.status === 429 && entry.retryInMs !== undefined)) await new Promise((resolve) => setImmediate(resolve));
      const projects = await client.dm.listProjects(e.seed.ids.bim360Hub);
      assert.ok(projects.length > 0, 'listing projects did not wait for the hubs limit');
      assert.deepEqual(e.requests.list({ path: /^\/project\/v1\/hubs$/ }).map((call) => call.status), [429], 'the hubs are still waiting');
      stop.abort();
      assert.equal(((await hubs) as Error).name, 'AbortError');
    } finally {
      await client.close();
    }
  });

  it('honours an HTTP-date Retry-After', async () => {
    const e = emulator();
    const client = twoLeggedClient(e);
    try {
      await client.dm.listHubs();
      e.faults.add({ kind: 'status', status: 429, retryAfter: 'http-date', retryAfterSeconds: 2, path: '/project/v1/hubs', method: 'GET', count: 1 });
      e.requests.clear();
      await client.dm.listHubs();
      const [first, second] = e.requests.list({ path: /^\/project\/v1\/hubs$/ });
      assert.equal(first.status, 429);
      assert.equal(second.status, 200);
      // An HTTP-date has one-second resolution, so the wait is at least one full second.
      assert.ok(second.time - first.time >= 1_000, `waited only ${second.time - first.time} ms`);
    } finally {
      await client.close();
    }
  });

  it('raises a 429 whose Retry-After exceeds the allowed wait instead of sleeping', async () => {
    const e = emulator();
    const client = twoLeggedClient(e, undefined, { retry: { maxRetryAfterMs: 500 } });
    try {
      e.faults.add({ kind: 'status', status: 429, retryAfter: 30, path: '/project/v1/hubs', method: 'GET', count: 1 });
      await assert.rejects(client.dm.listHubs(), (error: unknown) => isApsError(error) && error.status === 429 && error.retryAfterMs === 30_000 && /30 seconds/.test(error.userMessage));
    } finally {
      await client.close();
    }
  });

  it('retries a GET whose connection was reset', async () => {
    const e = emulator();
    const client = twoLeggedClient(e);
    try {
      await client.dm.listHubs();
      e.faults.add({ kind: 'reset', origin: 'api', path: '/project/v1/hubs', method: 'GET', count: 1 });
      const { hubs } = await client.dm.listHubs();
      assert.ok(hubs.length > 0);
    } finally {
      await client.close();
    }
  });

  it('stops at once with the abort reason when the caller aborts', async () => {
    const e = emulator();
    const client = twoLeggedClient(e);
    try {
      await client.dm.listHubs();
      e.faults.add({ kind: 'latency', origin: 'api', latencyMs: 5_000, path: '/project/v1/hubs', method: 'GET', count: 1 });
      const controller = new AbortController();
      const pending = client.dm.listHubs({ signal: controller.signal });
      setTimeout(() => controller.abort(new Error('cancelled by user')), 50);
      await assert.rejects(pending, /cancelled by user/);
    } finally {
      await client.close();
    }
  });

  it('caps concurrent requests per host with the request budget', async () => {
    const e = emulator();
    const client = twoLeggedClient(e, undefined, { budget: { maxConcurrent: 2 } });
    try {
      await client.dm.listHubs();
      e.faults.add({ kind: 'latency', origin: 'api', latencyMs: 100, path: '/project/v1/hubs/*', method: 'GET' });
      const hubId = e.seed.ids.bim360Hub;
      e.requests.clear();
      await Promise.all(Array.from({ length: 6 }, () => client.dm.getHub(hubId)));
      const arrivals = e.requests.list({ path: /^\/project\/v1\/hubs\/[^/]+$/ }).map((r) => r.time).sort((a, b) => a - b);
      assert.equal(arrivals.length, 6);
      // With at most two on the wire and 100 ms each, the sixth cannot arrive with the first two.
      assert.ok(arrivals[5] - arrivals[0] >= 200, 'requests were not queued by the budget');
    } finally {
      await client.close();
    }
  });
});
