import { strict as assert } from 'node:assert';
import { startEmulator, type RunningEmulator } from '../../emulator/index';
import { bearer, enc, getJson, sha1, storageKeyOf, twoLeggedToken, type Json } from './helpers';

describe('emulator: "Download a File" flow over HTTP', () => {
  let emulator: RunningEmulator;
  before(async () => {
    emulator = await startEmulator();
  });
  after(() => emulator.close());

  it('walks the tutorial (3-legged, personal hub, raw folder URN) and two ranged parts match the sha1', async () => {
    const token = emulator.issueToken({ scopes: ['data:read'], userId: emulator.seed.ids.users.demo });
    const base = emulator.baseUrl;

    const hubs = await getJson(`${base}/project/v1/hubs`, token);
    assert.equal(hubs.status, 200);
    assert.deepEqual(hubs.body.jsonapi, { version: '1.0' });
    const hub = hubs.body.data.find((h: Json) => h.attributes.extension.type === 'hubs:autodesk.a360:PersonalHub');
    assert.ok(hub, 'the demo user sees the personal hub');

    const projects = await getJson(`${base}/project/v1/hubs/${hub.id}/projects?filter%5Battributes.name%5D=Demo%20Project`, token);
    assert.equal(projects.body.data.length, 1);
    const project = projects.body.data[0];
    const rootFolderId = project.relationships.rootFolder.data.id;

    // The tutorial sends the folder URN unencoded.
    const contents = await getJson(`${base}/data/v1/projects/${project.id}/folders/${rootFolderId}/contents`, token);
    assert.equal(contents.status, 200);
    const item = contents.body.data.find((entry: Json) => entry.type === 'items' && entry.attributes.displayName === 'House Design.rvt');
    assert.ok(item);
    assert.equal(contents.body.included.length, contents.body.data.filter((e: Json) => e.type === 'items').length);

    const itemResponse = await getJson(`${base}/data/v1/projects/${project.id}/items/${item.id}`, token);
    assert.equal(itemResponse.body.included[0].id, itemResponse.body.data.relationships.tip.data.id);

    const versions = await getJson(`${base}/data/v1/projects/${project.id}/items/${item.id}/versions`, token);
    assert.deepEqual(versions.body.data.map((v: Json) => v.attributes.versionNumber), [2, 1], 'newest first');
    const v1 = versions.body.data[1];
    const { bucketKey, objectKey } = storageKeyOf(v1.relationships.storage.data.id);

    const signed = await getJson(`${base}/oss/v2/buckets/${bucketKey}/objects/${objectKey}/signeds3download`, token);
    assert.equal(signed.status, 200);
    assert.equal(signed.body.status, 'complete');
    assert.equal(signed.body.size, v1.attributes.storageSize);
    assert.match(signed.body.sha1, /^[0-9a-f]{40}$/);
    assert.ok(signed.body.url.startsWith(emulator.storageUrl));

    const part1 = await fetch(signed.body.url, { headers: { range: 'bytes=0-199999' } });
    const part2 = await fetch(signed.body.url, { headers: { range: 'bytes=200000-472723' } });
    assert.equal(part1.status, 206);
    assert.equal(part2.status, 206);
    assert.equal(part2.headers.get('content-range'), `bytes 200000-${signed.body.size - 1}/${signed.body.size}`);
    const whole = Buffer.concat([Buffer.from(await part1.arrayBuffer()), Buffer.from(await part2.arrayBuffer())]);
    assert.equal(whole.length, signed.body.size);
    assert.equal(sha1(whole), signed.body.sha1);
  });

  it('walks a BIM 360 project with a 2-legged token and downloads 24 MiB+1 in parallel 8 MiB ranges', async () => {
    const token = await twoLeggedToken(emulator, 'data:read');
    const base = emulator.baseUrl;
    const { ids } = emulator.seed;

    const projects = await getJson(`${base}/project/v1/hubs/${ids.bim360Hub}/projects`, token);
    const project = projects.body.data.find((p: Json) => p.id === ids.bim360Project);
    assert.equal(project.attributes.extension.data.projectType, 'BIM360');

    const top = await getJson(project.relationships.topFolders.links.related.href, token);
    assert.deepEqual(top.body.data.map((f: Json) => f.attributes.name), ['Project Files', 'Plans']);
    const projectFiles = top.body.data[0];

    const contents = await getJson(projectFiles.relationships.contents.links.related.href, token);
    const sizesFolder = contents.body.data.find((f: Json) => f.type === 'folders' && f.attributes.name === 'Transfer Sizes');
    const listing = await getJson(sizesFolder.relationships.contents.links.related.href, token);
    const tip = listing.body.included.find((v: Json) => v.attributes.name === '24MiB-plus-1.rvt');
    assert.equal(tip.attributes.storageSize, 24 * 1024 * 1024 + 1);

    const { bucketKey, objectKey } = storageKeyOf(tip.relationships.storage.data.id);
    const signed = await getJson(`${base}/oss/v2/buckets/${bucketKey}/objects/${enc(objectKey)}/signeds3download?minutesExpiration=5`, token);
    const size: number = signed.body.size;
    const chunk = 8 * 1024 * 1024;
    const parts = await Promise.all(
      Array.from({ length: Math.ceil(size / chunk) }, async (_, index) => {
        const response = await fetch(signed.body.url, { headers: { range: `bytes=${index * chunk}-${(index + 1) * chunk - 1}` } });
        assert.equal(response.status, 206);
        return Buffer.from(await response.arrayBuffer());
      }),
    );
    assert.equal(sha1(Buffer.concat(parts)), signed.body.sha1);

    // Parts written at the wrong offsets give a different sha1.
    assert.notEqual(sha1(Buffer.concat([parts[1], parts[0], ...parts.slice(2)])), signed.body.sha1);

    const log = emulator.requests.list({ origin: 'storage' });
    assert.ok(log.length >= 4);
    assert.ok(log.every((entry) => !entry.hadAuthorization));
    assert.ok(log.every((entry) => entry.query['X-Amz-Signature'] === 'REDACTED'));
    assert.ok(!JSON.stringify(emulator.requests.list()).includes(token), 'the request log never holds tokens');
  });

  it('accepts encoded and raw folder ids but needs the version id encoded', async () => {
    const token = emulator.issueToken({ scopes: ['data:read'] });
    const { ids } = emulator.seed;
    const project = ids.bim360Project;
    const folder = ids.folders.bim360Plans;
    const raw = await getJson(`${emulator.baseUrl}/data/v1/projects/${project}/folders/${folder}`, token);
    const encoded = await getJson(`${emulator.baseUrl}/data/v1/projects/${project}/folders/${enc(folder)}`, token);
    assert.equal(raw.status, 200);
    assert.equal(encoded.body.data.id, raw.body.data.id);

    const item = emulator.seed.items.find((i) => i.id === ids.items.notesTxt)!;
    const versionId = item.versions[1].id;
    const good = await getJson(`${emulator.baseUrl}/data/v1/projects/${project}/versions/${enc(versionId)}`, token);
    assert.equal(good.body.data.attributes.versionNumber, 2);
    const unencoded = await fetch(`${emulator.baseUrl}/data/v1/projects/${project}/versions/${versionId}`, { headers: bearer(token) });
    assert.equal(unencoded.status, 404);
    assert.equal(((await unencoded.json()) as Json).errors[0].status, '404');
  });
});
