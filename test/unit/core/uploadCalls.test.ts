// The core's upload calls against the strict emulator: storage, signed part URLs in batches of 25, completion,
// items, versions and folders by hub kind; refusals as sentences; the POSTs never repeated blindly.
import * as assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { request } from 'undici';
import { HttpClient, isApsError, type ApsClient } from '../../../src/core';
import { DataManagementWrites, EXTENSION_TYPES, extensionFamilyOf } from '../../../src/core/dm/writes';
import { partPutError, plansFolderAccepts, uploadRefusalOf, type UploadRefusal } from '../../../src/core/dm/uploadRefusals';
import { MAX_URLS_PER_CALL, MIN_PART_BYTES, planParts, SignedUpload } from '../../../src/core/oss/signedUpload';
import type { StorageLocation } from '../../../src/core/dm/ids';
import { twoLeggedClient, useEmulator } from './harness';

const MiB = 1024 * 1024;

function sha1(bytes: Buffer): string {
  return createHash('sha1').update(bytes).digest('hex');
}

/** Rejects with an ApsError carrying this refusal, whose sentence names `name`. */
async function refused(promise: Promise<unknown>, refusal: UploadRefusal, name: string): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(isApsError(error), String(error));
    assert.equal(uploadRefusalOf(error), refusal, error.message);
    assert.ok(error.userMessage.includes(`"${name}"`), error.userMessage);
    return true;
  });
}

