// The traffic of everything the product does against the emulator, for checking against the OpenAPI files:
// the product's own core client (2- and 3-legged) browses, pages, converts, signs and fails as a user
// would make it, and every response the emulator writes in one piece is kept.
import { randomBytes } from 'node:crypto';
import { createApsClient, FolderSearch, MemoryTokenStore, type ApsClient, type ThreeLeggedAuth, type TwoLeggedAuth } from '../../../src/core';
import { DataManagementWrites } from '../../../src/core/dm/writes';
import { SignedUpload } from '../../../src/core/oss/signedUpload';
import { startEmulator, type EmulatorOptions, type RunningEmulator, type SentResponse } from '../../emulator';
import { consent } from '../core/consentBrowser';

const SCOPES = ['data:read', 'data:write', 'data:create', 'data:search'];
const REDIRECT_URI = 'http://127.0.0.1:43199/callback';

export interface Traffic {
  emulator: RunningEmulator;
  responses: SentResponse[];
}

/** Runs `scenario` against a fresh emulator and answers what it served. */
export async function recordTraffic(options: EmulatorOptions, scenario: (emulator: RunningEmulator) => Promise<void>): Promise<SentResponse[]> {
  const responses: SentResponse[] = [];
  const emulator = await startEmulator({ ...options, onResponse: (response) => responses.push(response) });
  try {
    await scenario(emulator);
  } finally {
    await emulator.close();
  }
  return responses;
}

function clients(emulator: RunningEmulator): { app: ApsClient<TwoLeggedAuth>; user: ApsClient<ThreeLeggedAuth> } {
  const { clientId, clientSecret } = emulator.seed.credentials;
  // The product's own pacing (20 requests/s per host) only slows the recording down here.
  const common = { baseUrl: emulator.baseUrl, proxy: { url: '' }, retry: { maxRetries: 0 }, budget: { ratePerSecond: 1000, burst: 1000 } };
  return {
    app: createApsClient({ ...common, auth: { kind: '2-legged', clientId, clientSecret: clientSecret as string, scopes: SCOPES } }),
    user: createApsClient({
      ...common,
      auth: { kind: '3-legged', clientId, clientSecret, redirectUri: REDIRECT_URI, scopes: [...SCOPES, 'user-profile:read'] },
      tokenStore: new MemoryTokenStore(),
    }),
  };
}

/** The first `count` entries of a paged listing (two pages of 3 for 6), without walking the rest. */
async function firstEntries<T>(listing: AsyncGenerator<T>, count: number): Promise<void> {
  let seen = 0;
  for await (const entry of listing) {
    void entry;
    if (++seen >= count) break;
  }
}

async function settle(promise: Promise<unknown>): Promise<void> {
  await promise.catch(() => undefined);
}

