// OSS signed downloads against the emulator: single (complete, chunked, fallback) and batch.
import * as assert from 'node:assert/strict';
import { request } from 'undici';
import { isApsError, parseStorageUrn, type StorageLocation } from '../../../src/core';
import { regionOfBucket } from '../../../src/core/oss/signedDownload';
import { tipVersionId, twoLeggedClient, useEmulator } from './harness';

describe('core/oss against the emulator', function () {
  const emulator = useEmulator();
  let client: ReturnType<typeof twoLeggedClient>;
  before(() => {
    client = twoLeggedClient(emulator());
  });
  after(async () => {
    await client.close();
  });

  async function storageOf(itemId: string): Promise<StorageLocation> {
    const { ids } = emulator().seed;
    const version = await client.dm.getVersion(ids.bim360Project, tipVersionId(emulator(), itemId));
    assert.ok(version.storage, 'version has storage');
    return version.storage;
  }

  it('signs a complete object whose URL serves exactly its bytes without Authorization', async () => {
    const e = emulator();
    const location = await storageOf(e.seed.ids.items.notesTxt);
    const signed = await client.oss.signedDownload(location, { minutesExpiration: 5 });
    const described = await e.describeObject(location.bucketKey, location.objectKey);
    assert.equal(signed.status, 'complete');
    assert.equal(signed.size, described.size);
    assert.equal(signed.sha1, described.sha1);
    assert.ok(signed.url?.startsWith(e.storageUrl));
    assert.ok(signed.expiresAt > Date.now() + 4 * 60_000);
    const response = await request(signed.url!, { dispatcher: client.dispatcher });
    const body = Buffer.from(await response.body.arrayBuffer());
    assert.equal(response.statusCode, 200);
    assert.deepEqual(body, e.objectBytes(location.bucketKey, location.objectKey));
  });

  it('returns the chunk URLs of an unmerged upload in order, covering every byte, or one fallback URL', async () => {
    const e = emulator();
    const location = await storageOf(e.seed.ids.items.chunkedUpload);
    const chunked = await client.oss.signedDownload(location);
    assert.equal(chunked.status, 'chunked');
    assert.ok(chunked.chunks && chunked.chunks.length > 1);
    let next = 0;
    for (const chunk of chunked.chunks) {
      assert.equal(chunk.start, next);
      next = chunk.end + 1;
    }
    assert.equal(next, chunked.size);
    const fallback = await client.oss.signedDownload(location, { publicResourceFallback: true });
    assert.equal(fallback.status, 'fallback');
    assert.ok(fallback.url);
  });

  it('signs Docs objects one by one (OSS refuses batches on buckets the app does not own) and reports the ones it could not sign', async () => {
    const e = emulator();
    const notes = await storageOf(e.seed.ids.items.notesTxt);
    const logo = await storageOf(e.seed.ids.items.logoPng);
    assert.equal(notes.bucketKey, logo.bucketKey);
    e.requests.clear();
    const results = await client.oss.batchSignedDownload(notes.bucketKey, [{ objectKey: notes.objectKey }, { objectKey: logo.objectKey }, { objectKey: 'missing.bin' }]);
    assert.deepEqual(results.map((result) => result.objectKey), [notes.objectKey, logo.objectKey, 'missing.bin']);
    assert.equal(results[0].download?.status, 'complete');
    assert.equal(results[0].download?.sha1, (await e.describeObject(notes.bucketKey, notes.objectKey)).sha1);
    assert.equal(results[1].download?.size, (await e.describeObject(logo.bucketKey, logo.objectKey)).size);
    assert.equal(results[2].download, undefined);
    assert.match(results[2].error ?? '', /exist/);
    assert.equal(e.requests.list({ path: '/batchsigneds3download' }).length, 0, 'no batch that OSS would refuse');
    assert.equal(e.requests.list({ path: '/signeds3download' }).length, 3);
  });

  it('batches in a bucket the app owns, and signs one by one when OSS refuses the batch (403)', async () => {
    const e = emulator();
    const [bucketKey, readme] = e.seed.ids.appObjects.readme.split('/');
    const model = e.seed.ids.appObjects.model.slice(bucketKey.length + 1);
    e.requests.clear();
    const batched = await client.oss.batchSignedDownload(bucketKey, [{ objectKey: readme }, { objectKey: model }]);
    assert.deepEqual(batched.map((result) => result.download?.size), [1_234, 300_007]);
    assert.equal(e.requests.list({ path: '/batchsigneds3download' }).length, 1);
    assert.equal(e.requests.list({ path: '/signeds3download' }).length, 0);

    e.faults.add({ kind: 'status', status: 403, path: '**/batchsigneds3download', count: 1 });
    e.requests.clear();
    const refused = await client.oss.batchSignedDownload(bucketKey, [{ objectKey: readme }, { objectKey: model }]);
    assert.deepEqual(refused.map((result) => result.download?.sha1), [
      (await e.describeObject(bucketKey, readme)).sha1,
      (await e.describeObject(bucketKey, model)).sha1,
    ]);
    assert.equal(e.requests.list({ path: '/batchsigneds3download' }).length, 1);
    assert.equal(e.requests.list({ path: '/signeds3download' }).length, 2);
  });

  it('names the region of EMEA and AUS Docs objects in x-ads-region, and of none in the US', async () => {
    const e = emulator();
    for (const [projectId, itemId, region] of [
      [e.seed.ids.emeaProject, e.seed.ids.items.emeaModelRvt, 'EMEA'],
      [e.seed.ids.ausProject, e.seed.ids.items.ausDrawingDwg, 'AUS'],
      [e.seed.ids.bim360Project, e.seed.ids.items.notesTxt, undefined],
    ] as const) {
      const version = await client.dm.getVersion(projectId, tipVersionId(e, itemId));
      const location = version.storage!;
      assert.equal(regionOfBucket(location.bucketKey), region ?? 'US');
      e.requests.clear();
      const signed = await client.oss.signedDownload(location);
      const [sent] = e.requests.list({ path: '/signeds3download' });
      assert.equal(sent.headerNames.includes('x-ads-region'), region !== undefined, location.bucketKey);
      assert.equal(signed.sha1, (await e.describeObject(location.bucketKey, location.objectKey)).sha1);
    }
  });

  it('turns OSS {reason} errors into ApsErrors', async () => {
    const location = await storageOf(emulator().seed.ids.items.notesTxt);
    await assert.rejects(client.oss.signedDownload(location, { minutesExpiration: 61 }), (error: unknown) => isApsError(error) && error.status === 400 && /minutesExpiration/.test(error.detail ?? ''));
    await assert.rejects(client.oss.signedDownload({ bucketKey: location.bucketKey, objectKey: 'nope.bin' }), (error: unknown) => isApsError(error) && error.status === 404);
  });

  it('parses the storage URN of a version into the location signeds3download needs', async () => {
    const e = emulator();
    const seeded = e.seed.items.find((item) => item.id === e.seed.ids.items.notesTxt)!;
    const key = seeded.versions[seeded.versions.length - 1].storage!;
    assert.deepEqual(parseStorageUrn(`urn:adsk.objects:os.object:${key}`), await storageOf(e.seed.ids.items.notesTxt));
  });
});
