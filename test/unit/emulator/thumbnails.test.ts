import { strict as assert } from 'node:assert';
import { startEmulator, type RunningEmulator } from '../../emulator/index';
import { enc, getJson, sha1, signedUrlFor, type Json } from './helpers';

describe('emulator: Model Derivative thumbnails and derivative state', () => {
  let emulator: RunningEmulator;
  let token: string;
  before(async () => {
    emulator = await startEmulator();
    token = emulator.issueToken({ scopes: ['data:read'], userId: emulator.seed.ids.users.demo });
  });
  after(() => emulator.close());

  const tip = (itemId: string) => emulator.seed.items.find((item) => item.id === itemId)!.versions.at(-1)!;
  const urn = (versionId: string) => Buffer.from(versionId).toString('base64url');
  const thumbnail = (versionId: string, query = '', bearer = token) =>
    fetch(`${emulator.baseUrl}/modelderivative/v2/designdata/${urn(versionId)}/thumbnail${query}`, { headers: { authorization: `Bearer ${bearer}` } });
  const version = async (versionId: string): Promise<Json> =>
    (await getJson(`${emulator.baseUrl}/data/v1/projects/${emulator.seed.ids.bim360Project}/versions/${enc(versionId)}`, token)).body.data;

  /** Width and height from a PNG's IHDR chunk. */
  function pngSize(bytes: Buffer): [number, number] {
    assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'PNG signature');
    assert.equal(bytes.subarray(12, 16).toString('latin1'), 'IHDR');
    return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
  }

  it('serves a PNG for a version with derivatives, 200 pixels by default and the size asked for', async () => {
    const tower = tip(emulator.seed.ids.items.towerRvt);
    const resource = await version(tower.id);
    assert.equal(resource.relationships.derivatives.data.id, urn(tower.id));
    assert.match(resource.relationships.thumbnails.meta.link.href, new RegExp(`/modelderivative/v2/designdata/${urn(tower.id)}/thumbnail$`));
    assert.equal(resource.attributes.extension.data.extractionState, 'SUCCESS');

    const response = await thumbnail(tower.id);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'image/png');
    assert.equal(response.headers.get('x-ads-size'), '[200,200]');
    assert.equal(response.headers.get('x-ads-role'), 'rendered');
    assert.equal(decodeURIComponent(response.headers.get('x-ads-name')!), 'Tower.rvt.png');
    const bytes = Buffer.from(await response.arrayBuffer());
    assert.deepEqual(pngSize(bytes), [200, 200]);

    const small = Buffer.from(await (await thumbnail(tower.id, '?width=100')).arrayBuffer());
    assert.deepEqual(pngSize(small), [100, 100]);
    const again = Buffer.from(await (await thumbnail(tower.id, '?height=100')).arrayBuffer());
    assert.equal(sha1(again), sha1(small), 'the same thumbnail each time');
    const other = Buffer.from(await (await thumbnail(tip(emulator.seed.ids.items.siteDwg).id, '?width=100')).arrayBuffer());
    assert.notEqual(sha1(other), sha1(small), 'each version has its own');
    const sheet = await thumbnail(tip(emulator.seed.ids.items.sheetA101).id, '?width=400');
    assert.deepEqual(pngSize(Buffer.from(await sheet.arrayBuffer())), [400, 400]);
  });

  it('answers 404 for versions without a thumbnail, which carry no derivatives relationship when nothing was translated', async () => {
    const notes = tip(emulator.seed.ids.items.notesTxt);
    const resource = await version(notes.id);
    assert.equal(resource.relationships.derivatives, undefined);
    assert.equal(resource.relationships.thumbnails, undefined);
    assert.equal(resource.attributes.extension.data.extractionState, 'UNSUPPORTED');
    const missing = await thumbnail(notes.id);
    assert.equal(missing.status, 404);
    assert.ok(((await missing.json()) as Json).diagnostic);

    const coordination = tip(emulator.seed.ids.items.coordinationNwd);
    assert.ok((await version(coordination.id)).relationships.derivatives, 'translated');
    assert.equal((await thumbnail(coordination.id)).status, 404, 'but without a thumbnail');
    assert.equal((await thumbnail('urn:adsk.wipprod:fs.file:vf.doesNotExist?version=1')).status, 404);
  });

  it('says 202 while the thumbnail is still being generated', async () => {
    const admin = emulator.issueToken({ scopes: ['data:read'], userId: emulator.seed.ids.users.admin });
    const response = await thumbnail(tip(emulator.seed.ids.items.accUnprocessedDwg).id, '', admin);
    assert.equal(response.status, 202);
    assert.equal(response.headers.get('x-ads-job-status'), 'inprogress');
    assert.match(((await response.json()) as Json).Result, /pending/);
  });

  it('refuses bad sizes, missing tokens and users without access to the file', async () => {
    const tower = tip(emulator.seed.ids.items.towerRvt);
    assert.equal((await thumbnail(tower.id, '?width=150')).status, 400);
    assert.equal((await thumbnail(tower.id, '?width=100&height=200')).status, 400);
    const anonymous = await fetch(`${emulator.baseUrl}/modelderivative/v2/designdata/${urn(tower.id)}/thumbnail`);
    assert.equal(anonymous.status, 401);
    const limited = emulator.issueToken({ scopes: ['data:read'], userId: emulator.seed.ids.users.limited });
    assert.equal((await thumbnail(tower.id, '', limited)).status, 403);
    assert.equal((await thumbnail(tip(emulator.seed.ids.items.levelFourNote).id, '', limited)).status, 404, 'a text file has none, whoever asks');
  });

  it('holds real text for the seeded schedules, served byte for byte with its sha1', async () => {
    const csv = emulator.seed.items.find((item) => item.id === emulator.seed.ids.items.doorScheduleCsv)!;
    assert.equal(csv.versions.length, 3);
    const first = await signedUrlFor(emulator, token, csv.versions[0].storage!);
    const text = await (await fetch(first.url)).text();
    assert.match(text, /^Mark,Level,Width \(mm\)/);
    assert.equal(first.size, Buffer.byteLength(text));
    assert.equal(first.sha1, sha1(Buffer.from(text)));
    const third = await signedUrlFor(emulator, token, csv.versions[2].storage!);
    assert.notEqual(third.sha1, first.sha1);
    const ranged = await fetch(third.url, { headers: { range: 'bytes=0-3' } });
    assert.equal(await ranged.text(), 'Mark');
  });
});