/** Browsing, paging, converting and signing as the extension does, plus the refusals a user can meet. */
export async function productScenario(emulator: RunningEmulator): Promise<void> {
  const { ids } = emulator.seed;
  const { app, user } = clients(emulator);
  try {
    // 3-legged: authorize, code exchange, userinfo, refresh.
    const started = user.auth.beginSignIn();
    await user.auth.handleCallback(await consent(started.url));
    await user.auth.userInfo();
    await user.auth.refresh(undefined, (await user.auth.getTokens())?.accessToken);

    // Browse every project of every hub both legs see, top folders and the first pages below them.
    for (const client of [app, user]) {
      const { hubs } = await client.dm.listHubs();
      for (const hub of hubs) {
        await client.dm.getHub(hub.id);
        const projects = await client.dm.listProjects(hub.id, { pageSize: 2 });
        for (const project of projects) {
          await client.dm.getProject(hub.id, project.id);
          const top = await client.dm.topFolders(hub.id, project.id).catch(() => []);
          for (const folder of top) {
            await client.dm.getFolder(project.id, folder.id);
            const entries: Awaited<ReturnType<typeof client.dm.listFolderContents>> = [];
            for await (const entry of client.dm.folderContents(project.id, folder.id, { pageSize: 7 })) if (entries.push(entry) >= 14) break;
            for (const entry of entries.slice(0, 3)) {
              if (entry.type === 'folders') await firstEntries(client.dm.folderContents(project.id, entry.id, { pageSize: 3 }), 6);
              else {
                await client.dm.getItem(project.id, entry.id);
                await client.dm.getTip(project.id, entry.id);
                const versions = await client.dm.listVersions(project.id, entry.id, { pageSize: 1 });
                await client.dm.getVersion(project.id, versions[0].id);
                await settle(client.dm.downloadFormats(project.id, versions[0].id));
              }
            }
          }
        }
      }
    }

    // Hidden content, name filters (refused or not), item path, search with a user.
    await app.dm.listFolderContents(ids.bim360Project, ids.folders.bim360ProjectFiles, { includeHidden: true, type: 'items' });
    await firstEntries(app.dm.folderContents(ids.bim360Project, ids.folders.bigFolder, { nameContains: 'file-01', pageSize: 50 }), 60);
    for await (const page of new FolderSearch(user.http).folder(ids.bim360Project, { id: ids.folders.level1 }, { fileTypes: ['txt'] })) void page;

    // Convert, poll through the 303, list what was converted; sign what it made.
    const tower = emulator.seed.items.find((item) => item.id === ids.items.towerRvt)!;
    const tip = tower.versions.at(-1)!.id;
    const download = await app.dm.convert(ids.bim360Project, tip, 'ifc', { timing: { initialDelayMs: 1, maxDelayMs: 5 } });
    await app.dm.listDownloads(ids.bim360Project, tip, { fileType: 'ifc' });
    if (download.storage) await app.oss.signedDownload(download.storage);

    // Sign: complete (US, EMEA, AUS), chunked, fallback; a batch in the app's bucket.
    for (const itemId of [ids.items.notesTxt, ids.items.emeaModelRvt, ids.items.ausDrawingDwg, ids.items.chunkedUpload]) {
      const item = emulator.seed.items.find((candidate) => candidate.id === itemId)!;
      const version = await app.dm.getVersion(item.projectId, item.versions.at(-1)!.id);
      await app.oss.signedDownload(version.storage!, { minutesExpiration: 5 });
      await app.oss.signedDownload(version.storage!, { publicResourceFallback: true });
    }
    const [appBucket, readme] = ids.appObjects.readme.split('/');
    await app.oss.batchSignedDownload(appBucket, [{ objectKey: readme }, { objectKey: 'missing.txt' }]);

    // Refusals the product meets: unknown ids, no access, bad paging, an unsupported conversion, a scope it lacks.
    await settle(app.dm.getFolder(ids.bim360Project, 'urn:adsk.wipprod:fs.folder:co.missing'));
    await settle(user.dm.topFolders(ids.bim360Hub, ids.forbiddenProject));
    const appToken = await app.auth.getAccessToken();
    for (const path of [`/data/v1/projects/${ids.bim360Project}/folders/${encodeURIComponent(ids.folders.bigFolder)}/contents?page%5Blimit%5D=201`, `/project/v1/hubs/b.missing`]) {
      await (await fetch(`${emulator.baseUrl}${path}`, { headers: { authorization: `Bearer ${appToken}` } })).arrayBuffer();
    }
    await (await fetch(`${emulator.baseUrl}/project/v1/hubs`)).arrayBuffer();
    await settle(app.dm.createDownload(ids.bim360Project, tip, 'pdf'));
    await settle(app.oss.signedDownload({ bucketKey: 'wip.dm.prod', objectKey: 'missing.rvt' }));
    await settle(app.oss.signedDownload({ bucketKey: 'wip.dm.prod', objectKey: 'x' }, { minutesExpiration: 61 }));
    const readOnly = createApsClient({
      baseUrl: emulator.baseUrl,
      proxy: { url: '' },
      retry: { maxRetries: 0 },
      auth: { kind: '2-legged', clientId: emulator.seed.credentials.clientId, clientSecret: emulator.seed.credentials.clientSecret as string, scopes: ['data:read'] },
    });
    await settle(readOnly.dm.createDownload(ids.bim360Project, tip, 'ifc'));
    await readOnly.close();

    await uploadScenario(emulator, app, user);
  } finally {
    await app.close();
    await user.close();
  }
}

