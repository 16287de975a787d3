// The Data Management "Upload a File" flow against the strict emulator over plain HTTP: storage, signed part
// URLs, part PUTs, completion, items, versions and folders, and what APS refuses along the way.
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { APS_RATE_LIMITS } from '../../emulator/api/rateLimits';
import { startEmulator, type RunningEmulator } from '../../emulator/index';
import { folderPayload, itemPayload, versionPayload } from '../../../src/core/dm/writes';
import { enc, getJson, sha1, type Json } from './helpers';
import { completeUpload, createStorage, dataPath, MiB, postJsonApi, putPart, signUpload, splitUrn, uploadParts } from './uploadHelpers';

const WRITE_SCOPES = ['data:read', 'data:write', 'data:create'];

describe('emulator: "Upload a File" flow', function () {
  this.timeout(60_000);
  let emulator: RunningEmulator;
  let uploadDir: string;
  let app: string;
  before(async () => {
    uploadDir = mkdtempSync(join(tmpdir(), 'emulator-upload-test-'));
    emulator = await startEmulator({ uploadDir });
  });
  // Fresh each time: one test moves the emulator's clock a day ahead.
  beforeEach(() => {
    app = emulator.issueToken({ scopes: WRITE_SCOPES });
  });
  after(async () => {
    await emulator.close();
    rmSync(uploadDir, { recursive: true, force: true });
  });
  afterEach(() => emulator.faults.clear());

  const ids = () => emulator.seed.ids;
  const contentsOf = async (projectId: string, folderId: string, token = app) => {
    const listing = await getJson(`${emulator.baseUrl}/data/v1/projects/${enc(projectId)}/folders/${enc(folderId)}/contents`, token);
    assert.equal(listing.status, 200);
    return listing.body;
  };

  it('uploads three parts into BIM 360, creates the item, and serves exactly those bytes (sha1, size, ranges)', async () => {
    const { bim360Project, folders } = ids();
    const parts = [randomBytes(5 * MiB), randomBytes(5 * MiB), randomBytes(MiB + 7)];
    const whole = Buffer.concat(parts);
    const uploaded = await uploadParts(emulator, app, { projectId: bim360Project, folderId: folders.level4, name: 'Upload Test.rvt' }, parts);
    assert.equal(uploaded.bucketKey, 'wip.dm.prod');
    assert.match(uploaded.objectKey, /^[0-9a-f-]{36}\.rvt$/);
    assert.equal(uploaded.completed.status, 200);
    assert.deepEqual(uploaded.completed.body, {
      bucketKey: 'wip.dm.prod',
      objectId: uploaded.urn,
      objectKey: uploaded.objectKey,
      size: whole.length,
      contentType: 'application/octet-stream',
      location: `${emulator.baseUrl}/oss/v2/buckets/wip.dm.prod/objects/${enc(uploaded.objectKey)}`,
    });
    assert.match(uploaded.etags[0], /^"[0-9a-f]{32}"$/, 'each part PUT answers its md5 as ETag');
    assert.ok(readdirSync(uploadDir).length > 0, 'the bytes are kept on disk');

    const created = await postJsonApi(emulator, app, dataPath(bim360Project, 'items'), itemPayload({ folderId: folders.level4, name: 'Upload Test.rvt', storage: uploaded.urn, kind: 'bim360' }));
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const item = created.body.data;
    const version = created.body.included[0];
    assert.equal(item.attributes.extension.type, 'items:autodesk.bim360:File');
    assert.equal(version.attributes.extension.type, 'versions:autodesk.bim360:File');
    assert.equal(version.attributes.versionNumber, 1);
    assert.equal(version.attributes.storageSize, whole.length);
    assert.equal(version.attributes.fileType, 'rvt');
    assert.equal(version.relationships.storage.data.id, uploaded.urn);
    assert.equal(item.relationships.tip.data.id, version.id);
    assert.match(item.id, /^urn:adsk\.wipprod:dm\.lineage:/);

    const listing = await contentsOf(bim360Project, folders.level4);
    const listed = listing.data.find((entry: Json) => entry.id === item.id);
    assert.ok(listed, 'the new item is in the folder contents');
    assert.equal(listing.included.find((entry: Json) => entry.id === version.id).attributes.storageSize, whole.length);
    const tip = await getJson(`${emulator.baseUrl}/data/v1/projects/${bim360Project}/items/${enc(item.id)}/tip`, app);
    assert.equal(tip.body.data.id, version.id);

    const signed = await getJson(`${emulator.baseUrl}/oss/v2/buckets/wip.dm.prod/objects/${enc(uploaded.objectKey)}/signeds3download`, app);
    assert.equal(signed.body.status, 'complete');
    assert.equal(signed.body.size, whole.length);
    assert.equal(signed.body.sha1, sha1(whole));
    const served = Buffer.from(await (await fetch(signed.body.url)).arrayBuffer());
    assert.ok(served.equals(whole), 'GET serves exactly the uploaded bytes');
    const range = await fetch(signed.body.url, { headers: { range: `bytes=${5 * MiB - 3}-${5 * MiB + 2}` } });
    assert.equal(range.status, 206);
    assert.ok(Buffer.from(await range.arrayBuffer()).equals(whole.subarray(5 * MiB - 3, 5 * MiB + 3)), 'a range across two parts');
    const details = await getJson(`${emulator.baseUrl}/oss/v2/buckets/wip.dm.prod/objects/${enc(uploaded.objectKey)}/details`, app);
    assert.equal(details.body.size, whole.length);
    assert.equal(details.body.sha1, sha1(whole));
    assert.ok(emulator.objectBytes('wip.dm.prod', uploaded.objectKey).equals(whole));
  });

  it('adds a new version to an item, and lists it newest first with its own bytes', async () => {
    const { bim360Project, folders } = ids();
    const first = await uploadParts(emulator, app, { projectId: bim360Project, folderId: folders.level3, name: 'Versioned.dwg' }, [randomBytes(1000)]);
    const created = await postJsonApi(emulator, app, dataPath(bim360Project, 'items'), itemPayload({ folderId: folders.level3, name: 'Versioned.dwg', storage: first.urn, kind: 'bim360' }));
    const itemId: string = created.body.data.id;
    const second = randomBytes(2 * MiB + 1);
    const next = await uploadParts(emulator, app, { projectId: bim360Project, folderId: folders.level3, name: 'Versioned.dwg' }, [second]);
    const version = await postJsonApi(emulator, app, dataPath(bim360Project, 'versions'), versionPayload({ itemId, name: 'Versioned.dwg', storage: next.urn, kind: 'bim360' }));
    assert.equal(version.status, 201, JSON.stringify(version.body));
    assert.equal(version.body.data.attributes.versionNumber, 2);
    assert.equal(version.body.data.id, itemId.replace('dm.lineage:', 'fs.file:vf.') + '?version=2');
    assert.equal(version.body.included[0].id, itemId);
    assert.equal(version.body.included[0].relationships.tip.data.id, version.body.data.id);
    const versions = await getJson(`${emulator.baseUrl}/data/v1/projects/${bim360Project}/items/${enc(itemId)}/versions`, app);
    assert.deepEqual(versions.body.data.map((entry: Json) => entry.attributes.versionNumber), [2, 1]);
    assert.equal(versions.body.data[0].attributes.storageSize, second.length);
    const { bucketKey, objectKey } = splitUrn(versions.body.data[0].relationships.storage.data.id);
    assert.equal((await emulator.describeObject(bucketKey, objectKey)).sha1, sha1(second));
    assert.ok(!emulator.seed.items.some((seeded) => seeded.id === itemId), 'the shared seed is untouched');
  });

  it('creates folders with the hub kind\'s extension type, and files in a personal hub take autodesk.core types', async () => {
    const { personalProject, bim360Project, folders, users } = ids();
    const user = emulator.issueToken({ scopes: WRITE_SCOPES, userId: users.demo });
    const folder = await postJsonApi(emulator, user, dataPath(personalProject, 'folders'), folderPayload({ parentId: folders.personalRoot, name: 'Uploads', kind: 'personal' }));
    assert.equal(folder.status, 201, JSON.stringify(folder.body));
    assert.equal(folder.body.data.attributes.extension.type, 'folders:autodesk.core:Folder');
    const bytes = randomBytes(4096);
    const uploaded = await uploadParts(emulator, user, { projectId: personalProject, folderId: folder.body.data.id, name: 'notes.txt' }, [bytes]);
    const created = await postJsonApi(emulator, user, dataPath(personalProject, 'items'), itemPayload({ folderId: folder.body.data.id, name: 'notes.txt', storage: uploaded.urn, kind: 'personal' }));
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.data.attributes.extension.type, 'items:autodesk.core:File');
    assert.equal(created.body.data.attributes.createUserId, users.demo);
    const root = await contentsOf(personalProject, folders.personalRoot, user);
    assert.ok(root.data.some((entry: Json) => entry.id === folder.body.data.id && entry.attributes.objectCount === 1));

    const wrongFamily = await postJsonApi(emulator, app, dataPath(bim360Project, 'folders'), folderPayload({ parentId: folders.level1, name: 'Core Folder', kind: 'personal' }));
    assert.equal(wrongFamily.status, 400);
    assert.match(wrongFamily.body.errors[0].detail, /folders:autodesk\.bim360:Folder/);
    const nested = await postJsonApi(emulator, app, dataPath(bim360Project, 'folders'), folderPayload({ parentId: folders.level1, name: 'Drawings', kind: 'acc' }));
    assert.equal(nested.status, 201);
    assert.equal(nested.body.data.relationships.parent.data.id, folders.level1);
  });

  it('refuses a wrong extension type for items and versions, and a missing storage or one never completed', async () => {
    const { bim360Project, folders } = ids();
    const uploaded = await uploadParts(emulator, app, { projectId: bim360Project, folderId: folders.level2, name: 'Family.dwg' }, [randomBytes(10)]);
    const core = await postJsonApi(emulator, app, dataPath(bim360Project, 'items'), itemPayload({ folderId: folders.level2, name: 'Family.dwg', storage: uploaded.urn, kind: 'fusion' }));
    assert.equal(core.status, 400);
    assert.match(core.body.errors[0].detail, /items:autodesk\.bim360:File/);

    const storage = await createStorage(emulator, app, { projectId: bim360Project, folderId: folders.level2, name: 'Never.dwg' });
    const incomplete = await postJsonApi(emulator, app, dataPath(bim360Project, 'items'), itemPayload({ folderId: folders.level2, name: 'Never.dwg', storage: storage.urn, kind: 'bim360' }));
    assert.equal(incomplete.status, 400);
    assert.match(incomplete.body.errors[0].detail, /never completed/);
    const foreign = await postJsonApi(emulator, app, dataPath(bim360Project, 'items'), itemPayload({ folderId: folders.level2, name: 'Other.dwg', storage: `urn:adsk.objects:os.object:${emulator.seed.ids.objects.oneByte}`, kind: 'bim360' }));
    assert.equal(foreign.status, 400);
    const notJsonApi = await postJsonApi(emulator, app, dataPath(bim360Project, 'items'), {}, { 'content-type': 'application/json' });
    assert.equal(notJsonApi.status, 400);
  });

  it('answers 409 for a name already in the folder (ignoring case), and 400 for reserved names', async () => {
    const { bim360Project, folders } = ids();
    const uploaded = await uploadParts(emulator, app, { projectId: bim360Project, folderId: folders.bim360ProjectFiles, name: 'tower.RVT' }, [randomBytes(10)]);
    const clash = await postJsonApi(emulator, app, dataPath(bim360Project, 'items'), itemPayload({ folderId: folders.bim360ProjectFiles, name: 'tower.RVT', storage: uploaded.urn, kind: 'bim360' }));
    assert.equal(clash.status, 409);
    assert.equal(clash.body.errors[0].code, 'CONFLICT');
    const folderClash = await postJsonApi(emulator, app, dataPath(bim360Project, 'folders'), folderPayload({ parentId: folders.bim360ProjectFiles, name: 'level 1', kind: 'bim360' }));
    assert.equal(folderClash.status, 409);
    const rename = await postJsonApi(emulator, app, dataPath(bim360Project, 'versions'), versionPayload({ itemId: ids().items.siteDwg, name: 'Specs.pdf', storage: uploaded.urn, kind: 'bim360' }));
    assert.equal(rename.status, 409, 'a new version may not take the name of another file');
    for (const name of ['a*b.dwg', 'what?.pdf', 'L'.repeat(256)]) {
      const refused = await postJsonApi(emulator, app, dataPath(bim360Project, 'folders'), folderPayload({ parentId: folders.level1, name, kind: 'bim360' }));
      assert.equal(refused.status, 400, name);
      assert.match(refused.body.errors[0].detail, /is not allowed/);
    }
  });

  it('takes only DWF, DWFX, DWG, IFC, PDF and RVT into the BIM 360 Plans folder and below', async () => {
    const { bim360Project, folders } = ids();
    const sub = await postJsonApi(emulator, app, dataPath(bim360Project, 'folders'), folderPayload({ parentId: folders.bim360Plans, name: 'Issued', kind: 'bim360' }));
    assert.equal(sub.status, 201);
    for (const [folderId, name, status] of [[folders.bim360Plans, 'notes.txt', 400], [sub.body.data.id, 'photo.png', 400], [sub.body.data.id, 'A-201.PDF', 201], [folders.bim360Plans, 'model.dwfx', 201]] as const) {
      const uploaded = await uploadParts(emulator, app, { projectId: bim360Project, folderId, name }, [randomBytes(100)]);
      const created = await postJsonApi(emulator, app, dataPath(bim360Project, 'items'), itemPayload({ folderId, name, storage: uploaded.urn, kind: 'bim360' }));
      assert.equal(created.status, status, `${name}: ${JSON.stringify(created.body)}`);
      if (status === 400) assert.match(created.body.errors[0].detail, /Plans folder/);
    }
    const accPlans = await uploadParts(emulator, app, { projectId: ids().accProject, folderId: folders.accPlans, name: 'notes.txt' }, [randomBytes(100)]);
    const acc = await postJsonApi(emulator, app, dataPath(ids().accProject, 'items'), itemPayload({ folderId: folders.accPlans, name: 'notes.txt', storage: accPlans.urn, kind: 'acc' }));
    assert.equal(acc.status, 201, 'the rule is BIM 360\'s');
  });

  it('refuses writes to a view-only member (403), at every step, and writes into a BIM 360 project root', async () => {
    const { bim360ArchiveProject, users, bim360Project, folders } = ids();
    const viewer = emulator.issueToken({ scopes: WRITE_SCOPES, userId: users.demo });
    const archive = emulator.seed.projects.find((project) => project.id === bim360ArchiveProject)!;
    const filesFolder = archive.topFolderIds[0];
    assert.equal((await contentsOf(bim360ArchiveProject, filesFolder, viewer)).data.length, 1, 'the viewer reads');
    const storage = await createStorage(emulator, viewer, { projectId: bim360ArchiveProject, folderId: filesFolder, name: 'x.rvt' });
    assert.equal(storage.status, 403);
    const folder = await postJsonApi(emulator, viewer, dataPath(bim360ArchiveProject, 'folders'), folderPayload({ parentId: filesFolder, name: 'New', kind: 'bim360' }));
    assert.equal(folder.status, 403);
    const asUser = await postJsonApi(emulator, app, dataPath(bim360ArchiveProject, 'folders'), folderPayload({ parentId: filesFolder, name: 'New', kind: 'bim360' }), { 'x-user-id': users.demo });
    assert.equal(asUser.status, 403, 'x-user-id narrows a 2-legged app to the viewer');
    const admin = await postJsonApi(emulator, app, dataPath(bim360ArchiveProject, 'folders'), folderPayload({ parentId: filesFolder, name: 'New', kind: 'bim360' }), { 'x-user-id': users.admin });
    assert.equal(admin.status, 201);
    const root = await postJsonApi(emulator, app, dataPath(bim360Project, 'folders'), folderPayload({ parentId: folders.bim360Root, name: 'Top', kind: 'bim360' }));
    assert.equal(root.status, 403);
  });

  it('enforces the S3 part-size rule at completion, and re-signs parts with the same uploadKey', async () => {
    const { bim360Project, folders } = ids();
    const storage = await createStorage(emulator, app, { projectId: bim360Project, folderId: folders.level1, name: 'small-parts.bin' });
    const { bucketKey, objectKey } = storage;
    const signed = await signUpload(emulator, app, bucketKey, objectKey, { parts: 2 });
    assert.equal(signed.status, 200);
    assert.equal(signed.body.urls.length, 2);
    assert.ok(Date.parse(signed.body.uploadExpiration) > Date.parse(signed.body.urlExpiration));
    for (const url of signed.body.urls) assert.equal((await putPart(url, randomBytes(1024))).status, 200, 'S3 takes a small part');
    const refused = await completeUpload(emulator, app, bucketKey, objectKey, { uploadKey: signed.body.uploadKey });
    assert.equal(refused.status, 400);
    assert.match(refused.body.reason, /EntityTooSmall/);
    const again = await signUpload(emulator, app, bucketKey, objectKey, { parts: 1, firstPart: 1, uploadKey: signed.body.uploadKey });
    assert.equal(again.body.uploadKey, signed.body.uploadKey);
    const bigFirst = randomBytes(5 * MiB);
    assert.equal((await putPart(again.body.urls[0], bigFirst)).status, 200, 'a part sent again replaces the earlier one');
    const wrongSize = await completeUpload(emulator, app, bucketKey, objectKey, { uploadKey: signed.body.uploadKey, size: 1 });
    assert.equal(wrongSize.status, 400);
    const wrongTags = await completeUpload(emulator, app, bucketKey, objectKey, { uploadKey: signed.body.uploadKey, eTags: ['"0"', '"1"'] });
    assert.equal(wrongTags.status, 400);
    const done = await completeUpload(emulator, app, bucketKey, objectKey, { uploadKey: signed.body.uploadKey, size: 5 * MiB + 1024 });
    assert.equal(done.status, 200, JSON.stringify(done.body));
    const repeated = await completeUpload(emulator, app, bucketKey, objectKey, { uploadKey: signed.body.uploadKey });
    assert.equal(repeated.status, 400, 'a spent uploadKey is refused (strict)');
    const late = await putPart(signed.body.urls[1], randomBytes(10));
    assert.equal(late.status, 404);
    assert.match(late.body, /NoSuchUpload/);
  });

  it('hands out at most 25 part URLs a call, numbered from firstPart, and signs only storage the app may write', async () => {
    const { bim360Project, folders, items } = ids();
    const storage = await createStorage(emulator, app, { projectId: bim360Project, folderId: items.notesTxt, name: 'many.bin' }, 'items');
    assert.equal(storage.status, 201, 'a storage target may be the item that gets a new version');
    assert.equal(storage.body.data.relationships.target.data.id, folders.bim360ProjectFiles);
    const { bucketKey, objectKey } = storage;
    assert.equal((await signUpload(emulator, app, bucketKey, objectKey, { parts: 26 })).status, 400);
    const batch = await signUpload(emulator, app, bucketKey, objectKey, { parts: 25, firstPart: 26 });
    assert.equal(batch.body.urls.length, 25);
    assert.match(batch.body.urls[0], /partNumber=26/);
    assert.match(batch.body.urls[24], /partNumber=50/);
    assert.equal((await signUpload(emulator, app, bucketKey, objectKey, { parts: 1, uploadKey: 'nope' })).status, 400);
    assert.equal((await signUpload(emulator, app, bucketKey, objectKey, { minutesExpiration: 61 })).status, 400);

    const seeded = emulator.seed.ids.objects.oneByte.split('/');
    const refused = await signUpload(emulator, app, seeded[0], seeded[1]);
    assert.equal(refused.status, 403, 'a Docs object not reserved by this app');
    const other = emulator.issueToken({ scopes: WRITE_SCOPES, clientId: emulator.seed.publicApp.clientId, userId: ids().users.demo });
    assert.equal((await signUpload(emulator, other, bucketKey, objectKey)).status, 403, 'another app');
    const [appBucket] = emulator.seed.ids.appObjects.readme.split('/');
    assert.equal((await signUpload(emulator, app, appBucket, 'new/object.bin')).status, 200, 'the app\'s own bucket');
    assert.equal((await signUpload(emulator, app, 'no-such-bucket', 'x')).status, 404);
    const createOnly = emulator.issueToken({ scopes: ['data:read', 'data:create'] });
    const scoped = await signUpload(emulator, createOnly, bucketKey, objectKey);
    assert.equal(scoped.status, 403);
    assert.equal(scoped.body.errorCode, 'AUTH-010', 'OSS uploads need data:write and data:create');
    const readOnly = emulator.issueToken({ scopes: ['data:read'] });
    assert.equal((await postJsonApi(emulator, readOnly, dataPath(bim360Project, 'folders'), {})).body.errorCode, 'AUTH-010');
  });

  it('guards the part URLs: expiry, signature per method, no Authorization header, Content-Length required', async () => {
    const { bim360Project, folders } = ids();
    const storage = await createStorage(emulator, app, { projectId: bim360Project, folderId: folders.level1, name: 'guarded.bin' });
    const { bucketKey, objectKey } = storage;
    const signed = await signUpload(emulator, app, bucketKey, objectKey, { parts: 1, minutesExpiration: 1 });
    const url: string = signed.body.urls[0];
    const withAuth = await putPart(url, randomBytes(10), { authorization: `Bearer ${app}` });
    assert.equal(withAuth.status, 400);
    assert.match(withAuth.body, /Only one auth mechanism allowed/);
    const asGet = await fetch(url);
    assert.equal(asGet.status, 403, 'a part URL serves no GET');
    await asGet.arrayBuffer();
    const tampered = await putPart(url.replace('partNumber=1', 'partNumber=2'), randomBytes(10));
    assert.equal(tampered.status, 403);
    const chunked = await new Promise<number>((resolve, reject) => {
      const put = request(url, { method: 'PUT' }, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      put.once('error', reject);
      put.write(randomBytes(100));
      put.end();
    });
    assert.equal(chunked, 411, 'S3 wants a Content-Length');
    emulator.clock.advance(61_000);
    const expired = await putPart(url, randomBytes(10));
    assert.equal(expired.status, 403);
    assert.match(expired.body, /Request has expired/);
    const resigned = await signUpload(emulator, app, bucketKey, objectKey, { uploadKey: signed.body.uploadKey });
    assert.equal((await putPart(resigned.body.urls[0], randomBytes(10))).status, 200);
    emulator.clock.advance(24 * 3_600_000);
    const gone = await completeUpload(emulator, emulator.issueToken({ scopes: WRITE_SCOPES }), bucketKey, objectKey, { uploadKey: signed.body.uploadKey });
    assert.equal(gone.status, 400, 'the upload session expired after a day');
    assert.match(gone.body.reason, /uploadKey/);
  });

  it('reports the documented budgets for the new endpoints', async () => {
    const limited = await startEmulator({ rateLimits: { 'data.createFolder': 2 } });
    try {
      const token = limited.issueToken({ scopes: WRITE_SCOPES });
      const statuses: number[] = [];
      for (const name of ['A', 'B', 'C']) {
        statuses.push((await postJsonApi(limited, token, dataPath(limited.seed.ids.bim360Project, 'folders'), folderPayload({ parentId: limited.seed.ids.folders.level1, name, kind: 'bim360' }))).status);
      }
      assert.deepEqual(statuses, [201, 201, 429]);
    } finally {
      await limited.close();
    }
    assert.deepEqual(
      ['data.createItem', 'data.createFolder', 'data.createVersion', 'data.createStorage'].map((name) => APS_RATE_LIMITS[name]),
      [50, 50, 300, 300],
    );
  });

  it('removes the uploaded bytes with the emulator', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'emulator-upload-close-'));
    try {
      const own = await startEmulator({ uploadDir: folder });
      const token = own.issueToken({ scopes: WRITE_SCOPES });
      await uploadParts(own, token, { projectId: own.seed.ids.bim360Project, folderId: own.seed.ids.folders.level1, name: 'gone.bin' }, [randomBytes(100)]);
      assert.equal(readdirSync(folder).length, 1);
      await own.close();
      assert.deepEqual(readdirSync(folder), []);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
