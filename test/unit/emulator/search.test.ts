import { strict as assert } from 'node:assert';
import { startEmulator, type RunningEmulator } from '../../emulator/index';
import { enc, getJson, type Json } from './helpers';

describe('emulator: folder search (subtree, filters, 50 pages, who may search)', () => {
  let emulator: RunningEmulator;
  let app: string;
  let searcher: string;
  before(async () => {
    emulator = await startEmulator();
    app = emulator.issueToken({ scopes: ['data:read', 'data:search'] });
    searcher = emulator.issueToken({ scopes: ['data:read', 'data:search'], userId: emulator.seed.ids.users.demo });
  });
  after(() => emulator.close());

  const searchUrl = (folderId: string, query = '', projectId = emulator.seed.ids.bim360Project) =>
    `${emulator.baseUrl}/data/v1/projects/${projectId}/folders/${enc(folderId)}/search${query ? `?${query}` : ''}`;
  const names = (body: Json): string[] => body.data.map((version: Json) => version.attributes.name);
  /** Every page's names, following links.next. */
  const allNames = async (url: string, token: string, headers: Record<string, string> = {}): Promise<string[]> => {
    const result: string[] = [];
    for (let next: string | undefined = url; next; ) {
      const { status, body }: { status: number; body: Json } = await getJson(next, token, headers);
      assert.equal(status, 200, next);
      result.push(...names(body));
      next = body.links.next?.href;
    }
    return result;
  };
  const seedTip = (itemId: string) => emulator.seed.items.find((item) => item.id === itemId)!.versions.at(-1)!;

  it('returns the tip versions of the whole subtree, depth first, with their items included', async () => {
    const { ids } = emulator.seed;
    const { status, body } = await getJson(searchUrl(ids.folders.level1), searcher);
    assert.equal(status, 200);
    assert.deepEqual(names(body), ['Level 1 Note.txt', 'Level 2 Note.txt', 'Level 3 Note.txt', 'Level 4 Note.txt']);
    assert.ok(body.data.every((version: Json) => version.type === 'versions'));
    assert.equal(body.data[3].id, seedTip(ids.items.levelFourNote).id, 'the tip, not version 1');
    assert.equal(body.data[3].attributes.versionNumber, 2);
    assert.deepEqual(
      body.included.map((item: Json) => item.id),
      body.data.map((version: Json) => version.relationships.item.data.id),
    );
    assert.ok(body.included.every((item: Json) => item.type === 'items'));
    assert.deepEqual(Object.keys(body.links), ['self']);
  });

  it('leaves out deleted content and the folders the user may not read', async () => {
    const { ids } = emulator.seed;
    const asDemo = await allNames(searchUrl(ids.folders.bim360ProjectFiles), searcher);
    assert.ok(asDemo.includes('Tower.rvt') && asDemo.includes('file-2500.txt') && asDemo.includes('Door Schedule.csv'));
    assert.ok(!asDemo.includes('Old Site.dwg') && !asDemo.includes('Scrap.txt'), 'deleted item and deleted folder');
    assert.ok(!asDemo.includes('Salaries.txt'), 'Confidential is for admins');
    const asAdmin = await allNames(searchUrl(ids.folders.bim360ProjectFiles), app, { 'x-user-id': ids.users.admin });
    assert.ok(asAdmin.includes('Salaries.txt'));
    const limited = emulator.issueToken({ scopes: ['data:read', 'data:search'], userId: ids.users.limited });
    assert.deepEqual(names((await getJson(searchUrl(ids.folders.level2), limited)).body), ['Level 2 Note.txt', 'Level 3 Note.txt', 'Level 4 Note.txt']);
    const above = await getJson(searchUrl(ids.folders.level1), limited);
    assert.equal(above.status, 403);
  });

  it('filters on the version payload: any of a list, every field, case-sensitive text, dates and users', async () => {
    const { ids } = emulator.seed;
    const schedules = (query: string) => getJson(searchUrl(ids.folders.bim360ProjectFiles, query), searcher);
    assert.deepEqual(names((await schedules('filter%5BfileType%5D=csv,ifc')).body), ['Structure.ifc', 'Door Schedule.csv', 'Frame.ifc']);
    assert.deepEqual(names((await schedules('filter%5Battributes.displayName%5D-contains=Schedule')).body), ['Door Schedule.csv']);
    assert.deepEqual(names((await schedules('filter%5Battributes.displayName%5D-contains=schedule')).body), [], 'filtering is case-sensitive');
    assert.deepEqual(names((await schedules('filter%5Battributes.displayName%5D-contains=schedule,Schedule')).body), ['Door Schedule.csv']);
    assert.deepEqual(names((await schedules('filter%5BdisplayName%5D-starts=Frame')).body), ['Frame.ifc']);
    assert.deepEqual(names((await schedules('filter%5BdisplayName%5D-ends=.dxf')).body), ['Title Block.dxf']);
    assert.deepEqual(names((await schedules('filter%5BfileType%5D=ifc&filter%5BcreateUserName%5D-contains=Alex')).body), ['Frame.ifc'], 'both filters apply');
    assert.deepEqual(names((await schedules('filter%5BextractionState%5D=x')).body), [], 'a field the version lacks matches nothing');

    const since = seedTip(ids.items.doorScheduleCsv).createTime;
    const recent = await schedules(`filter%5BlastModifiedTime%5D-ge=${enc(since)}`);
    assert.deepEqual(names(recent.body), ['Door Schedule.csv', 'Frame.ifc', 'Title Block.dxf']);
    const before = await schedules(`filter%5BlastModifiedTime%5D-lt=${enc(since)}&filter%5BfileType%5D=csv,ifc`);
    assert.deepEqual(names(before.body), ['Structure.ifc']);
    const day = await schedules(`filter%5BlastModifiedTime%5D-ge=${since.slice(0, 10)}&filter%5BlastModifiedTime%5D-le=2024-12-31&filter%5BfileType%5D=dxf`);
    assert.deepEqual(names(day.body), ['Title Block.dxf'], 'plain dates work too');
    const numbers = await schedules('filter%5BversionNumber%5D-gt=2&filter%5BfileType%5D=csv,rvt');
    assert.deepEqual(names(numbers.body), ['Tower.rvt', 'Door Schedule.csv']);
  });

  it('refuses filters it cannot parse and page numbers beyond 49 with 400', async () => {
    const { ids } = emulator.seed;
    for (const query of [
      'filter%5BdisplayName%5D-like=x',
      'filter%5BlastModifiedTime%5D-ge=yesterday',
      'filter%5BfileType%5D=',
      'filter%5BfileType=rvt',
      'filter%5B%5D=rvt',
      'page%5Bnumber%5D=50',
      'page%5Bnumber%5D=-1',
    ]) {
      const { status, body } = await getJson(searchUrl(ids.folders.level1, query), searcher);
      assert.equal(status, 400, query);
      assert.equal(body.errors[0].status, '400');
      assert.ok(body.errors[0].detail, query);
    }
    const last = await getJson(searchUrl(ids.folders.level1, 'page%5Bnumber%5D=49'), searcher);
    assert.equal(last.status, 200);
    assert.deepEqual(last.body.data, [], 'page 49 of a short result is empty, not refused');
  });

  it('serves 50 pages at most: page 49 may link a page 50 that APS refuses', async () => {
    const { ids } = emulator.seed;
    let url: string | undefined = searchUrl(ids.folders.bigFolder, 'page%5Blimit%5D=50');
    const seen = new Set<string>();
    let pages = 0;
    let last: Json;
    while (url && pages < 50) {
      const { status, body }: { status: number; body: Json } = await getJson(url, searcher);
      assert.equal(status, 200, url);
      for (const version of body.data) seen.add(version.id);
      last = body;
      url = body.links.next?.href;
      pages++;
    }
    assert.equal(pages, 50);
    assert.equal(seen.size, 2500);
    assert.match(last.links.next.href, /page%5Bnumber%5D=50/);
    const beyond = await getJson(last.links.next.href, searcher);
    assert.equal(beyond.status, 400);
  });

  it('needs the data:search scope and a user, and answers 403 in a project without Docs access', async () => {
    const { ids } = emulator.seed;
    const readOnly = emulator.issueToken({ scopes: ['data:read'], userId: ids.users.demo });
    const noScope = await getJson(searchUrl(ids.folders.level1), readOnly);
    assert.equal(noScope.status, 403);
    assert.equal(noScope.body.errorCode, 'AUTH-010');
    const bare = await getJson(searchUrl(ids.folders.level1), app);
    assert.equal(bare.status, 403);
    assert.equal(bare.body.errors[0].code, 'USER_NOT_AUTHENTICATED');
    const withUser = await getJson(searchUrl(ids.folders.level1), app, { 'x-user-id': ids.users.demo });
    assert.equal(withUser.status, 200);
    const restricted = emulator.seed.projects.find((project) => project.id === ids.forbiddenProject)!;
    const forbidden = await getJson(searchUrl(restricted.topFolderIds[0], '', ids.forbiddenProject), searcher);
    assert.equal(forbidden.status, 403);
    assert.equal(forbidden.body.errors[0].code, 'ERR_NOT_AUTHORIZED');
  });
});