/** Upload as the core's calls do it, and the refusals an upload meets (name taken, view-only, Plans, part sizes, a spent uploadKey). */
async function uploadScenario(emulator: RunningEmulator, app: ApsClient, user: ApsClient): Promise<void> {
  const { ids } = emulator.seed;
  const writes = new DataManagementWrites(app.http);
  const oss = new SignedUpload(app.http);
  const upload = async (projectId: string, folderId: string, name: string, parts: Buffer[], via = writes) => {
    const storage = await via.createStorage(projectId, { folderId, name });
    const signed = await oss.uploadUrls(storage, { count: parts.length });
    const eTags: string[] = [];
    for (const [index, bytes] of parts.entries()) {
      const put = await fetch(signed.parts[index].url, { method: 'PUT', body: bytes });
      eTags.push(put.headers.get('etag') as string);
    }
    const done = await settleValue(oss.complete(storage, { uploadKey: signed.uploadKey, size: parts.reduce((sum, part) => sum + part.length, 0), eTags }));
    return { storage, uploadKey: signed.uploadKey, done };
  };
  const folder = await writes.createFolder(ids.bim360Project, { parentId: ids.folders.level1, name: 'Conformance', kind: 'bim360' });
  const first = await upload(ids.bim360Project, folder.id, 'Model.rvt', [randomBytes(5 * 1024 * 1024), randomBytes(1000)]);
  const created = await writes.createItem(ids.bim360Project, { folderId: folder.id, name: 'Model.rvt', storage: first.storage, kind: 'bim360' });
  const second = await upload(ids.bim360Project, folder.id, 'Model.rvt', [randomBytes(2000)]);
  await writes.createVersion(ids.bim360Project, { itemId: created.item.id, name: 'Model.rvt', storage: second.storage, kind: 'bim360' });
  await oss.objectDetails(second.storage);
  await app.oss.signedDownload(second.storage);

  // Refusals: the name is taken (item and folder), a view-only user, the Plans folder, parts under 5 MiB, a spent uploadKey.
  await settle(writes.createItem(ids.bim360Project, { folderId: folder.id, name: 'Model.rvt', storage: second.storage, kind: 'bim360' }));
  await settle(writes.createFolder(ids.bim360Project, { parentId: ids.folders.level1, name: 'Conformance', kind: 'bim360' }));
  const archive = emulator.seed.projects.find((project) => project.id === ids.bim360ArchiveProject)!;
  await settle(new DataManagementWrites(user.http).createFolder(archive.id, { parentId: archive.topFolderIds[0], name: 'Nope', kind: 'bim360' }));
  const plans = await upload(ids.bim360Project, ids.folders.bim360Plans, 'notes.txt', [randomBytes(10)]);
  await settle(writes.createItem(ids.bim360Project, { folderId: ids.folders.bim360Plans, name: 'notes.txt', storage: plans.storage, kind: 'bim360' }));
  await upload(ids.bim360Project, folder.id, 'small-parts.bin', [randomBytes(10), randomBytes(10)]);
  await settle(oss.complete(second.storage, { uploadKey: second.uploadKey }));
  await settle(oss.uploadUrls(second.storage, { count: 1, uploadKey: 'spent' }));
  const personal = new DataManagementWrites(user.http);
  const mine = await personal.createFolder(ids.personalProject, { parentId: ids.folders.personalRoot, name: 'Conformance', kind: 'personal' });
  const notes = await upload(ids.personalProject, mine.id, 'notes.txt', [randomBytes(100)], personal);
  await settle(personal.createItem(ids.personalProject, { folderId: mine.id, name: 'notes.txt', storage: notes.storage, kind: 'personal' }));
}

async function settleValue<T>(promise: Promise<T>): Promise<T | undefined> {
  return promise.catch(() => undefined);
}

/** Hubs while APS's EMEA back-end refuses the app: the listing with its warning, and the refused hub. */
export async function hubWarningScenario(emulator: RunningEmulator): Promise<void> {
  const { app } = clients(emulator);
  try {
    const listing = await app.dm.listHubs();
    if (listing.warnings.length === 0) throw new Error('no warning in the hub listing');
    await settle(app.dm.getHub(emulator.seed.ids.emeaHub));
  } finally {
    await app.close();
  }
}
