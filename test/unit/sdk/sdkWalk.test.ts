// Autodesk's own Node SDK (@aps_sdk/*) drives the strict emulator exactly as an APS app would: if the
// emulator refused a request shape APS accepts, or answered a shape the SDK cannot read, this walk fails.
import { strict as assert } from 'node:assert';
import { createHash, randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { startEmulator, type Form, type RunningEmulator } from '../../emulator';
import { Scopes, sdkClients, sha1OfFirst, type SdkClients } from './sdk';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function splitStorageUrn(urn: string): { bucketKey: string; objectKey: string } {
  const rest = urn.replace('urn:adsk.objects:os.object:', '');
  const slash = rest.indexOf('/');
  return { bucketKey: rest.slice(0, slash), objectKey: rest.slice(slash + 1) };
}

for (const form of ['seed', 'spec'] as const) {
  describe(`Autodesk's Node SDK against the strict emulator (${form} form)`, function () {
    this.timeout(60_000);
    let emulator: RunningEmulator;
    let sdk: SdkClients;
    let accessToken: string;

    before(async () => {
      emulator = await startEmulator({ form: form as Form });
    });
    after(() => emulator.close());

    it('gets a 2-legged token (POST //authentication/v2/token, Basic client credentials, form body)', async () => {
      const { clientId, clientSecret } = emulator.seed.credentials;
      const token = await sdkClients(emulator).auth.getTwoLeggedToken(clientId, clientSecret as string, [Scopes.DataRead, Scopes.DataCreate]);
      assert.equal(token.token_type, 'Bearer');
      assert.equal(token.expires_in, 3599);
      accessToken = token.access_token;
      sdk = sdkClients(emulator, accessToken);
      const [sent] = emulator.requests.list({ path: '/authentication/v2/token' });
      assert.equal(sent.path, '//authentication/v2/token', 'the SDK joins its base URL and paths with a double slash, as it does against APS');
      assert.equal(sent.status, 200);
    });

    it('walks hubs → projects → top folders → folder contents page by page → item versions', async () => {
      const { ids } = emulator.seed;
      const hubs = await sdk.dm.getHubs();
      const expectedHubs = emulator.seed.hubs.filter((hub) => hub.kind !== 'personal').map((hub) => hub.id);
      assert.deepEqual(hubs.data!.map((hub) => hub.id).sort(), [...expectedHubs].sort());
      const hub = hubs.data!.find((candidate) => candidate.id === ids.bim360Hub)!;
      assert.equal(hub.attributes?.extension?.type, 'hubs:autodesk.bim360:Account');

      const projects = await sdk.dm.getHubProjects(hub.id!);
      const tower = projects.data!.find((project) => project.id === ids.bim360Project)!;
      assert.equal(tower.attributes?.name, 'Tower');
      assert.equal((tower.attributes?.extension?.data as Json)?.projectType, 'BIM360');

      const top = await sdk.dm.getProjectTopFolders(hub.id!, tower.id!);
      assert.deepEqual(top.data!.map((folder) => folder.attributes?.name), ['Project Files', 'Plans']);
      const projectFiles = top.data![0];
      assert.equal(projectFiles.id, ids.folders.bim360ProjectFiles);

      const pageLimit = 4;
      const listed: string[] = [];
      for (let pageNumber = 0; ; pageNumber++) {
        const page = await sdk.dm.getFolderContents(tower.id!, projectFiles.id!, { pageNumber, pageLimit });
        assert.ok(page.data!.length <= pageLimit);
        listed.push(...page.data!.map((entry) => entry.id));
        const tips = (page.included ?? []).map((version) => version.id);
        const itemTips = page.data!.filter((entry) => entry.type === 'items').map((entry) => (entry.relationships as Json).tip.data.id);
        assert.deepEqual(tips, itemTips, 'included holds the tip of every item on the page');
        if (!page.links?.next) break;
        assert.match(page.links.next.href, new RegExp(`page%5Bnumber%5D=${pageNumber + 1}`));
      }
      const visibleFolders = emulator.seed.folders.filter((folder) => folder.parentId === ids.folders.bim360ProjectFiles && !folder.hidden && !folder.restrictedToUserIds);
      const visibleItems = emulator.seed.items.filter((item) => item.folderId === ids.folders.bim360ProjectFiles && !item.hidden);
      assert.equal(listed.length, visibleFolders.length + visibleItems.length + 1, 'every folder (Confidential too: the app is not a user) and item, once');
      assert.equal(new Set(listed).size, listed.length);

      const seeded = emulator.seed.items.find((item) => item.id === ids.items.towerRvt)!;
      const versions = await sdk.dm.getItemVersions(tower.id!, seeded.id);
      assert.deepEqual(versions.data!.map((version) => version.id), [...seeded.versions].reverse().map((version) => version.id));
      assert.equal(versions.data![0].attributes?.versionNumber, seeded.versions.length);
    });

    it('converts: downloadFormats → createDownload → getDownloadJob until the 303 lands on the download', async () => {
      const { ids } = emulator.seed;
      const seeded = emulator.seed.items.find((item) => item.id === ids.items.towerRvt)!;
      const tipId = seeded.versions.at(-1)!.id;
      const formats = await sdk.dm.getVersionDownloadFormats(ids.bim360Project, tipId);
      const fileTypes = formats.data!.attributes?.formats?.map((format) => format.fileType);
      assert.deepEqual(fileTypes, seeded.versions.at(-1)!.downloadFormats);

      const created = (await sdk.dm.createDownload(ids.bim360Project, {
        jsonapi: { version: '1.0' },
        data: { type: 'downloads', attributes: { format: { fileType: 'ifc' } }, relationships: { source: { data: { type: 'versions', id: tipId } } } },
      } as never)) as unknown as Json;
      const job = form === 'seed' ? created.data : created.data[0];
      assert.equal(Array.isArray(created.data), form === 'spec');
      assert.equal(job.type, 'jobs');
      assert.equal(job.attributes.status, 'queued');

      let answer: Json = {};
      const statuses: string[] = [];
      for (let poll = 0; poll < 10; poll++) {
        answer = (await sdk.dm.getDownloadJob(ids.bim360Project, job.id)) as unknown as Json;
        if (answer.data.type === 'downloads') break;
        statuses.push(answer.data.attributes.status);
      }
      assert.deepEqual(statuses, ['queued', 'processing']);
      assert.equal(answer.data.type, 'downloads', 'axios followed the 303 to the download');
      assert.equal(answer.data.id, job.id);
      assert.equal(answer.data.attributes.format.fileType, 'ifc');
      const followed = emulator.requests.list({ path: `/downloads/${job.id}` });
      assert.equal(followed.at(-1)?.status, 200);

      const storage = splitStorageUrn(answer.data.relationships.storage.data.id);
      const described = await emulator.describeObject(storage.bucketKey, storage.objectKey);
      const signed = await sdk.oss.signedS3Download(storage.bucketKey, storage.objectKey);
      assert.equal(signed.size, described.size);
      assert.equal(signed.sha1, described.sha1);
    });

    it('downloads through OSS: signedS3Download reports size and sha1, and downloadObject fetches exactly those bytes', async () => {
      const { ids } = emulator.seed;
      // Under the SDK's 5 MiB part size: downloadObject pipes each part into its stream as soon as the part's
      // headers arrive, so the parts of a bigger object interleave there (an SDK defect, whatever the server).
      const seeded = emulator.seed.items.find((item) => item.id === ids.items.towerRvt)!;
      const { bucketKey, objectKey } = splitStorageUrn(`urn:adsk.objects:os.object:${seeded.versions.at(-1)!.storage}`);
      const described = await emulator.describeObject(bucketKey, objectKey);

      const signed = await sdk.oss.signedS3Download(bucketKey, objectKey);
      assert.equal(signed.status, 'complete');
      assert.equal(signed.size, 3 * 1024 * 1024 + 65_537);
      assert.equal(signed.sha1, described.sha1);

      emulator.requests.clear();
      const stream = (await sdk.oss.downloadObject(bucketKey, objectKey)) as unknown as Readable;
      const fetched = await sha1OfFirst(stream, described.size);
      assert.equal(fetched.sha1, described.sha1);
      const storageRequests = emulator.requests.list({ origin: 'storage' });
      assert.ok(storageRequests.length > 0);
      assert.deepEqual(
        storageRequests.map((request) => [request.range, request.status, request.hadAuthorization]),
        [[`bytes=0-${described.size}`, 206, false]],
        'one range whose end S3 clamps to the last byte, and no Authorization to storage',
      );
    });

    it('uploads as APS documents it: createStorage → uploadObject (5 MiB parts) → createItem, createVersion, createFolder; the bytes read back identical', async () => {
      const { clientId, clientSecret } = emulator.seed.credentials;
      const writer = await sdkClients(emulator).auth.getTwoLeggedToken(clientId, clientSecret as string, [Scopes.DataRead, Scopes.DataWrite, Scopes.DataCreate]);
      const upload = sdkClients(emulator, writer.access_token);
      const { ids } = emulator.seed;
      const project = ids.bim360Project;

      const folder = (await upload.dm.createFolder(project, {
        jsonapi: { version: '1.0' },
        data: { type: 'folders', attributes: { name: `SDK ${form}`, extension: { type: 'folders:autodesk.bim360:Folder', version: '1.0' } }, relationships: { parent: { data: { type: 'folders', id: ids.folders.level1 } } } },
      } as never)) as unknown as Json;
      const folderId: string = folder.data.id;
      assert.equal(folder.data.attributes.name, `SDK ${form}`);

      const uploadFile = async (name: string, bytes: Buffer) => {
        const storage = (await upload.dm.createStorage(project, {
          jsonapi: { version: '1.0' },
          data: { type: 'objects', attributes: { name }, relationships: { target: { data: { type: 'folders', id: folderId } } } },
        } as never)) as unknown as Json;
        const location = splitStorageUrn(storage.data.id);
        const completed = (await upload.oss.uploadObject(location.bucketKey, location.objectKey, bytes)) as unknown as Json;
        assert.equal(completed.size, bytes.length);
        return { urn: storage.data.id as string, ...location };
      };
      const first = randomBytes(12 * 1024 * 1024 + 7);
      emulator.requests.clear();
      const v1 = await uploadFile('SDK Model.rvt', first);
      const puts = emulator.requests.list({ origin: 'storage', method: 'PUT' });
      assert.deepEqual(puts.map((put) => [put.status, put.hadAuthorization]), [[200, false], [200, false], [200, false]], 'three 5 MiB-cut parts, no Authorization to storage');
      const [signing] = emulator.requests.list({ method: 'GET', path: /signeds3upload$/ });
      assert.deepEqual([signing.query.parts, signing.query.firstPart, signing.query.uploadKey], ['3', '1', undefined], 'the SDK opens the upload with all its URLs at once');
      const created = (await upload.dm.createItem(project, {
        jsonapi: { version: '1.0' },
        data: {
          type: 'items',
          attributes: { displayName: 'SDK Model.rvt', extension: { type: 'items:autodesk.bim360:File', version: '1.0' } },
          relationships: { tip: { data: { type: 'versions', id: '1' } }, parent: { data: { type: 'folders', id: folderId } } },
        },
        included: [{ type: 'versions', id: '1', attributes: { name: 'SDK Model.rvt', extension: { type: 'versions:autodesk.bim360:File', version: '1.0' } }, relationships: { storage: { data: { type: 'objects', id: v1.urn } } } }],
      } as never)) as unknown as Json;
      const itemId: string = created.data.id;
      assert.equal(created.included[0].attributes.storageSize, first.length);

      const second = randomBytes(3 * 1024 * 1024 + 11);
      const v2 = await uploadFile('SDK Model.rvt', second);
      const version = (await upload.dm.createVersion(project, {
        jsonapi: { version: '1.0' },
        data: {
          type: 'versions',
          attributes: { name: 'SDK Model.rvt', extension: { type: 'versions:autodesk.bim360:File', version: '1.0' } },
          relationships: { item: { data: { type: 'items', id: itemId } }, storage: { data: { type: 'objects', id: v2.urn } } },
        },
      } as never)) as unknown as Json;
      assert.equal(version.data.attributes.versionNumber, 2);

      const contents = await upload.dm.getFolderContents(project, folderId);
      assert.deepEqual(contents.data!.map((entry) => entry.id), [itemId]);
      const tip = (await upload.dm.getItemTip(project, itemId)) as unknown as Json;
      assert.equal(tip.data.attributes.storageSize, second.length);

      for (const [location, bytes] of [[v1, first], [v2, second]] as const) {
        const signed = await upload.oss.signedS3Download(location.bucketKey, location.objectKey);
        assert.equal(signed.size, bytes.length);
        assert.equal(signed.sha1, createHash('sha1').update(bytes).digest('hex'));
        const details = await upload.oss.getObjectDetails(location.bucketKey, location.objectKey);
        assert.equal(details.size, bytes.length);
        assert.equal(details.sha1, signed.sha1);
      }
      // downloadObject reads an object under its 5 MiB part size back whole (bigger ones interleave, see above).
      const small = randomBytes(1024 * 1024 + 3);
      const v3 = await uploadFile('SDK Notes.txt', small);
      const stream = (await upload.oss.downloadObject(v3.bucketKey, v3.objectKey)) as unknown as Readable;
      assert.equal((await sha1OfFirst(stream, small.length)).sha1, createHash('sha1').update(small).digest('hex'));
      const whole = Buffer.from(await (await fetch((await upload.oss.signedS3Download(v1.bucketKey, v1.objectKey)).url!)).arrayBuffer());
      assert.ok(whole.equals(first));
    });

    it('is refused where APS is strict: a token without data:create cannot create downloads', async () => {
      const { clientId, clientSecret } = emulator.seed.credentials;
      const readOnly = await sdkClients(emulator).auth.getTwoLeggedToken(clientId, clientSecret as string, [Scopes.DataRead]);
      const { ids } = emulator.seed;
      const seeded = emulator.seed.items.find((item) => item.id === ids.items.towerRvt)!;
      await assert.rejects(
        sdkClients(emulator, readOnly.access_token, { quiet: true }).dm.createDownload(ids.bim360Project, {
          jsonapi: { version: '1.0' },
          data: { type: 'downloads', attributes: { format: { fileType: 'ifc' } }, relationships: { source: { data: { type: 'versions', id: seeded.versions.at(-1)!.id } } } },
        } as never),
        (error: Error) => /status : 403/.test(error.message) && /AUTH-010/.test(error.message),
      );
    });
  });
}
