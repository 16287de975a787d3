// Faults on the upload path: a part cut mid-body, a 5xx on a part, an expired part URL, a stalled part, a capped
// part, and answers to POST items / versions / folders lost after they were processed.
import { strict as assert } from 'node:assert';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type RunningEmulator } from '../../emulator/index';
import { folderPayload, itemPayload, versionPayload } from '../../../src/core/dm/writes';
import { enc, getJson, type Json } from './helpers';
import { completeUpload, createStorage, dataPath, MiB, postJsonApi, putPart, signUpload, uploadParts } from './uploadHelpers';

const WRITE_SCOPES = ['data:read', 'data:write', 'data:create'];

function md5Tag(bytes: Buffer): string {
  return `"${createHash('md5').update(bytes).digest('hex')}"`;
}

describe('emulator: faults on the upload path', function () {
  this.timeout(60_000);
  let emulator: RunningEmulator;
  let uploadDir: string;
  let token: string;
  before(async () => {
    uploadDir = mkdtempSync(join(tmpdir(), 'emulator-upload-faults-'));
    emulator = await startEmulator({ uploadDir });
    token = emulator.issueToken({ scopes: WRITE_SCOPES });
  });
  afterEach(() => emulator.faults.clear());
  after(async () => {
    await emulator.close();
    rmSync(uploadDir, { recursive: true, force: true });
  });

  const partFiles = () => readdirSync(join(uploadDir, readdirSync(uploadDir)[0]));

  /** POST storage in Level 1 and one signed part URL. */
  const openUpload = async (name: string, parts = 1) => {
    const { ids } = emulator.seed;
    const { urn, bucketKey, objectKey } = await createStorage(emulator, token, { projectId: ids.bim360Project, folderId: ids.folders.level1, name });
    const signed = await signUpload(emulator, token, bucketKey, objectKey, { parts, minutesExpiration: 10 });
    return { urn, bucketKey, objectKey, uploadKey: signed.body.uploadKey as string, urls: signed.body.urls as string[] };
  };

  it('a connection reset mid-part keeps nothing of it; the part sent again is what the object holds', async () => {
    await uploadParts(emulator, token, { projectId: emulator.seed.ids.bim360Project, folderId: emulator.seed.ids.folders.level1, name: 'warm-up.bin' }, [randomBytes(10)]);
    const before = partFiles().length;
    const upload = await openUpload('reset.bin');
    const fault = emulator.faults.add({ kind: 'reset', origin: 'storage', method: 'PUT', afterBytes: MiB, count: 1 });
    await assert.rejects(putPart(upload.urls[0], randomBytes(3 * MiB)), 'the PUT fails mid-body');
    assert.equal(emulator.faults.list().some((entry) => entry.id === fault), false, 'the fault was used');
    assert.equal(partFiles().length, before, 'the cut part left no file behind');
    const bytes = randomBytes(3 * MiB);
    const again = await putPart(upload.urls[0], bytes);
    assert.equal(again.status, 200);
    assert.equal(again.headers.get('etag'), md5Tag(bytes));
    const done = await completeUpload(emulator, token, upload.bucketKey, upload.objectKey, { uploadKey: upload.uploadKey, size: bytes.length });
    assert.equal(done.status, 200);
    assert.ok(emulator.objectBytes(upload.bucketKey, upload.objectKey).equals(bytes));
  });

  it('a 5xx on a part is answered (after the body) and the part can be sent again', async () => {
    const upload = await openUpload('five-hundred.bin');
    emulator.faults.add({ kind: 'status', status: 503, origin: 'storage', method: 'PUT', count: 1 });
    const refused = await putPart(upload.urls[0], randomBytes(2 * MiB));
    assert.equal(refused.status, 503);
    assert.match(refused.body, /<Code>SlowDown<\/Code>/);
    const bytes = randomBytes(2 * MiB);
    assert.equal((await putPart(upload.urls[0], bytes)).status, 200);
    assert.equal((await completeUpload(emulator, token, upload.bucketKey, upload.objectKey, { uploadKey: upload.uploadKey })).body.size, bytes.length);
  });

  it('an expired part URL is refused; the same uploadKey signs it again', async () => {
    const upload = await openUpload('expired.bin');
    emulator.faults.add({ kind: 'expireSignedUrl', method: 'PUT', count: 1 });
    const expired = await putPart(upload.urls[0], randomBytes(1000));
    assert.equal(expired.status, 403);
    assert.match(expired.body, /Request has expired/);
    const resigned = await signUpload(emulator, token, upload.bucketKey, upload.objectKey, { uploadKey: upload.uploadKey });
    assert.equal((await putPart(resigned.body.urls[0], randomBytes(1000))).status, 200);
  });

  it('a stalled part is never answered and never kept', async () => {
    const upload = await openUpload('stall.bin');
    const fault = emulator.faults.add({ kind: 'stall', origin: 'storage', method: 'PUT', afterBytes: 64 * 1024, count: 1 });
    const abort = new AbortController();
    const sent = fetch(upload.urls[0], { method: 'PUT', body: randomBytes(MiB), signal: abort.signal });
    // The gate: the emulator has taken the fault for this PUT.
    while (emulator.faults.list().some((entry) => entry.id === fault)) await new Promise((resolve) => setTimeout(resolve, 5));
    abort.abort();
    await assert.rejects(sent);
    const refused = await completeUpload(emulator, token, upload.bucketKey, upload.objectKey, { uploadKey: upload.uploadKey });
    assert.equal(refused.status, 400);
    assert.match(refused.body.reason, /No part/);
  });

  it('a bandwidth cap applies to the part body, which arrives whole', async () => {
    const upload = await openUpload('capped.bin');
    const fault = emulator.faults.add({ kind: 'bandwidth', origin: 'storage', method: 'PUT', bytesPerSecond: 16 * MiB, count: 1 });
    const bytes = randomBytes(MiB);
    const put = await putPart(upload.urls[0], bytes);
    assert.equal(put.headers.get('etag'), md5Tag(bytes));
    assert.equal(emulator.faults.list().some((entry) => entry.id === fault), false);
  });

  it('loseAnswer: POST items, versions and folders happen, and the client hears nothing', async () => {
    const { ids } = emulator.seed;
    const folderId = ids.folders.level2;
    const uploaded = await uploadParts(emulator, token, { projectId: ids.bim360Project, folderId, name: 'Lost.dwg' }, [randomBytes(100)]);
    emulator.faults.add({ kind: 'loseAnswer', method: 'POST', path: '/data/v1/projects/*/items', count: 1 });
    await assert.rejects(postJsonApi(emulator, token, dataPath(ids.bim360Project, 'items'), itemPayload({ folderId, name: 'Lost.dwg', storage: uploaded.urn, kind: 'bim360' })));
    const listing = await getJson(`${emulator.baseUrl}/data/v1/projects/${ids.bim360Project}/folders/${enc(folderId)}/contents`, token);
    const created = listing.body.data.filter((entry: Json) => entry.type === 'items' && entry.attributes.displayName === 'Lost.dwg');
    assert.equal(created.length, 1, 'the item was created once');
    const retried = await postJsonApi(emulator, token, dataPath(ids.bim360Project, 'items'), itemPayload({ folderId, name: 'Lost.dwg', storage: uploaded.urn, kind: 'bim360' }));
    assert.equal(retried.status, 409, 'a blind retry meets the name');

    const next = await uploadParts(emulator, token, { projectId: ids.bim360Project, folderId, name: 'Lost.dwg' }, [randomBytes(200)]);
    emulator.faults.add({ kind: 'loseAnswer', method: 'POST', path: '/data/v1/projects/*/versions', count: 1 });
    const body = versionPayload({ itemId: created[0].id, name: 'Lost.dwg', storage: next.urn, kind: 'bim360' });
    await assert.rejects(postJsonApi(emulator, token, dataPath(ids.bim360Project, 'versions'), body));
    const tip = await getJson(`${emulator.baseUrl}/data/v1/projects/${ids.bim360Project}/items/${enc(created[0].id)}/tip`, token);
    assert.equal(tip.body.data.attributes.versionNumber, 2);
    assert.equal(tip.body.data.relationships.storage.data.id, next.urn, 'the tip shows the lost version\'s storage');
    const duplicate = await postJsonApi(emulator, token, dataPath(ids.bim360Project, 'versions'), body);
    assert.equal(duplicate.body.data.attributes.versionNumber, 3, 'APS is not known to refuse it: a blind retry duplicates the version');

    emulator.faults.add({ kind: 'loseAnswer', method: 'POST', path: '/data/v1/projects/*/folders', count: 1 });
    await assert.rejects(postJsonApi(emulator, token, dataPath(ids.bim360Project, 'folders'), folderPayload({ parentId: folderId, name: 'Lost Folder', kind: 'bim360' })));
    const again = await postJsonApi(emulator, token, dataPath(ids.bim360Project, 'folders'), folderPayload({ parentId: folderId, name: 'Lost Folder', kind: 'bim360' }));
    assert.equal(again.status, 409);
    assert.throws(() => emulator.faults.add({ kind: 'loseAnswer', origin: 'storage' }), /api origin only/);
  });
});
