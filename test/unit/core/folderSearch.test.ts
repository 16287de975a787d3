import { strict as assert } from 'node:assert';
import { FolderSearch, isEmptyQuery, matchesSearch, parseSearchText, searchFailure, searchFilters, type SearchPage, type SearchQuery } from '../../../src/core/dm/folderSearch';
import type { Version } from '../../../src/core/dm/models';
import { twoLeggedClient, useEmulator } from './harness';

async function collect(pages: AsyncGenerator<SearchPage>): Promise<SearchPage[]> {
  const all: SearchPage[] = [];
  for await (const page of pages) all.push(page);
  return all;
}

const names = (pages: SearchPage[]) => pages.flatMap((page) => page.hits.map((hit) => hit.version.name));

describe('core/dm folder search', () => {
  describe('queries', () => {
    it('reads names, file types, dates and authors from what a person types', () => {
      const { query, problems } = parseSearchText('door schedule type:csv,ifc after:2024-03-01 before:2024-04-01 by:"Alex Admin"');
      assert.deepEqual(query, { text: 'door schedule', fileTypes: ['csv', 'ifc'], modifiedAfter: '2024-03-01', modifiedBefore: '2024-04-01', author: 'Alex Admin' });
      assert.deepEqual(problems, []);
      const bad = parseSearchText('tower after:yesterday before:2024-02-30x');
      assert.deepEqual(bad.query, { text: 'tower' });
      assert.deepEqual(bad.problems.map((problem) => problem.word), ['after:yesterday', 'before:2024-02-30x']);
      assert.ok(isEmptyQuery(parseSearchText('  ').query));
      assert.ok(!isEmptyQuery(parseSearchText('ext:rvt').query));
    });

    it('sends text in the spellings APS needs (its filters are case-sensitive) and dates as ISO', () => {
      const filters = searchFilters({ text: 'door schedule, tower', fileTypes: ['.RVT'], modifiedAfter: '2024-03-01', modifiedBefore: '2024-03-05T12:00:00Z', author: 'dana' });
      assert.deepEqual(filters['filter[attributes.displayName]-contains'].split(','), ['door schedule', 'DOOR SCHEDULE', 'Door schedule', 'Door Schedule', 'tower', 'TOWER', 'Tower']);
      assert.equal(filters['filter[fileType]'], 'rvt,RVT');
      assert.equal(filters['filter[lastModifiedTime]-ge'], '2024-03-01T00:00:00.000Z');
      assert.equal(filters['filter[lastModifiedTime]-lt'], '2024-03-05T12:00:00.000Z');
      assert.equal(filters['filter[createUserName]-contains'], 'dana,DANA,Dana');
      assert.deepEqual(searchFilters({}), {});
    });

    it('checks each result against the query itself, ignoring case', () => {
      const version = { name: 'Door Schedule.csv', fileType: 'csv', lastModifiedTime: '2024-03-07T10:00:00.000Z', createUserName: 'Dana Demo' } as Version;
      const yes: SearchQuery[] = [{ text: 'SCHEDULE' }, { text: 'x,door' }, { fileTypes: ['CSV'] }, { modifiedAfter: '2024-03-07' }, { modifiedBefore: '2024-03-08' }, { author: 'demo' }];
      const no: SearchQuery[] = [{ text: 'tower' }, { fileTypes: ['ifc'] }, { modifiedAfter: '2024-03-08' }, { modifiedBefore: '2024-03-07' }, { author: 'alex' }];
      for (const query of yes) assert.ok(matchesSearch(version, query), JSON.stringify(query));
      for (const query of no) assert.ok(!matchesSearch(version, query), JSON.stringify(query));
    });
  });

  describe('against the emulator', () => {
    const emulator = useEmulator();
    let client: ReturnType<typeof twoLeggedClient>;
    let appOnly: ReturnType<typeof twoLeggedClient>;
    before(() => {
      client = twoLeggedClient(emulator(), undefined, { userId: emulator().seed.ids.users.demo });
      appOnly = twoLeggedClient(emulator());
    });
    after(async () => {
      await client.close();
      await appOnly.close();
    });

    it('finds files below a folder by a part of their name, in any case, with their items', async () => {
      const { ids } = emulator().seed;
      const search = new FolderSearch(client.http);
      const pages = await collect(search.folder(ids.bim360Project, { id: ids.folders.bim360ProjectFiles, name: 'Project Files' }, { text: 'schedule' }));
      assert.deepEqual(names(pages), ['Door Schedule.csv']);
      const [hit] = pages[0].hits;
      assert.equal(hit.item?.id, ids.items.doorScheduleCsv);
      assert.equal(hit.item?.name, 'Door Schedule.csv');
      assert.equal(hit.version.versionNumber, 3);
      assert.equal(pages[0].truncated, false);
      const typed = await collect(search.folder(ids.bim360Project, { id: ids.folders.bim360ProjectFiles }, parseSearchText('type:IFC by:alex').query));
      assert.deepEqual(names(typed), ['Frame.ifc']);
    });

    it('searches every top folder of a project', async () => {
      const { ids } = emulator().seed;
      const pages = await collect(new FolderSearch(client.http).project(client.dm, ids.bim360Hub, ids.bim360Project, { fileTypes: ['pdf'] }));
      assert.deepEqual(names(pages), ['Specs.pdf', 'A-Sheets.pdf']);
      assert.deepEqual([...new Set(pages.map((page) => page.folder.name))], ['Project Files', 'Plans']);
    });

    it('stops after page 49 and says the results were cut', async () => {
      const { ids } = emulator().seed;
      emulator().requests.clear();
      const pages = await collect(new FolderSearch(client.http).folder(ids.bim360Project, { id: ids.folders.bigFolder }, { text: 'file-' }, { pageSize: 50 }));
      assert.equal(pages.length, 50);
      assert.deepEqual(pages.map((page) => page.pageNumber), Array.from({ length: 50 }, (_, n) => n));
      assert.equal(new Set(names(pages)).size, 2500);
      assert.deepEqual(pages.map((page) => page.truncated), [...Array(49).fill(false), true]);
      const calls = emulator().requests.list({ path: '/search' });
      assert.equal(calls.length, 50, 'page 50 is never asked for');
      assert.ok(calls.every((call) => call.status === 200));
    });

    it('classifies refusals: no user, no access, filters APS rejects', async () => {
      const { ids } = emulator().seed;
      const bare = new FolderSearch(appOnly.http);
      const refusal = (work: AsyncGenerator<SearchPage>) => collect(work).then(
        () => assert.fail('expected a refusal'),
        (error: unknown) => searchFailure(error),
      );
      assert.equal(await refusal(bare.folder(ids.bim360Project, { id: ids.folders.level1 }, { text: 'Note' })), 'needs-user');
      const search = new FolderSearch(client.http);
      const restricted = emulator().seed.projects.find((project) => project.id === ids.forbiddenProject)!;
      assert.equal(await refusal(search.folder(ids.forbiddenProject, { id: restricted.topFolderIds[0] }, { text: 'x' })), 'no-access');
      assert.equal(await refusal(search.project(client.dm, ids.bim360Hub, ids.forbiddenProject, { text: 'x' })), 'no-access');
      assert.equal(await refusal(search.folder(ids.bim360Project, { id: ids.folders.level1 }, { modifiedAfter: '2024-13-45' })), 'refused');
      assert.equal(searchFailure(new Error('x')), 'other');
    });
  });
});
