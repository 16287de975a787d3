import { strict as assert } from 'node:assert';
import { startEmulator, type RunningEmulator } from '../../emulator/index';
import { getJson, sha1, signedUrlFor, splitKey, type Json } from './helpers';

/** Reads a body chunk by chunk until it ends or fails. */
async function drain(response: Response, onChunk?: (total: number) => void): Promise<{ bytes: Buffer; error?: unknown }> {
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      chunks.push(Buffer.from(chunk));
      total += chunk.length;
      onChunk?.(total);
    }
    return { bytes: Buffer.concat(chunks) };
  } catch (error) {
    return { bytes: Buffer.concat(chunks), error };
  }
}

describe('emulator: fault injection', () => {
  let emulator: RunningEmulator;
  let token: string;
  let objectUrl: string;
  let objectKey: { bucketKey: string; objectKey: string };
  const size = 256 * 1024;

  before(async () => {
    emulator = await startEmulator();
    token = emulator.issueToken({ scopes: ['data:read', 'data:create'] });
    const added = await emulator.addObject({ size, seed: 42 });
    objectKey = { bucketKey: added.bucketKey, objectKey: added.objectKey };
    objectUrl = emulator.signedUrl(added.bucketKey, added.objectKey, { minutes: 60 });
  });
  afterEach(() => emulator.faults.clear());
  after(() => emulator.close());

  const hubs = () => getJson(`${emulator.baseUrl}/project/v1/hubs`, token);
  const expected = () => emulator.objectBytes(objectKey.bucketKey, objectKey.objectKey);

  it('latency and bandwidth faults still deliver the right answer and count their hits', async () => {
    const latency = emulator.faults.add({ kind: 'latency', latencyMs: 30, jitterMs: 10, path: '/project/v1/hubs' });
    assert.equal((await hubs()).status, 200);
    assert.equal(emulator.faults.list().find((f) => f.id === latency)?.hits, 1);

    const bandwidth = emulator.faults.add({ kind: 'bandwidth', bytesPerSecond: 2 * 1024 * 1024 });
    const body = Buffer.from(await (await fetch(objectUrl)).arrayBuffer());
    assert.ok(body.equals(expected()));
    assert.equal(emulator.faults.list().find((f) => f.id === bandwidth)?.hits, 1);
  });

  it('hold answers nothing until the fault is removed, then answers in full; a count-limited hold waits all the same', async () => {
    const held = emulator.faults.add({ kind: 'hold', origin: 'storage', count: 1 });
    let answered = false;
    const response = fetch(objectUrl).then((answer) => ((answered = true), answer));
    const hubsAnswer = await hubs();
    assert.equal(hubsAnswer.status, 200, 'the API origin is not held');
    assert.equal(emulator.requests.list({ origin: 'storage' }).length > 0, true, 'the storage request arrived');
    assert.equal(answered, false, 'and is held');
    assert.equal((await fetch(objectUrl)).status, 200, 'count: 1 holds one request');
    assert.equal(answered, false, 'the held one still waits');
    assert.equal(emulator.faults.remove(held), true);
    const body = Buffer.from(await (await response).arrayBuffer());
    assert.ok(body.equals(expected()));
  });

  it('status 429 with Retry-After in seconds and as an HTTP date; 5xx on API (JSON:API) and storage (XML)', async () => {
    emulator.faults.add({ kind: 'status', status: 429, retryAfter: 3, count: 1 });
    const limited = await hubs();
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('retry-after'), '3');
    assert.deepEqual(limited.body, { developerMessage: 'Quota limit exceeded.' });
    assert.equal((await hubs()).status, 200, 'count: 1 applies once');

    emulator.faults.add({ kind: 'status', status: 429, retryAfter: 'http-date', retryAfterSeconds: 5, count: 1 });
    const dated = await hubs();
    const when = Date.parse(dated.headers.get('retry-after') as string);
    assert.ok(when > emulator.clock.now() && when <= emulator.clock.now() + 6000);

    emulator.faults.add({ kind: 'status', status: 503, origin: 'api', path: '/data/**', count: 1 });
    const data = await getJson(`${emulator.baseUrl}/data/v1/projects/${emulator.seed.ids.bim360Project}/folders/${encodeURIComponent(emulator.seed.ids.folders.bim360Plans)}`, token);
    assert.equal(data.status, 503);
    assert.equal(data.body.errors[0].status, '503');

    emulator.faults.add({ kind: 'status', status: 500, origin: 'storage', count: 1 });
    const storage = await fetch(objectUrl);
    assert.equal(storage.status, 500);
    assert.match(await storage.text(), /<Code>InternalError<\/Code>/);
    emulator.faults.add({ kind: 'status', status: 502, origin: 'storage', count: 1 });
    assert.equal((await fetch(objectUrl)).status, 502);

    emulator.faults.add({ kind: 'status', status: 503, origin: 'storage', skip: 1, count: 1 });
    assert.deepEqual([(await fetch(objectUrl)).status, (await fetch(objectUrl)).status, (await fetch(objectUrl)).status], [200, 503, 200], 'skip: 1 lets the first through');
    assert.throws(() => emulator.faults.add({ kind: 'status', status: 503, skip: -1 }), /skip must be a non-negative integer/);
  });

  it('scopes faults by glob or regex path, method and probability', async () => {
    emulator.faults.add({ kind: 'status', status: 500, path: '/oss/v2/buckets/*/objects/*/signeds3download' });
    emulator.faults.add({ kind: 'status', status: 502, path: '/hubs\\/[^/]+$/' });
    emulator.faults.add({ kind: 'status', status: 503, path: '/project/v1/hubs', method: 'POST' });
    emulator.faults.add({ kind: 'status', status: 504, path: '/project/v1/hubs', probability: 0 });
    assert.equal((await hubs()).status, 200);
    assert.equal((await getJson(`${emulator.baseUrl}/project/v1/hubs/${emulator.seed.ids.bim360Hub}`, token)).status, 502);
    const signed = await getJson(`${emulator.baseUrl}/oss/v2/buckets/${objectKey.bucketKey}/objects/${objectKey.objectKey}/signeds3download`, token);
    assert.equal(signed.status, 500);
  });

  it('reset cuts the connection mid-body (storage) or before Json answer (api)', async () => {
    emulator.faults.add({ kind: 'reset', origin: 'storage', afterBytes: 64 * 1024, count: 1 });
    const response = await fetch(objectUrl);
    assert.equal(response.status, 200);
    const { bytes, error } = await drain(response);
    assert.ok(error, 'the body fails');
    assert.ok(bytes.length <= 64 * 1024 && bytes.equals(expected().subarray(0, bytes.length)));

    emulator.faults.add({ kind: 'reset', origin: 'api', count: 1 });
    await assert.rejects(hubs());
    assert.equal((await hubs()).status, 200);
  });

  it('truncate promises the full length and closes early', async () => {
    emulator.faults.add({ kind: 'truncate', afterBytes: 1000, count: 1 });
    const response = await fetch(objectUrl, { headers: { range: 'bytes=0-9999' } });
    assert.equal(response.headers.get('content-length'), '10000');
    const { bytes, error } = await drain(response);
    assert.ok(error);
    assert.equal(bytes.length, 1000);
  });

  it('ignoreRange answers 200 with the full body; wrongContentRange shifts the range it answers', async () => {
    emulator.faults.add({ kind: 'ignoreRange', count: 1 });
    const ignored = await fetch(objectUrl, { headers: { range: 'bytes=100-199' } });
    assert.equal(ignored.status, 200);
    assert.equal((await ignored.arrayBuffer()).byteLength, size);

    emulator.faults.add({ kind: 'wrongContentRange', shiftBytes: 1, count: 1 });
    const shifted = await fetch(objectUrl, { headers: { range: 'bytes=100-199' } });
    assert.equal(shifted.status, 206);
    assert.equal(shifted.headers.get('content-range'), `bytes 101-200/${size}`);
    assert.ok(Buffer.from(await shifted.arrayBuffer()).equals(expected().subarray(101, 201)));
  });

  it('replaceObject swaps the object mid-download: new ETag and size, If-Match then fails with 412', async () => {
    const added = await emulator.addObject({ size: 200_000, seed: 5 });
    const url = emulator.signedUrl(added.bucketKey, added.objectKey);
    emulator.faults.add({ kind: 'replaceObject', afterBytes: 50_000, newSize: 300_000, count: 1 });
    const first = await fetch(url, { headers: { range: 'bytes=0-99999' } });
    const { error } = await drain(first);
    assert.ok(error, 'the running download is cut');
    const retry = await fetch(url, { headers: { range: 'bytes=50000-99999', 'if-match': added.etag } });
    assert.equal(retry.status, 412);
    const signed = await signedUrlFor(emulator, token, `${added.bucketKey}/${added.objectKey}`);
    assert.equal(signed.size, 300_000);
    assert.notEqual(signed.sha1, added.sha1);
  });

  it('expireSignedUrl answers 403 Request has expired; a download started in time finishes after expiry', async () => {
    emulator.faults.add({ kind: 'expireSignedUrl', count: 1 });
    const refused = await fetch(objectUrl);
    assert.equal(refused.status, 403);
    assert.match(await refused.text(), /Request has expired/);

    const shortUrl = emulator.signedUrl(objectKey.bucketKey, objectKey.objectKey, { minutes: 1 });
    emulator.faults.add({ kind: 'bandwidth', bytesPerSecond: 1024 * 1024, count: 1 });
    const slow = await fetch(shortUrl);
    let advanced = false;
    const { bytes, error } = await drain(slow, () => {
      if (!advanced) {
        advanced = true;
        emulator.clock.advance(120_000);
      }
    });
    assert.equal(error, undefined);
    assert.ok(bytes.equals(expected()));
    assert.equal((await fetch(shortUrl)).status, 403, 'a new request after expiry is refused');
  });

  it('is driven over the loopback control API too', async () => {
    const post = (body: unknown) => fetch(`${emulator.baseUrl}/__emulator/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const one = await post({ kind: 'status', status: 503, path: '/project/v1/hubs' });
    assert.equal(one.status, 201);
    const { id } = (await one.json()) as { id: string };
    assert.equal((await hubs()).status, 503);
    assert.equal((await fetch(`${emulator.baseUrl}/__emulator/faults/${id}`, { method: 'DELETE' })).status, 204);
    assert.equal((await hubs()).status, 200);

    const many = (await (await post([{ kind: 'latency', latencyMs: 1 }, { kind: 'ignoreRange' }])).json()) as { ids: string[] };
    assert.equal(many.ids.length, 2);
    const listed = (await (await fetch(`${emulator.baseUrl}/__emulator/faults`)).json()) as unknown[];
    assert.equal(listed.length, 2);
    assert.equal((await fetch(`${emulator.baseUrl}/__emulator/faults`, { method: 'DELETE' })).status, 204);
    assert.equal(emulator.faults.list().length, 0);

    const bad = await post({ kind: 'explode' });
    assert.equal(bad.status, 400);
    assert.match(((await bad.json()) as { error: string }).error, /unknown fault kind/);

    await fetch(`${emulator.baseUrl}/__emulator/requests`, { method: 'DELETE' });
    await hubs();
    const log = (await (await fetch(`${emulator.baseUrl}/__emulator/requests?origin=api&path=/project/v1/hubs`)).json()) as Json[];
    assert.equal(log.length, 1);
    assert.equal(log[0].method, 'GET');
    assert.equal(log[0].hadAuthorization, true);
    assert.equal(log[0].status, 200);
  });
});

describe('emulator: stall and close', () => {
  it('stall sends afterBytes then nothing until the emulator closes, and close() ends every socket', async () => {
    const emulator = await startEmulator({ faults: [{ kind: 'stall', origin: 'storage', afterBytes: 4096 }] });
    try {
      const token = emulator.issueToken({ scopes: ['data:read'] });
      const { url } = await signedUrlFor(emulator, token, emulator.seed.ids.objects.eightMiB);
      const response = await fetch(url);
      const reading = drain(response, (total) => {
        if (total >= 4096) void emulator.close();
      });
      const { bytes, error } = await reading;
      assert.ok(error, 'the stalled body fails when the emulator closes');
      assert.equal(bytes.length, 4096);
      assert.equal(sha1(bytes), sha1(emulator.objectBytes(...(Object.values(splitKey(emulator.seed.ids.objects.eightMiB)) as [string, string]), 0, 4096)));
    } finally {
      await emulator.close();
    }
  });
});