describe('core upload calls against the emulator', function () {
  this.timeout(60_000);
  const emulator = useEmulator();
  let client: ApsClient;
  let writes: DataManagementWrites;
  let oss: SignedUpload;
  before(() => {
    client = twoLeggedClient(emulator());
    writes = new DataManagementWrites(client.http);
    oss = new SignedUpload(client.http);
  });
  after(async () => {
    await client.close();
  });

  /** PUTs each buffer to its part URL (no Authorization) and answers the ETags. */
  async function putParts(urls: { url: string }[], parts: Buffer[]): Promise<string[]> {
    const tags: string[] = [];
    for (const [index, bytes] of parts.entries()) {
      const response = await request(urls[index].url, { method: 'PUT', body: bytes, dispatcher: client.dispatcher });
      await response.body.dump();
      assert.equal(response.statusCode, 200);
      tags.push(response.headers.etag as string);
    }
    return tags;
  }

  async function uploadFile(projectId: string, folderId: string, name: string, parts: Buffer[]): Promise<StorageLocation & { urn: string }> {
    const storage = await writes.createStorage(projectId, { folderId, name });
    const signed = await oss.uploadUrls(storage, { count: parts.length });
    const eTags = await putParts(signed.parts, parts);
    await oss.complete(storage, { uploadKey: signed.uploadKey, size: parts.reduce((sum, part) => sum + part.length, 0), eTags });
    return storage;
  }

  it('uploads a file into BIM 360 as a new item and a new version, and OSS reports the bytes sent', async () => {
    const { ids } = emulator().seed;
    const folder = await writes.createFolder(ids.bim360Project, { parentId: ids.folders.level1, name: 'Core Uploads', kind: 'bim360' });
    assert.equal(folder.extensionType, EXTENSION_TYPES.bim360.folders);
    assert.equal(folder.parentId, ids.folders.level1);

    const parts = [randomBytes(MIN_PART_BYTES), randomBytes(3 * MiB + 5)];
    const storage = await writes.createStorage(ids.bim360Project, { folderId: folder.id, name: 'Tower East.rvt' });
    assert.equal(storage.bucketKey, 'wip.dm.prod');
    assert.equal(storage.urn, `urn:adsk.objects:os.object:${storage.bucketKey}/${storage.objectKey}`);
    const signed = await oss.uploadUrls(storage, { count: 2, minutesExpiration: 10 });
    assert.deepEqual(signed.parts.map((part) => part.partNumber), [1, 2]);
    assert.ok(signed.urlsExpireAt > Date.now() && (signed.uploadExpiresAt ?? 0) > signed.urlsExpireAt);
    const eTags = await putParts(signed.parts, parts);
    const completed = await oss.complete(storage, { uploadKey: signed.uploadKey, size: parts[0].length + parts[1].length, eTags, contentType: 'application/vnd.autodesk.revit' });
    assert.equal(completed.size, parts[0].length + parts[1].length);
    assert.equal(completed.contentType, 'application/vnd.autodesk.revit');

    const created = await writes.createItem(ids.bim360Project, { folderId: folder.id, name: 'Tower East.rvt', storage, kind: 'bim360' });
    assert.equal(created.item.extensionType, 'items:autodesk.bim360:File');
    assert.equal(created.item.name, 'Tower East.rvt');
    assert.equal(created.item.parentId, folder.id);
    assert.equal(created.version.versionNumber, 1);
    assert.equal(created.version.storageUrn, storage.urn);
    assert.equal(created.version.storageSize, completed.size);
    assert.equal(created.item.tipVersionId, created.version.id);

    const next = randomBytes(12_345);
    const nextStorage = await uploadFile(ids.bim360Project, folder.id, 'Tower East.rvt', [next]);
    const version = await writes.createVersion(ids.bim360Project, { itemId: created.item.id, name: 'Tower East.rvt', storage: nextStorage.urn, kind: 'bim360' });
    assert.equal(version.version.versionNumber, 2);
    assert.equal(version.item?.tipVersionId, version.version.id);

    const details = await oss.objectDetails(nextStorage);
    assert.deepEqual([details.size, details.sha1], [next.length, sha1(next)]);
    const tip = await client.dm.getTip(ids.bim360Project, created.item.id);
    assert.equal(tip.id, version.version.id);
    const listed = await client.dm.listFolderContents(ids.bim360Project, folder.id);
    assert.deepEqual(listed.map((entry) => entry.name), ['Tower East.rvt']);
    const first = await oss.objectDetails(storage);
    assert.equal(first.sha1, sha1(Buffer.concat(parts)));
  });

  it('asks for part URLs 25 at a time under one uploadKey, and re-signs parts of an upload', async () => {
    const e = emulator();
    const { ids } = e.seed;
    const storage = await writes.createStorage(ids.bim360Project, { folderId: ids.folders.level2, name: 'Big.nwd' });
    e.requests.clear();
    const signed = await oss.uploadUrls(storage, { count: 60 });
    assert.deepEqual(signed.parts.map((part) => part.partNumber), Array.from({ length: 60 }, (_, index) => index + 1));
    const calls = e.requests.list({ method: 'GET', path: /signeds3upload$/ });
    assert.deepEqual(
      calls.map((call) => [call.query.parts, call.query.firstPart, call.query.uploadKey === undefined ? 'new' : 'same']),
      [['25', '1', 'new'], ['25', '26', 'same'], ['10', '51', 'same']],
    );
    assert.equal(MAX_URLS_PER_CALL, 25);
    const again = await oss.uploadUrls(storage, { firstPart: 7, count: 2, uploadKey: signed.uploadKey });
    assert.equal(again.uploadKey, signed.uploadKey);
    assert.deepEqual(again.parts.map((part) => part.partNumber), [7, 8]);
    assert.match(again.parts[0].url, /partNumber=7/);
  });

  it('picks extension types by hub kind: a personal hub gets autodesk.core types', async () => {
    const e = emulator();
    const { ids } = e.seed;
    assert.deepEqual(['bim360', 'acc', 'personal', 'fusion', 'unknown'].map((kind) => extensionFamilyOf(kind as never)), ['bim360', 'bim360', 'core', 'core', 'core']);
    // A signed-in user's token (personal hubs are not seen by the app alone).
    const asUser = e.issueToken({ scopes: ['data:read', 'data:write', 'data:create'], userId: ids.users.demo });
    const http = new HttpClient({ dispatcher: client.dispatcher, baseUrl: e.baseUrl, authorizer: { getAccessToken: async () => asUser, onUnauthorized: async () => false } });
    const personal = new DataManagementWrites(http);
    const folder = await personal.createFolder(ids.personalProject, { parentId: ids.folders.personalRoot, name: 'Core Family', kind: 'personal' });
    assert.equal(folder.extensionType, 'folders:autodesk.core:Folder');
    await assert.rejects(personal.createFolder(ids.personalProject, { parentId: folder.id, name: 'Wrong Family', kind: 'acc' }), (error: unknown) => isApsError(error) && error.status === 400);
  });

  it('says what went wrong, naming the file: a taken name, no permission, the Plans folder, a refused name', async () => {
    const e = emulator();
    const { ids } = e.seed;
    const storage = await uploadFile(ids.bim360Project, ids.folders.level3, 'Refusals.dwg', [randomBytes(10)]);
    await refused(writes.createItem(ids.bim360Project, { folderId: ids.folders.bim360ProjectFiles, name: 'Notes.txt', storage, kind: 'bim360' }), 'NAME_EXISTS', 'Notes.txt');
    await refused(writes.createFolder(ids.bim360Project, { parentId: ids.folders.bim360ProjectFiles, name: 'Level 1', kind: 'bim360' }), 'NAME_EXISTS', 'Level 1');
    await refused(writes.createItem(ids.bim360Project, { folderId: ids.folders.bim360Plans, name: 'readme.txt', storage, kind: 'bim360' }), 'PLANS_FILE_TYPE', 'readme.txt');
    assert.deepEqual(['a.PDF', 'b.dwfx', 'c.txt', 'rvt'].map(plansFolderAccepts), [true, true, false, false]);
    await refused(writes.createFolder(ids.bim360Project, { parentId: ids.folders.level3, name: 'a:b', kind: 'bim360' }), 'NAME_REFUSED', 'a:b');

    const viewer = twoLeggedClient(e, undefined, { userId: ids.users.demo });
    try {
      const archive = e.seed.projects.find((project) => project.id === ids.bim360ArchiveProject)!;
      const viewerWrites = new DataManagementWrites(viewer.http);
      await refused(viewerWrites.createStorage(archive.id, { folderId: archive.topFolderIds[0], name: 'Old.rvt' }), 'NO_PERMISSION', 'Old.rvt');
      await refused(viewerWrites.createFolder(archive.id, { parentId: archive.topFolderIds[0], name: 'New', kind: 'bim360' }), 'NO_PERMISSION', 'New');
    } finally {
      await viewer.close();
    }
  });

  it('says when parts were too small, when the upload is gone, and when a part URL expired', async () => {
    const e = emulator();
    const { ids } = e.seed;
    const storage = await writes.createStorage(ids.bim360Project, { folderId: ids.folders.level3, name: 'Small Parts.dwg' });
    const signed = await oss.uploadUrls(storage, { count: 2 });
    await putParts(signed.parts, [randomBytes(100), randomBytes(100)]);
    await refused(oss.complete(storage, { uploadKey: signed.uploadKey }, { name: 'Small Parts.dwg' }), 'PART_TOO_SMALL', 'Small Parts.dwg');
    await refused(oss.uploadUrls(storage, { uploadKey: 'no-longer-known' }, { name: 'Small Parts.dwg' }), 'UPLOAD_EXPIRED', 'Small Parts.dwg');

    e.faults.add({ kind: 'expireSignedUrl', method: 'PUT', count: 1 });
    const response = await request(signed.parts[0].url, { method: 'PUT', body: randomBytes(10), dispatcher: client.dispatcher });
    const error = partPutError(response.statusCode, await response.body.text(), { what: 'part', name: 'Small Parts.dwg', partNumber: 1 });
    assert.equal(uploadRefusalOf(error), 'PART_URL_EXPIRED');
    assert.match(error.userMessage, /part 1 of "Small Parts.dwg" expired/);
    assert.doesNotMatch(error.message + error.userMessage, /X-Amz-Signature/i, 'no signature in the sentence');
  });

  it('never repeats a POST that may have reached APS: a lost answer or a 5xx fails once; a 429 (not processed) is retried', async () => {
    const e = emulator();
    const { ids } = e.seed;
    const storage = await uploadFile(ids.bim360Project, ids.folders.level4, 'Once.dwg', [randomBytes(10)]);
    e.requests.clear();
    e.faults.add({ kind: 'loseAnswer', method: 'POST', path: '/data/v1/projects/*/items', count: 1 });
    await assert.rejects(writes.createItem(ids.bim360Project, { folderId: ids.folders.level4, name: 'Once.dwg', storage, kind: 'bim360' }), (error: unknown) => isApsError(error) && error.kind === 'network');
    assert.equal(e.requests.list({ method: 'POST', path: /\/items$/ }).length, 1, 'sent once');
    const listed = await client.dm.listFolderContents(ids.bim360Project, ids.folders.level4);
    assert.equal(listed.filter((entry) => entry.name === 'Once.dwg').length, 1, 'and it happened');

    const next = await uploadFile(ids.bim360Project, ids.folders.level4, 'Twice.dwg', [randomBytes(10)]);
    e.requests.clear();
    e.faults.add({ kind: 'status', status: 503, method: 'POST', path: '/data/v1/projects/*/folders', count: 1 });
    await assert.rejects(writes.createFolder(ids.bim360Project, { parentId: ids.folders.level4, name: 'Once', kind: 'bim360' }), (error: unknown) => isApsError(error) && error.status === 503);
    e.faults.add({ kind: 'status', status: 502, method: 'POST', path: '^/oss/.*/signeds3upload$', count: 1 });
    await assert.rejects(oss.complete(next, { uploadKey: 'whatever' }), (error: unknown) => isApsError(error) && error.status === 502);
    assert.equal(e.requests.list({ method: 'POST' }).length, 2, 'neither was repeated');

    e.requests.clear();
    e.faults.add({ kind: 'status', status: 429, retryAfter: 0, method: 'POST', path: '/data/v1/projects/*/items', count: 1 });
    e.faults.add({ kind: 'status', status: 503, method: 'GET', path: '/oss/**', count: 1 });
    const item = await writes.createItem(ids.bim360Project, { folderId: ids.folders.level4, name: 'Twice.dwg', storage: next, kind: 'bim360' });
    assert.equal(item.version.versionNumber, 1);
    assert.deepEqual(e.requests.list({ method: 'POST', path: /\/items$/ }).map((entry) => entry.status), [429, 201]);
    const signed = await oss.uploadUrls(next, { count: 1 });
    assert.equal(signed.parts.length, 1, 'GET signeds3upload is retried after a 5xx');
    assert.deepEqual(e.requests.list({ method: 'GET', path: /signeds3upload$/ }).map((entry) => entry.status), [503, 200]);
  });

  it('uploads into an EMEA project: its bucket is named by region', async () => {
    const e = emulator();
    const { ids } = e.seed;
    const bytes = randomBytes(4096);
    const storage = await uploadFile(ids.emeaProject, ids.folders.emeaProjectFiles, 'Berlin Annex.rvt', [bytes]);
    assert.equal(storage.bucketKey, 'wip.dm.emea.2');
    const created = await writes.createItem(ids.emeaProject, { folderId: ids.folders.emeaProjectFiles, name: 'Berlin Annex.rvt', storage, kind: 'bim360' });
    assert.match(created.item.id, /^urn:adsk\.wipemea:/);
    assert.equal((await oss.objectDetails(storage)).sha1, sha1(bytes));
  });

  it('plans parts: at least 5 MiB, grown until 10,000 parts hold the file', () => {
    assert.deepEqual(planParts(0), { partSize: MIN_PART_BYTES, count: 1 });
    assert.deepEqual(planParts(MIN_PART_BYTES + 1, MiB), { partSize: MIN_PART_BYTES, count: 2 });
    assert.deepEqual(planParts(64 * MiB, 16 * MiB), { partSize: 16 * MiB, count: 4 });
    const huge = planParts(100 * 1024 * MiB);
    assert.equal(huge.partSize, 11 * MiB);
    assert.ok(huge.count <= 10_000);
    assert.throws(() => planParts(10_000 * 5 * 1024 * MiB + 1), /10000 parts/);
    assert.throws(() => planParts(-1), RangeError);
  });
});
