import { strict as assert } from 'node:assert';
import { startEmulator, type RunningEmulator } from '../../emulator/index';
import { enc, getJson, type Json } from './helpers';

describe('emulator: pagination and filters', () => {
  let emulator: RunningEmulator;
  let token: string;
  let contentsUrl: string;
  before(async () => {
    emulator = await startEmulator();
    token = emulator.issueToken({ scopes: ['data:read'] });
    contentsUrl = `${emulator.baseUrl}/data/v1/projects/${emulator.seed.ids.bim360Project}/folders/${enc(emulator.seed.ids.folders.bigFolder)}/contents`;
  });
  after(() => emulator.close());

  it('pages 5,000 items by following links.next verbatim, with included tips for exactly each page', async () => {
    const seen = new Set<string>();
    let url: string | undefined = contentsUrl;
    let pages = 0;
    while (url) {
      const { status, body }: { status: number; body: Json } = await getJson(url, token);
      assert.equal(status, 200);
      assert.equal(body.data.length, 200, 'default page size is 200');
      assert.deepEqual(body.included.map((v: Json) => v.id), body.data.map((i: Json) => i.relationships.tip.data.id));
      for (const item of body.data) seen.add(item.id);
      assert.ok(body.links.first.href.includes('page%5Bnumber%5D=0'));
      assert.equal('prev' in body.links, pages > 0, 'prev only after the first page');
      if (body.links.next) assert.match(body.links.next.href, new RegExp(`page%5Bnumber%5D=${pages + 1}&page%5Blimit%5D=200$`));
      assert.ok(body.links.next === undefined || body.links.next.href.startsWith(emulator.baseUrl), 'absolute hrefs');
      url = body.links.next?.href;
      pages++;
    }
    assert.equal(pages, 25);
    assert.equal(seen.size, 5000);
  });

  it('refuses an undocumented contents filter (strict), and keeps filters in the page links where they are accepted', async () => {
    const query = '?filter%5Battributes.displayName%5D-contains=file-00&page%5Blimit%5D=50';
    const refused = await getJson(`${contentsUrl}${query}`, token);
    assert.equal(refused.status, 400);
    assert.match(refused.body.errors[0].detail, /attributes\.displayName/);

    const lenient = await startEmulator({ switches: { contentsFilters: 'any-field' } });
    try {
      const lenientToken = lenient.issueToken({ scopes: ['data:read'] });
      const url = `${lenient.baseUrl}/data/v1/projects/${lenient.seed.ids.bim360Project}/folders/${enc(lenient.seed.ids.folders.bigFolder)}/contents`;
      const first = await getJson(`${url}${query}`, lenientToken);
      assert.equal(first.body.data.length, 50);
      assert.ok(first.body.data.every((item: Json) => item.attributes.displayName.includes('file-00')));
      assert.ok(first.body.links.next.href.includes('filter%5Battributes.displayName%5D-contains=file-00'));
      const second = await getJson(first.body.links.next.href, lenientToken);
      assert.equal(second.body.data.length, 49, 'file-0001..file-0099 match');
      assert.equal(second.body.links.next, undefined);
    } finally {
      await lenient.close();
    }
  });

  it('answers only self when a collection fits one page', async () => {
    const plans = await getJson(`${emulator.baseUrl}/data/v1/projects/${emulator.seed.ids.bim360Project}/folders/${enc(emulator.seed.ids.folders.bim360Plans)}/contents`, token);
    assert.deepEqual(Object.keys(plans.body.links), ['self']);
    assert.equal(plans.body.links.self.href, `${emulator.baseUrl}/data/v1/projects/${emulator.seed.ids.bim360Project}/folders/${enc(emulator.seed.ids.folders.bim360Plans)}/contents`);
  });

  it('filters contents by type and extension type, and pages projects and versions', async () => {
    const { ids } = emulator.seed;
    const folders = await getJson(`${emulator.baseUrl}/data/v1/projects/${ids.bim360Project}/folders/${enc(ids.folders.bim360ProjectFiles)}/contents?filter%5Btype%5D=folders`, token);
    assert.ok(folders.body.data.length > 0 && folders.body.data.every((entry: Json) => entry.type === 'folders'));
    const documents = await getJson(
      `${emulator.baseUrl}/data/v1/projects/${ids.bim360Project}/folders/${enc(ids.folders.bim360Plans)}/contents?filter%5Bextension.type%5D=items:autodesk.bim360:Document`,
      token,
    );
    assert.deepEqual(documents.body.data.map((d: Json) => d.attributes.displayName).sort(), ['A-101 FLOOR PLANS', 'A-102 ELEVATIONS', 'S-201 FOUNDATIONS']);

    const projects = await getJson(`${emulator.baseUrl}/project/v1/hubs/${ids.bim360Hub}/projects?page%5Blimit%5D=1`, token);
    assert.equal(projects.body.data.length, 1);
    const next = await getJson(projects.body.links.next.href, token);
    assert.notEqual(next.body.data[0].id, projects.body.data[0].id);
    assert.ok(next.body.links.prev.href.includes('page%5Bnumber%5D=0'));

    const versions = await getJson(`${emulator.baseUrl}/data/v1/projects/${ids.bim360Project}/items/${enc(ids.items.towerRvt)}/versions?page%5Blimit%5D=2`, token);
    assert.deepEqual(versions.body.data.map((v: Json) => v.attributes.versionNumber), [3, 2]);
    const last = await getJson(versions.body.links.next.href, token);
    assert.deepEqual(last.body.data.map((v: Json) => v.attributes.versionNumber), [1]);
    assert.equal(last.body.links.next, undefined);
  });

  it('refuses page[limit] outside 1..200 with a JSON:API error and answers an empty page beyond the end', async () => {
    for (const limit of ['0', '201', 'x']) {
      const { status, body } = await getJson(`${contentsUrl}?page%5Blimit%5D=${limit}`, token);
      assert.equal(status, 400);
      assert.equal(body.errors[0].status, '400');
      assert.deepEqual(body.jsonapi, { version: '1.0' });
    }
    const beyond = await getJson(`${contentsUrl}?page%5Bnumber%5D=99`, token);
    assert.equal(beyond.status, 200);
    assert.deepEqual(beyond.body.data, []);
  });
});
