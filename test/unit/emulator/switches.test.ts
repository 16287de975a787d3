// The named switches of test/emulator/choices.ts: strict (default) and lenient answers side by side.
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { resolveSwitches, startEmulator, SWITCHES, type RunningEmulator } from '../../emulator/index';
import { randomBytes } from 'node:crypto';
import { folderPayload, itemPayload } from '../../../src/core/dm/writes';
import { enc, getJson, splitKey, type Json } from './helpers';
import { completeUpload, createStorage, dataPath, postJsonApi, signUpload, uploadParts } from './uploadHelpers';

const CLI = join(__dirname, '..', '..', 'emulator', 'cli.js');

describe('emulator: named switches', () => {
  let strict: RunningEmulator;
  let lenient: RunningEmulator;
  before(async () => {
    [strict, lenient] = await Promise.all([startEmulator(), startEmulator({ strictness: 'lenient' })]);
  });
  after(() => Promise.all([strict.close(), lenient.close()]));

  it('defaults to the seed form and strict, and takes single switches over a preset', () => {
    assert.deepEqual(strict.switches, {
      createdDownload: 'object',
      jobLocation: 'relative',
      scopes: 'per-endpoint',
      storageAuthorization: 'refuse',
      userContext: 'required',
      rateLimits: 'aps',
      foreignBucketBatch: 'refuse',
      regionalStorage: 'region-header',
      contentsFilters: 'documented',
      hubWarnings: 'off',
      partSizes: 's3-minimum',
      uploadUrlsPerCall: 'refuse-over-25',
      nameConflicts: 'case-insensitive',
      reservedNames: 'refuse',
      plansFileTypes: 'enforce',
      extensionTypes: 'by-hub-kind',
      incompleteStorage: 'refuse',
      repeatedCompletion: 'refuse',
    });
    assert.equal(lenient.switches.rateLimits, 'off');
    assert.equal(resolveSwitches('spec', 'lenient', { scopes: 'per-endpoint' }).scopes, 'per-endpoint');
    assert.equal(resolveSwitches('spec').createdDownload, 'array');
    assert.throws(() => resolveSwitches('seed', 'strict', { scopes: 'loose' } as never), /scopes takes per-endpoint or any-data/);
    assert.throws(() => resolveSwitches('seed', 'strict', { nope: 'x' } as never), /unknown switch nope/);
    for (const spec of Object.values(SWITCHES)) assert.ok(spec.doc.length > 40, 'every switch says what it changes');
  });

  it('userinfo wants user-profile:read (strict), any 3-legged token (lenient)', async () => {
    for (const [emulator, status] of [[strict, 403], [lenient, 200]] as const) {
      const token = emulator.issueToken({ scopes: ['data:read'], userId: emulator.seed.ids.users.demo });
      const answer = await getJson(`${emulator.baseUrl}/userinfo`, token);
      assert.equal(answer.status, status);
      if (status === 403) assert.equal(answer.body.errorCode, 'AUTH-010');
    }
    const withScope = strict.issueToken({ scopes: ['user-profile:read'], userId: strict.seed.ids.users.demo });
    assert.equal((await getJson(`${strict.baseUrl}/userinfo`, withScope)).body.sub, strict.seed.ids.users.demo);
  });

  it('finds EMEA and AUS objects only where the request names their region (strict), anywhere (lenient)', async () => {
    for (const [itemId, region] of [[strict.seed.ids.items.emeaModelRvt, 'EMEA'], [strict.seed.ids.items.ausDrawingDwg, 'AUS']] as const) {
      const key = strict.seed.items.find((item) => item.id === itemId)!.versions.at(-1)!.storage!;
      const { bucketKey, objectKey } = splitKey(key);
      assert.match(bucketKey, new RegExp(`^wip\\.dm\\.${region.toLowerCase()}\\.2$`));
      const path = `/oss/v2/buckets/${bucketKey}/objects/${enc(objectKey)}/signeds3download`;
      const strictToken = strict.issueToken({ scopes: ['data:read'] });
      const unnamed = await getJson(`${strict.baseUrl}${path}`, strictToken);
      assert.equal(unnamed.status, 404);
      assert.equal(unnamed.body.reason, "Bucket doesn't exist");
      assert.equal((await getJson(`${strict.baseUrl}${path}`, strictToken, { 'x-ads-region': region })).status, 200);
      assert.equal((await getJson(`${strict.baseUrl}${path}?region=${region}`, strictToken)).status, 200);
      assert.equal((await getJson(`${strict.baseUrl}${path}`, strictToken, { 'x-ads-region': 'US' })).status, 404);
      assert.equal((await getJson(`${lenient.baseUrl}${path}`, lenient.issueToken({ scopes: ['data:read'] }))).status, 200);
    }
  });

  it('ACC exports and folder search need a user (strict); the app alone may (lenient)', async () => {
    const { ids } = strict.seed;
    const accPdf = strict.seed.items.find((item) => item.id === ids.items.accPlansPdf)!.versions.at(-1)!.id;
    for (const [emulator, status] of [[strict, 403], [lenient, 202]] as const) {
      const token = emulator.issueToken({ scopes: ['data:read', 'data:write', 'data:search'] });
      const exported = await fetch(`${emulator.baseUrl}/construction/files/v1/projects/${ids.accProject}/exports`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ fileVersions: [accPdf] }),
      });
      assert.equal(exported.status, status);
      await exported.arrayBuffer();
      const searched = await getJson(`${emulator.baseUrl}/data/v1/projects/${ids.bim360Project}/folders/${enc(ids.folders.level1)}/search`, token);
      assert.equal(searched.status, status === 403 ? 403 : 200);
    }
  });

  it('lenient scopes take any data scope for reads and data:write for conversions', async () => {
    const writer = lenient.issueToken({ scopes: ['data:write'] });
    assert.equal((await getJson(`${lenient.baseUrl}/project/v1/hubs`, writer)).status, 200);
    assert.equal((await getJson(`${strict.baseUrl}/project/v1/hubs`, strict.issueToken({ scopes: ['data:write'] }))).status, 403);
  });

  it('uploads: part sizes, URLs per call, name rules, Plans file types, extension types, incomplete storage and repeated completion, strict and lenient', async () => {
    const outcomes = async (emulator: RunningEmulator) => {
      const { ids } = emulator.seed;
      const token = emulator.issueToken({ scopes: ['data:read', 'data:write', 'data:create'] });
      const item = (folderId: string, name: string, storage: string, kind: 'bim360' | 'fusion' = 'bim360') =>
        postJsonApi(emulator, token, dataPath(ids.bim360Project, 'items'), itemPayload({ folderId, name, storage, kind }));
      const small = await uploadParts(emulator, token, { projectId: ids.bim360Project, folderId: ids.folders.level1, name: 'small-parts.dwg' }, [randomBytes(100), randomBytes(100)]);
      const one = await uploadParts(emulator, token, { projectId: ids.bim360Project, folderId: ids.folders.bim360Plans, name: 'plans.txt' }, [randomBytes(10)]);
      const storage = await createStorage(emulator, token, { projectId: ids.bim360Project, folderId: ids.folders.level1, name: 'never.dwg' });
      const { bucketKey, objectKey } = one;
      const signed = await signUpload(emulator, token, storage.bucketKey, storage.objectKey, { parts: 30 });
      return {
        partSizes: small.completed.status,
        urlsPerCall: signed.status === 200 ? signed.body.urls.length : signed.status,
        nameConflict: (await postJsonApi(emulator, token, dataPath(ids.bim360Project, 'folders'), folderPayload({ parentId: ids.folders.bim360ProjectFiles, name: 'LEVEL 1', kind: 'bim360' }))).status,
        reservedName: (await postJsonApi(emulator, token, dataPath(ids.bim360Project, 'folders'), folderPayload({ parentId: ids.folders.level1, name: 'a|b', kind: 'bim360' }))).status,
        plans: (await item(ids.folders.bim360Plans, 'plans.txt', one.urn)).status,
        extension: (await item(ids.folders.level1, 'core.dwg', one.urn, 'fusion')).status,
        incomplete: (await item(ids.folders.level1, 'never.dwg', storage.urn)).status,
        repeated: (await completeUpload(emulator, token, bucketKey, objectKey, { uploadKey: one.uploadKey })).status,
      };
    };
    assert.deepEqual(await outcomes(strict), { partSizes: 400, urlsPerCall: 400, nameConflict: 409, reservedName: 400, plans: 400, extension: 400, incomplete: 400, repeated: 400 });
    assert.deepEqual(await outcomes(lenient), { partSizes: 200, urlsPerCall: 25, nameConflict: 201, reservedName: 201, plans: 201, extension: 201, incomplete: 201, repeated: 200 });
  });

  it('npm run emulator takes --form, --lenient and --switch, and refuses unknown switches', async () => {
    const run = (args: string[]) =>
      new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
        const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        let err = '';
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          if (out.includes('client secret:')) child.kill('SIGTERM');
        });
        child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
        child.once('exit', (code) => resolve({ code, out, err }));
      });
    const help = await run(['--help']);
    assert.equal(help.code, 0);
    for (const name of Object.keys(SWITCHES)) assert.match(help.out, new RegExp(`^  ${name}=`, 'm'));
    const started = await run(['--form', 'spec', '--lenient', '--switch', 'scopes=per-endpoint', '--switch=hubWarnings=emea-refused']);
    assert.equal(started.code, 0, started.err);
    const base = /base url: (\S+)/.exec(started.out)?.[1];
    assert.ok(base);
    const wrong = await run(['--switch', 'scopes=loose']);
    assert.equal(wrong.code, 2);
    assert.match(wrong.err, /scopes takes per-endpoint or any-data/);
    const unknown = await run(['--switch', 'nope=1']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /NAME one of createdDownload/);
  });
});

// The control API reports the switches too, so an emulator started elsewhere (npm run emulator) can be asked.
describe('emulator: switches on the control API', () => {
  it('lists the switches it runs with', async () => {
    const emulator = await startEmulator({ form: 'spec', switches: { hubWarnings: 'emea-refused' } });
    try {
      const described = (await (await fetch(`${emulator.baseUrl}/__emulator`)).json()) as Json;
      assert.equal(described.switches.createdDownload, 'array');
      assert.equal(described.switches.hubWarnings, 'emea-refused');
    } finally {
      await emulator.close();
    }
  });
});
