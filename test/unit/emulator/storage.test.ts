import { strict as assert } from 'node:assert';
import { startEmulator, type RunningEmulator } from '../../emulator/index';
import { getJson, sha1, signedUrlFor, splitKey, type Json } from './helpers';

describe('emulator: storage origin (signed URLs)', () => {
  let emulator: RunningEmulator;
  let token: string;
  before(async () => {
    emulator = await startEmulator();
    token = emulator.issueToken({ scopes: ['data:read'] });
  });
  after(() => emulator.close());

  const get = (url: string, headers: Record<string, string> = {}, method = 'GET') => fetch(url, { method, headers });

  it('serves 200 with ETag, Accept-Ranges and Content-Length; 206 for a-b, a-, -n; clamps the end', async () => {
    const key = emulator.seed.ids.objects.eightMiBPlus1;
    const { url, size } = await signedUrlFor(emulator, token, key);
    const { bucketKey, objectKey } = splitKey(key);
    const expected = emulator.objectBytes(bucketKey, objectKey);

    const head = await get(url, {}, 'HEAD');
    assert.equal(head.status, 200);
    assert.equal(head.headers.get('content-length'), String(size));
    assert.equal(head.headers.get('accept-ranges'), 'bytes');
    const etag = head.headers.get('etag') as string;
    assert.match(etag, /^"[0-9a-f]{32}"$/);
    assert.match(head.headers.get('content-disposition') ?? '', /^attachment; filename=/);

    const cases: [string, number, number][] = [
      ['bytes=0-99', 0, 99],
      [`bytes=${size - 10}-`, size - 10, size - 1],
      ['bytes=-5', size - 5, size - 1],
      [`bytes=8388600-${size + 1000}`, 8388600, size - 1],
    ];
    for (const [range, start, end] of cases) {
      const response = await get(url, { range });
      assert.equal(response.status, 206, range);
      assert.equal(response.headers.get('content-range'), `bytes ${start}-${end}/${size}`);
      assert.equal(response.headers.get('etag'), etag);
      const body = Buffer.from(await response.arrayBuffer());
      assert.ok(body.equals(expected.subarray(start, end + 1)), range);
    }
    const full = Buffer.from(await (await get(url)).arrayBuffer());
    assert.equal(sha1(full), sha1(expected));
  });

  it('answers 416 with S3 XML for unsatisfiable ranges, including Json range on a 0-byte object', async () => {
    const one = await signedUrlFor(emulator, token, emulator.seed.ids.objects.oneByte);
    const beyond = await get(one.url, { range: 'bytes=1-' });
    assert.equal(beyond.status, 416);
    assert.equal(beyond.headers.get('content-range'), 'bytes */1');
    assert.match(await beyond.text(), /<Code>InvalidRange<\/Code>/);

    const empty = await signedUrlFor(emulator, token, emulator.seed.ids.objects.empty);
    assert.equal(empty.size, 0);
    assert.equal(empty.sha1, 'da39a3ee5e6b4b0d3255bfef95601890afd80709');
    for (const range of ['bytes=0-', 'bytes=0-0', 'bytes=-1']) assert.equal((await get(empty.url, { range })).status, 416, range);
    const whole = await get(empty.url);
    assert.equal(whole.status, 200);
    assert.equal(whole.headers.get('content-length'), '0');
    assert.equal((await whole.arrayBuffer()).byteLength, 0);
  });

  it('honours If-Match (412), If-None-Match (304) and If-Range', async () => {
    const { url } = await signedUrlFor(emulator, token, emulator.seed.ids.objects.oneByte);
    const etag = (await get(url, {}, 'HEAD')).headers.get('etag') as string;
    assert.equal((await get(url, { 'if-match': etag, range: 'bytes=0-0' })).status, 206);
    const failed = await get(url, { 'if-match': '"0123456789abcdef0123456789abcdef"', range: 'bytes=0-0' });
    assert.equal(failed.status, 412);
    assert.match(await failed.text(), /<Code>PreconditionFailed<\/Code>/);
    assert.equal((await get(url, { 'if-none-match': etag })).status, 304);
    assert.equal((await get(url, { 'if-range': '"other"', range: 'bytes=0-0' })).status, 200);
  });

  it('refuses expired and tampered URLs with 403 AccessDenied, checked when the request starts', async () => {
    const { url } = await signedUrlFor(emulator, token, emulator.seed.ids.objects.oneByte, '?minutesExpiration=1');
    assert.equal((await get(url)).status, 200);
    const tampered = url.replace(/X-Amz-Expires=\d+/, 'X-Amz-Expires=3600');
    const forged = await get(tampered);
    assert.equal(forged.status, 403);
    assert.match(await forged.text(), /<Code>AccessDenied<\/Code>/);

    emulator.clock.advance(61_000);
    const expired = await get(url);
    assert.equal(expired.status, 403);
    assert.match(expired.headers.get('content-type') ?? '', /xml/);
    assert.match(await expired.text(), /<Message>Request has expired<\/Message>/);

    const cdn = await signedUrlFor(emulator, token, emulator.seed.ids.objects.oneByte, '?useCdn=true&minutesExpiration=60');
    assert.match(cdn.url, /Expires=\d+&Key-Pair-Id=[^&]+&Signature=/);
    assert.equal((await get(cdn.url)).status, 200);
  });

  it('refuses a signed URL request that also carries Authorization, as S3 does, and records that one was sent', async () => {
    const { url } = await signedUrlFor(emulator, token, emulator.seed.ids.objects.oneByte);
    emulator.requests.clear();
    const refused = await get(url, { authorization: `Bearer ${token}` });
    assert.equal(refused.status, 400);
    const xml = await refused.text();
    assert.match(xml, /<Code>InvalidArgument<\/Code><Message>Only one auth mechanism allowed/);
    assert.match(xml, /<ArgumentName>Authorization<\/ArgumentName>/);
    assert.ok(!xml.includes(token), 'the credential is not echoed');
    const [entry] = emulator.requests.list({ origin: 'storage' });
    assert.equal(entry.hadAuthorization, true);
    assert.ok(entry.headerNames.includes('authorization'));
    assert.ok(!JSON.stringify(entry).includes(token));
    assert.equal((await get(url)).status, 200, 'the same URL without the header works');

    const lenient = await startEmulator({ strictness: 'lenient' });
    try {
      const lenientToken = lenient.issueToken({ scopes: ['data:read'] });
      const signed = await signedUrlFor(lenient, lenientToken, lenient.seed.ids.objects.oneByte);
      assert.equal((await get(signed.url, { authorization: `Bearer ${lenientToken}` })).status, 200, 'lenient: the header is ignored');
    } finally {
      await lenient.close();
    }
  });

  it('validates signeds3download parameters and answers 304 / 404 / chunked / fallback like OSS', async () => {
    const { bucketKey, objectKey } = splitKey(emulator.seed.ids.objects.oneByte);
    const base = `${emulator.baseUrl}/oss/v2/buckets/${bucketKey}/objects/${objectKey}/signeds3download`;
    for (const minutes of ['0', '61', 'abc']) assert.equal((await getJson(`${base}?minutesExpiration=${minutes}`, token)).status, 400);
    const etag = (await get((await signedUrlFor(emulator, token, emulator.seed.ids.objects.oneByte)).url, {}, 'HEAD')).headers.get('etag') as string;
    assert.equal((await getJson(base, token, { 'if-none-match': etag })).status, 304);
    const missing = await getJson(`${emulator.baseUrl}/oss/v2/buckets/${bucketKey}/objects/nope.rvt/signeds3download`, token);
    assert.equal(missing.status, 404);
    assert.ok(missing.body.reason);

    const chunkedItem = emulator.seed.items.find((item) => item.id === emulator.seed.ids.items.chunkedUpload)!;
    const chunkedKey = chunkedItem.versions[0].storage as string;
    const chunked = await signedUrlFor(emulator, token, chunkedKey);
    assert.equal(chunked.status, 'chunked');
    const ranges = Object.keys(chunked.urls ?? {});
    assert.equal(ranges[0], '0-5242879');
    const parts = await Promise.all(ranges.map(async (range) => Buffer.from(await (await get((chunked.urls ?? {})[range])).arrayBuffer())));
    const whole = Buffer.concat(parts);
    assert.equal(whole.length, chunked.size);
    assert.ok(whole.equals(emulator.objectBytes(...(Object.values(splitKey(chunkedKey)) as [string, string]))));

    const fallback = await signedUrlFor(emulator, token, chunkedKey, '?public-resource-fallback=true');
    assert.equal(fallback.status, 'fallback');
    const part = await get(fallback.url, { range: 'bytes=0-9' });
    assert.equal(part.status, 206);
  });

  const batch = (target: RunningEmulator, bearerToken: string, bucketKey: string, objectKeys: string[]) =>
    fetch(`${target.baseUrl}/oss/v2/buckets/${bucketKey}/objects/batchsigneds3download?minutesExpiration=10`, {
      method: 'POST',
      headers: { authorization: `Bearer ${bearerToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ requests: objectKeys.map((objectKey) => ({ objectKey })) }),
    });

  it('signs batches with batchsigneds3download in a bucket the app owns, and refuses Docs buckets (403)', async () => {
    const readme = splitKey(emulator.seed.ids.appObjects.readme);
    const response = await batch(emulator, token, readme.bucketKey, [readme.objectKey, 'missing.bin']);
    assert.equal(response.status, 200);
    const { results } = (await response.json()) as Json;
    assert.equal(results[readme.objectKey].status, 'complete');
    assert.equal(results[readme.objectKey].size, 1_234);
    assert.equal(sha1(Buffer.from(await (await get(results[readme.objectKey].url)).arrayBuffer())), results[readme.objectKey].sha1);
    assert.ok(results['missing.bin'].reason);

    const one = splitKey(emulator.seed.ids.objects.oneByte);
    const refused = await batch(emulator, token, one.bucketKey, [one.objectKey]);
    assert.equal(refused.status, 403);
    assert.equal(((await refused.json()) as Json).errorCode, 'ERR-002');

    const allowing = await startEmulator({ switches: { foreignBucketBatch: 'allow' } });
    try {
      const allowingToken = allowing.issueToken({ scopes: ['data:read'] });
      const allowed = await batch(allowing, allowingToken, one.bucketKey, [one.objectKey]);
      assert.equal(allowed.status, 200);
      const signed = ((await allowed.json()) as Json).results[one.objectKey];
      assert.equal(signed.size, 1);
      assert.equal((await get(signed.url)).status, 200);
    } finally {
      await allowing.close();
    }
  });

  it('adds and replaces objects: new ETag, size and sha1', async () => {
    const added = await emulator.addObject({ size: 100_000, seed: 7 });
    const { url } = await signedUrlFor(emulator, token, `${added.bucketKey}/${added.objectKey}`);
    const body = Buffer.from(await (await get(url)).arrayBuffer());
    assert.equal(sha1(body), added.sha1);
    const replaced = await emulator.replaceObject(added.bucketKey, added.objectKey, { size: 50_000 });
    assert.notEqual(replaced.etag, added.etag);
    assert.equal(replaced.size, 50_000);
    const again = await get(url, { 'if-match': added.etag });
    assert.equal(again.status, 412, 'the old URL now serves the new object');
    assert.equal(sha1(Buffer.from(await (await get(url)).arrayBuffer())), replaced.sha1);
  });
});
