// Data Management against the emulator: every endpoint the extension uses, models, paging and prefetch.
import * as assert from 'node:assert/strict';
import { startEmulator, type Form } from '../../emulator';
import { describeHubWarning } from '../../../src/core/dm/mappers';
import { FolderSearch, isApsError, parseWebLink, type FolderEntry, type Item } from '../../../src/core';
import { tipVersionId, twoLeggedClient, useEmulator } from './harness';

const FAST_POLL = { initialDelayMs: 5, maxDelayMs: 20, timeoutMs: 10_000 };

describe('core/dm against the emulator', function () {
  const emulator = useEmulator();
  let client: ReturnType<typeof twoLeggedClient>;
  before(() => {
    client = twoLeggedClient(emulator());
  });
  after(async () => {
    await client.close();
  });

  describe('hubs and projects', () => {
    it('lists the account hubs a 2-legged app sees, with kind and region', async () => {
      const { ids } = emulator().seed;
      const { hubs, warnings } = await client.dm.listHubs();
      assert.deepEqual(warnings, []);
      const byId = new Map(hubs.map((hub) => [hub.id, hub]));
      assert.equal(byId.get(ids.bim360Hub)?.kind, 'bim360');
      assert.equal(byId.get(ids.bim360Hub)?.extensionType, 'hubs:autodesk.bim360:Account');
      assert.equal(byId.get(ids.bim360Hub)?.region, 'US');
      assert.ok(byId.has(ids.accHub));
      assert.ok(!byId.has(ids.personalHub), 'personal hubs need a 3-legged token');
      const hub = await client.dm.getHub(ids.bim360Hub);
      assert.equal(hub.name, 'Emulator BIM 360 Account');
    });

    it('reports regional warnings APS attaches to GET hubs', async () => {
      const withWarnings = await startEmulator({ hubWarnings: true });
      const warned = twoLeggedClient(withWarnings);
      try {
        const { hubs, warnings } = await warned.dm.listHubs();
        assert.ok(hubs.length > 0);
        assert.ok(!hubs.some((hub) => hub.id === withWarnings.seed.ids.emeaHub), 'the EMEA account is not listed');
        assert.deepEqual(warnings, [{ status: 403, code: 'BIM360DM_ERROR', title: 'Unable to get hubs from BIM360DM EMEA.', detail: "You don't have permission to access this API" }]);
        assert.equal(describeHubWarning(warnings[0]), "Hubs in EMEA are missing: Autodesk could not list them (You don't have permission to access this API, HTTP 403).");
      } finally {
        await warned.close();
        await withWarnings.close();
      }
    });

    it('lists projects with their type, following links.next for small page sizes', async () => {
      const { ids } = emulator().seed;
      const all = await client.dm.listProjects(ids.bim360Hub);
      const tower = all.find((project) => project.id === ids.bim360Project);
      assert.ok(tower);
      assert.equal(tower.projectType, 'BIM360');
      assert.equal(tower.kind, 'bim360');
      assert.equal(tower.hubId, ids.bim360Hub);
      assert.equal(tower.rootFolderId, emulator().seed.ids.folders.bim360Root);
      const paged: string[] = [];
      emulator().requests.clear();
      for await (const project of client.dm.projects(ids.bim360Hub, { pageSize: 1 })) paged.push(project.id);
      assert.deepEqual(paged, all.map((project) => project.id));
      assert.equal(emulator().requests.list({ path: '/projects' }).length, all.length);
      assert.ok(all.length >= 2);

      const acc = await client.dm.listProjects(ids.accHub);
      assert.ok(acc.every((project) => project.projectType === 'ACC' && project.kind === 'acc'));
      const single = await client.dm.getProject(ids.accHub, ids.accProject);
      assert.equal(single.name, 'Hospital');
      assert.equal(single.projectType, 'ACC');
    });

    it('lists top folders with folder types', async () => {
      const { ids } = emulator().seed;
      const folders = await client.dm.topFolders(ids.bim360Hub, ids.bim360Project);
      assert.deepEqual(folders.map((folder) => folder.name).sort(), ['Plans', 'Project Files']);
      const plans = folders.find((folder) => folder.name === 'Plans');
      assert.equal(plans?.folderType, 'plan');
      assert.equal(plans?.isRoot, false);
      assert.equal(plans?.extensionType, 'folders:autodesk.bim360:Folder');
      const filesOnly = await client.dm.topFolders(ids.bim360Hub, ids.bim360Project, { projectFilesOnly: true });
      assert.deepEqual(filesOnly.map((folder) => folder.name), ['Project Files']);
    });
  });

  describe('folders, items and versions', () => {
    it('reads a folder and its contents with tip versions and parsed storage', async () => {
      const e = emulator();
      const { ids } = e.seed;
      const folder = await client.dm.getFolder(ids.bim360Project, ids.folders.bim360ProjectFiles);
      assert.equal(folder.name, 'Project Files');
      assert.equal(folder.hidden, false);
      assert.ok((folder.objectCount ?? 0) > 5);

      const entries = await client.dm.listFolderContents(ids.bim360Project, ids.folders.bim360ProjectFiles);
      const folders = entries.filter((entry) => entry.type === 'folders');
      assert.ok(folders.some((f) => f.name === 'Big Folder'));
      assert.ok(!entries.some((entry) => entry.id === ids.folders.deletedFolder), 'deleted folders are hidden by default');
      assert.ok(!entries.some((entry) => entry.id === ids.items.deletedDwg));
      const tower = entries.find((entry): entry is Item => entry.id === ids.items.towerRvt);
      assert.ok(tower?.tip);
      assert.equal(tower.name, 'Tower.rvt');
      const seeded = e.seed.items.find((item) => item.id === ids.items.towerRvt)!;
      const seededTip = seeded.versions[seeded.versions.length - 1];
      const object = e.seed.objects[seededTip.storage!];
      assert.equal(tower.tip.id, seededTip.id);
      assert.equal(tower.tip.versionNumber, 3);
      assert.equal(tower.tip.storageSize, object.size);
      assert.deepEqual(tower.tip.storage, { bucketKey: object.bucketKey, objectKey: object.objectKey });
      assert.equal(tower.tip.fileType, 'rvt');
      assert.equal(tower.tip.mimeType, 'application/vnd.autodesk.revit');
      assert.equal(tower.tip.processState, 'PROCESSING_COMPLETE');
      assert.equal(tower.tip.createUserName, 'Dana Demo');
      assert.equal(tower.tip.extensionType, 'versions:autodesk.bim360:File');

      const withHidden = await client.dm.listFolderContents(ids.bim360Project, ids.folders.bim360ProjectFiles, { includeHidden: true });
      assert.ok(withHidden.some((entry) => entry.id === ids.items.deletedDwg && entry.hidden));
      const onlyFolders = await client.dm.listFolderContents(ids.bim360Project, ids.folders.bim360ProjectFiles, { type: 'folders' });
      assert.ok(onlyFolders.length > 0 && onlyFolders.every((entry) => entry.type === 'folders'));
    });

    it('filters contents by name where APS refuses the filter (400): lists unfiltered, filters here, and stops asking', async () => {
      const e = emulator();
      const { ids } = e.seed;
      const own = twoLeggedClient(e);
      try {
        e.requests.clear();
        const matches = await own.dm.listFolderContents(ids.bim360Project, ids.folders.bigFolder, { nameContains: 'FILE-012' });
        assert.deepEqual(matches.map((entry) => entry.name), Array.from({ length: 10 }, (_, i) => `file-012${i}.txt`));
        const filtered = () => e.requests.list({ path: '/contents' }).filter((call) => 'filter[attributes.displayName]-contains' in call.query);
        assert.deepEqual(filtered().map((call) => call.status), [400]);
        const iterated: string[] = [];
        for await (const entry of own.dm.folderContents(ids.bim360Project, ids.folders.bim360ProjectFiles, { nameContains: 'level' })) iterated.push(entry.name);
        assert.deepEqual(iterated, ['Level 1']);
        assert.equal(filtered().length, 1, 'the refusal is remembered');
      } finally {
        await own.close();
      }
    });

    it('filters contents by name where APS accepts the filter: one filtered page instead of 25', async () => {
      const lenient = await startEmulator({ switches: { contentsFilters: 'any-field' } });
      const own = twoLeggedClient(lenient);
      try {
        const { ids } = lenient.seed;
        const matches = await own.dm.listFolderContents(ids.bim360Project, ids.folders.bigFolder, { nameContains: 'FILE-012' });
        assert.deepEqual(matches.map((entry) => entry.name), Array.from({ length: 10 }, (_, i) => `file-012${i}.txt`));
        const calls = lenient.requests.list({ path: '/contents' });
        assert.deepEqual(calls.map((call) => [call.status, 'filter[attributes.displayName]-contains' in call.query]), [[200, true]]);
        const iterated: string[] = [];
        for await (const entry of own.dm.folderContents(ids.bim360Project, ids.folders.bim360ProjectFiles, { nameContains: 'level' })) iterated.push(entry.name);
        assert.deepEqual(iterated, ['Level 1']);
      } finally {
        await own.close();
        await lenient.close();
      }
    });

    it('reads an item with its tip, the tip alone, and all versions newest first', async () => {
      const { ids } = emulator().seed;
      const item = await client.dm.getItem(ids.bim360Project, ids.items.towerRvt);
      assert.equal(item.name, 'Tower.rvt');
      assert.equal(item.tip?.versionNumber, 3);
      assert.equal(item.parentId, ids.folders.bim360ProjectFiles);
      const tip = await client.dm.getTip(ids.bim360Project, ids.items.towerRvt);
      assert.equal(tip.id, item.tipVersionId);
      const versions = await client.dm.listVersions(ids.bim360Project, ids.items.towerRvt);
      assert.deepEqual(versions.map((version) => version.versionNumber), [3, 2, 1]);
      const paged: number[] = [];
      for await (const version of client.dm.versions(ids.bim360Project, ids.items.towerRvt, { pageSize: 1 })) paged.push(version.versionNumber ?? -1);
      assert.deepEqual(paged, [3, 2, 1]);
      const oldest = await client.dm.getVersion(ids.bim360Project, versions[2].id);
      assert.equal(oldest.versionNumber, 1);
      assert.equal(oldest.itemId, ids.items.towerRvt);
      assert.ok(oldest.storageSize! < tip.storageSize!);
    });

    it('marks sheets, which have no storage', async () => {
      const { ids } = emulator().seed;
      const sheet = await client.dm.getItem(ids.bim360Project, ids.items.sheetA101);
      assert.equal(sheet.extensionType, 'items:autodesk.bim360:Document');
      assert.equal(sheet.tip?.isSheet, true);
      assert.equal(sheet.tip?.storage, undefined);
      assert.equal(sheet.name, 'A-101 FLOOR PLANS');
    });

    it('exposes web links that parse back to the same ids', async () => {
      const { ids } = emulator().seed;
      const item = await client.dm.getItem(ids.bim360Project, ids.items.towerRvt);
      assert.ok(item.webViewUrl);
      const parsed = parseWebLink(item.webViewUrl);
      assert.equal(parsed?.projectId, ids.bim360Project);
      assert.equal(parsed?.folderId, ids.folders.bim360ProjectFiles);
      assert.equal(parsed?.itemId, ids.items.towerRvt);
    });

    it('turns 403 and 404 answers into ApsErrors with a sentence for the UI', async () => {
      const e = emulator();
      const { ids } = e.seed;
      const asDemo = twoLeggedClient(e, undefined, { userId: ids.users.demo });
      try {
        await assert.rejects(asDemo.dm.topFolders(ids.bim360Hub, ids.forbiddenProject), (error: unknown) => isApsError(error) && error.status === 403 && /permission/.test(error.userMessage));
      } finally {
        await asDemo.close();
      }
      await assert.rejects(
        client.dm.getItem(ids.bim360Project, 'urn:adsk.wipprod:dm.lineage:doesNotExist0000000000'),
        (error: unknown) => isApsError(error) && error.status === 404 && error.kind === 'http' && /not found/.test(error.userMessage) && error.requestId !== undefined,
      );
    });

    it('searches a folder subtree with a user context, and explains the 403 without one', async () => {
      const e = emulator();
      const { ids } = e.seed;
      await assert.rejects(
        new FolderSearch(client.http).folder(ids.bim360Project, { id: ids.folders.bim360ProjectFiles }, { text: 'Note' }).next(),
        (error: unknown) => isApsError(error) && error.code === 'USER_NOT_AUTHENTICATED' && /signed-in/.test(error.userMessage),
      );
      const asAdmin = twoLeggedClient(e, undefined, { userId: ids.users.admin });
      try {
        const names: string[] = [];
        for await (const page of new FolderSearch(asAdmin.http).folder(ids.bim360Project, { id: ids.folders.level1 }, { text: 'Note' })) names.push(...page.hits.map((hit) => hit.version.name));
        assert.deepEqual(names.sort(), ['Level 1 Note.txt', 'Level 2 Note.txt', 'Level 3 Note.txt', 'Level 4 Note.txt']);
      } finally {
        await asAdmin.close();
      }
    });
  });

  describe('the 5,000-item folder', function () {
    this.timeout(60_000);

    it('pages through every item in server order, once each', async () => {
      const { ids } = emulator().seed;
      const names: string[] = [];
      emulator().requests.clear();
      for await (const entry of client.dm.folderContents(ids.bim360Project, ids.folders.bigFolder)) names.push(entry.name);
      assert.equal(names.length, 5_000);
      assert.equal(new Set(names).size, 5_000);
      assert.deepEqual(names, Array.from({ length: 5_000 }, (_, i) => `file-${String(i + 1).padStart(4, '0')}.txt`));
      assert.equal(emulator().requests.list({ path: '/contents' }).length, 25);
    });

    it('lists it with speculative prefetch in the same order, with no gaps or duplicates', async () => {
      const { ids } = emulator().seed;
      const sequential = await client.dm.listFolderContents(ids.bim360Project, ids.folders.bigFolder, { prefetch: 0 });
      emulator().requests.clear();
      const prefetched = await client.dm.listFolderContents(ids.bim360Project, ids.folders.bigFolder, { prefetch: 6 });
      assert.deepEqual(prefetched.map(idOf), sequential.map(idOf));
      assert.equal(new Set(prefetched.map(idOf)).size, 5_000);
      assert.ok(prefetched.every((entry) => entry.type === 'items' && entry.tip !== undefined));
      const pageNumbers = emulator().requests.list({ path: '/contents' }).map((request) => Number(request.query['page[number]'] ?? 0));
      for (let page = 0; page < 25; page++) assert.ok(pageNumbers.includes(page), `page ${page} was never fetched`);
      assert.ok(pageNumbers.every((page) => page < 25 + 6), 'speculation stops after the last page');
    });

    it('uses the requested page size', async () => {
      const { ids } = emulator().seed;
      emulator().requests.clear();
      const first50: string[] = [];
      for await (const entry of client.dm.folderContents(ids.bim360Project, ids.folders.bigFolder, { pageSize: 50 })) {
        first50.push(entry.name);
        if (first50.length === 50) break;
      }
      // Only requests with this page size: speculative pages of the previous test may still be landing.
      const requests = emulator().requests.list({ path: '/contents' }).filter((request) => request.query['page[limit]'] === '50');
      assert.equal(requests.length, 1, 'breaking out of the iterator stops paging');
      assert.equal(first50.length, 50);
    });
  });

  for (const form of ['seed', 'spec'] as const) {
    it(`converts with the ${form} form: the 202 as ${form === 'seed' ? 'one object' : 'an array'}, the 303 to ${form === 'seed' ? 'a relative' : 'an absolute'} Location`, async () => {
      const other = await startEmulator({ form: form as Form });
      const own = twoLeggedClient(other);
      try {
        const { ids } = other.seed;
        const version = tipVersionId(other, ids.items.towerRvt);
        const job = await own.dm.createDownload(ids.bim360Project, version, 'ifc');
        assert.equal(job.status, 'queued');
        const download = await own.dm.convert(ids.bim360Project, version, 'nwc', { timing: FAST_POLL });
        assert.equal(download.fileType, 'nwc');
        const redirect = other.requests.list({ path: '/jobs/' }).find((request) => request.status === 303);
        assert.ok(redirect);
        assert.ok(other.requests.list({ path: `/downloads/${download.id}` }).some((request) => request.status === 200), 'the Location was followed');
        const described = await other.describeObject(download.storage!.bucketKey, download.storage!.objectKey);
        assert.equal((await own.oss.signedDownload(download.storage!)).sha1, described.sha1);
      } finally {
        await own.close();
        await other.close();
      }
    });
  }

  describe('conversions', () => {
    it('lists formats, converts, follows the 303 to the download and lists it afterwards', async () => {
      const e = emulator();
      const { ids } = e.seed;
      const version = tipVersionId(e, ids.items.towerRvt);
      const seededFormats = (itemId: string) => e.seed.items.find((item) => item.id === itemId)!.versions.at(-1)!.downloadFormats;
      assert.deepEqual((await client.dm.downloadFormats(ids.bim360Project, version)).sort(), ['dwf', 'ifc', 'nwc']);
      for (const itemId of [ids.items.sheetA101, ids.items.notesTxt, ids.items.siteDwg]) {
        assert.deepEqual(await client.dm.downloadFormats(ids.bim360Project, tipVersionId(e, itemId)), seededFormats(itemId));
      }

      const states: string[] = [];
      const download = await client.dm.convert(ids.bim360Project, version, 'dwf', { timing: FAST_POLL, onProgress: (job) => states.push(job.status) });
      assert.equal(states[0], 'queued');
      assert.equal(states[states.length - 1], 'finished');
      assert.equal(download.fileType, 'dwf');
      assert.equal(download.sourceVersionId, version);
      assert.ok(download.storage?.bucketKey && download.storage.objectKey);
      assert.ok(e.requests.list({ path: '/jobs/' }).some((request) => request.status === 303));

      const listed = await client.dm.listDownloads(ids.bim360Project, version, { fileType: 'dwf' });
      assert.ok(listed.some((entry) => entry.id === download.id));
      const other = await client.dm.listDownloads(ids.bim360Project, version, { fileType: 'ifc' });
      assert.ok(!other.some((entry) => entry.id === download.id));
      const again = await client.dm.getDownload(ids.bim360Project, download.id);
      assert.deepEqual(again.storage, download.storage);
    });

    it('reports a failed conversion job and the refusal of unsupported types and ACC projects', async () => {
      const e = emulator();
      const { ids } = e.seed;
      e.faults.add({ kind: 'failJob' });
      await assert.rejects(
        client.dm.convert(ids.bim360Project, tipVersionId(e, ids.items.siteDwg), 'pdf', { timing: FAST_POLL }),
        (error: unknown) => isApsError(error) && error.kind === 'job-failed' && /PDF/.test(error.userMessage),
      );
      e.faults.clear();
      await assert.rejects(client.dm.createDownload(ids.bim360Project, tipVersionId(e, ids.items.notesTxt), 'pdf'), (error: unknown) => isApsError(error) && error.status === 400);
      await assert.rejects(client.dm.createDownload(ids.accProject, tipVersionId(e, ids.items.accModelRvt), 'dwf'), (error: unknown) => isApsError(error) && error.status === 400);
    });
  });
});

function idOf(entry: FolderEntry): string {
  return entry.id;
}
