import { createHash, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AddedFile, AddedObject, AddedVersion, AddFileSpec, AddFolderSpec, AddObjectSpec, IssueTokenSpec, RunningEmulator } from './index';
import type { ApiContext, ResolvedOptions } from './api/context';
import type { ControlDeps } from './api/controlRoutes';
import { APS_RATE_LIMITS, RateLimiter } from './api/rateLimits';
import { resolveSwitches, type Switches } from './choices';
import { apiHandler } from './api/server';
import { TokenStore } from './auth/tokens';
import { Clock } from './clock';
import { Faults } from './faults/controller';
import { DataModel } from './model/dataModel';
import { Jobs } from './model/jobs';
import type { EmulatorOptions, JobSteps } from './options';
import { Requests } from './requestLog';
import { BUCKET, seed, type SeedItem, type SeedVersion } from './seed';
import { ObjectStore, objectUrn, type StoredObject } from './storage/objects';
import { storageHandler } from './storage/server';
import { UrlSigner } from './storage/signing';
import { Uploads } from './storage/uploads';
import { mulberry32 } from './random';


function steps(given: JobSteps | undefined): Required<JobSteps> {
  return { queuedPolls: 1, processingPolls: 1, queuedMs: 0, processingMs: 0, ...given };
}

function switchesOf(options: EmulatorOptions): Switches {
  const shorthands: Partial<Switches> = {};
  if (options.rateLimits !== undefined) shorthands.rateLimits = options.rateLimits === false ? 'off' : 'aps';
  if (options.hubWarnings !== undefined) shorthands.hubWarnings = options.hubWarnings ? 'emea-refused' : 'off';
  return resolveSwitches(options.form, options.strictness, { ...shorthands, ...options.switches });
}

function resolve(options: EmulatorOptions): ResolvedOptions {
  return {
    latencyMs: options.latencyMs ?? 0,
    jitterMs: options.jitterMs ?? 0,
    tokenTtlSeconds: options.tokenTtlSeconds ?? 3599,
    codeTtlSeconds: options.codeTtlSeconds ?? 300,
    signedUrlMinutesDefault: options.signedUrlMinutesDefault ?? 2,
    bim360ExportUrlSeconds: options.bim360ExportUrlSeconds ?? 120,
    accExportUrlSeconds: options.accExportUrlSeconds ?? 3600,
    jobSteps: steps(options.jobSteps),
    exportSteps: steps(options.exportSteps),
    switches: switchesOf(options),
  };
}

export function loopbackHost(host: string | undefined): string {
  const chosen = host ?? '127.0.0.1';
  if (!/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(chosen) && chosen !== '::1') throw new Error(`The emulator only binds loopback addresses (127.x.y.z or ::1), not ${chosen}.`);
  return chosen;
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolvePort, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolvePort((server.address() as AddressInfo).port);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolveClose) => {
    server.close(() => resolveClose());
    server.closeAllConnections();
  });
}

function seedOf(label: string): number {
  return createHash('sha1').update(label).digest().readUInt32LE(0);
}

export async function createEmulator(options: EmulatorOptions): Promise<RunningEmulator> {
  const log = options.log ?? (() => undefined);
  const clock = new Clock();
  const now = () => clock.now();
  const random = mulberry32(options.randomSeed ?? 1);
  const requests = new Requests();
  const faults = new Faults(random);
  for (const spec of options.faults ?? []) faults.add(spec);
  const store = new ObjectStore(seed.objects, now);
  let baseUrl = '';
  let storageUrl = '';
  const signer = new UrlSigner(() => storageUrl, now);
  const model = new DataModel(seed, (key) => {
    const slash = key.indexOf('/');
    return store.get(key.slice(0, slash), key.slice(slash + 1))?.size;
  });
  const resolved = resolve(options);
  const tokens = new TokenStore(now, () => baseUrl);
  const jobs = new Jobs(store, now, resolved.jobSteps, resolved.exportSteps);
  const rateLimiter =
    resolved.switches.rateLimits === 'aps'
      ? new RateLimiter({ ...APS_RATE_LIMITS, ...(typeof options.rateLimits === 'object' ? options.rateLimits : {}) } as Record<string, number>, now)
      : undefined;

  const uploads = new Uploads(now, options.uploadDir);

  const ctx: ApiContext = {
    base: () => baseUrl,
    seed,
    // Copies: registerCallbackUrl changes this emulator's apps only, never the shared seed.
    apps: [seed.credentials, seed.publicApp].map((app) => ({ ...app, callbackUrls: [...app.callbackUrls] })),
    options: resolved,
    model,
    tokens,
    signer,
    jobs,
    rateLimiter,
    requests,
    faults,
    now,
    random,
    log,
    store,
    uploads,
    onResponse: options.onResponse,
  };

  const describeObject = async (object: StoredObject): Promise<AddedObject> => ({
    bucketKey: object.bucketKey,
    objectKey: object.objectKey,
    objectId: objectUrn(object.bucketKey, object.objectKey),
    size: object.size,
    sha1: await store.sha1(object),
    etag: object.etag,
  });
  const mustGet = (bucketKey: string, objectKey: string): StoredObject => {
    const object = store.get(bucketKey, objectKey);
    if (!object) throw new Error(`no object ${bucketKey}/${objectKey}`);
    return object;
  };
  const addObject = async (spec: AddObjectSpec): Promise<AddedObject> => {
    if (!(Number.isSafeInteger(spec.size) && spec.size >= 0)) throw new RangeError('size must be a non-negative integer');
    const bucketKey = spec.bucketKey ?? BUCKET;
    const objectKey = spec.objectKey ?? `${randomUUID()}.bin`;
    const object = store.put({
      bucketKey,
      objectKey,
      size: spec.size,
      seed: spec.seed ?? seedOf(`${bucketKey}/${objectKey}`),
      contentType: spec.contentType ?? 'application/octet-stream',
      chunked: spec.chunked,
    });
    return describeObject(object);
  };
  const replaceObject = async (bucketKey: string, objectKey: string, change: { size?: number; seed?: number } = {}): Promise<AddedObject> => {
    mustGet(bucketKey, objectKey);
    return describeObject(store.replace(bucketKey, objectKey, change));
  };
  let addedFiles = 0;
  const addFile = (spec: AddFileSpec): AddedFile => {
    const folder = model.folders.get(spec.folderId);
    if (!folder || folder.projectId !== spec.projectId) throw new Error(`no folder ${spec.folderId} in project ${spec.projectId}`);
    if (spec.sizes.length === 0) throw new Error('a file needs at least one version');
    const lineage = createHash('sha1').update(`added:${++addedFiles}:${spec.name}`).digest('base64url').slice(0, 22);
    const itemId = `urn:adsk.wipprod:dm.lineage:${lineage}`;
    const dot = spec.name.lastIndexOf('.');
    const ext = dot >= 0 ? spec.name.slice(dot + 1).toLowerCase() : '';
    const bucketKey = spec.bucketKey ?? BUCKET;
    const versions = spec.sizes.map((size, index): SeedVersion => {
      const objectKey = `${randomUUID()}.${ext || 'bin'}`;
      store.put({ bucketKey, objectKey, size, seed: seedOf(`${itemId}:${index}`), contentType: 'application/octet-stream' });
      return {
        id: `urn:adsk.wipprod:fs.file:vf.${lineage}?version=${index + 1}`,
        itemId,
        versionNumber: index + 1,
        name: spec.name,
        ...(ext ? { fileType: ext } : {}),
        mimeType: 'application/octet-stream',
        kind: 'file',
        storage: `${bucketKey}/${objectKey}`,
        downloadFormats: [ext || 'bin'],
        createTime: new Date(now()).toISOString(),
        createUserId: seed.ids.users.demo,
      };
    });
    const item: SeedItem = { id: itemId, projectId: spec.projectId, folderId: spec.folderId, displayName: spec.name, kind: 'file', hidden: false, versions };
    model.addItem(item);
    return { itemId, versionIds: versions.map((v) => v.id), objectKeys: versions.map((v) => v.storage as string) };
  };

  let addedFolders = 0;
  const addFolder = (spec: AddFolderSpec): string => {
    const parent = model.folders.get(spec.parentId);
    if (!parent || parent.projectId !== spec.projectId) throw new Error(`no folder ${spec.parentId} in project ${spec.projectId}`);
    const id = `urn:adsk.wipprod:fs.folder:co.${createHash('sha1').update(`added-folder:${++addedFolders}:${spec.name}`).digest('base64url').slice(0, 22)}`;
    model.addFolder({ id, projectId: spec.projectId, parentId: spec.parentId, name: spec.name, folderType: parent.folderType, hidden: false, createTime: new Date(now()).toISOString() });
    return id;
  };
  const addVersion = (itemId: string, size: number, name?: string): AddedVersion => {
    const item = model.items.get(itemId);
    if (!item) throw new Error(`no item ${itemId}`);
    const tip = model.tip(item);
    const bucketKey = tip.storage ? tip.storage.slice(0, tip.storage.indexOf('/')) : BUCKET;
    const versionNumber = tip.versionNumber + 1;
    const fileName = name ?? tip.name;
    const dot = fileName.lastIndexOf('.');
    const objectKey = `${randomUUID()}.${dot >= 0 ? fileName.slice(dot + 1).toLowerCase() : 'bin'}`;
    store.put({ bucketKey, objectKey, size, seed: seedOf(`${itemId}:${versionNumber}:${objectKey}`), contentType: 'application/octet-stream' });
    const version: SeedVersion = {
      ...tip,
      id: tip.id.replace(/\?version=\d+$/, `?version=${versionNumber}`),
      versionNumber,
      name: fileName,
      kind: 'file',
      storage: `${bucketKey}/${objectKey}`,
      createTime: new Date(now()).toISOString(),
    };
    delete version.sheet;
    model.addVersion(itemId, version);
    return { versionId: version.id, versionNumber, objectKey: version.storage as string };
  };

  const control: ControlDeps = {
    addFault: (spec) => faults.add(spec),
    removeFault: (id) => faults.remove(id),
    clearFaults: () => faults.clear(),
    listFaults: () => faults.list(),
    listRequests: (filter) => requests.list(filter),
    clearRequests: () => requests.clear(),
    advanceClock: (ms) => clock.advance(ms),
    expireTokens: () => tokens.expireAllAccess(),
    addObject: (spec) => addObject(spec as AddObjectSpec),
    addFolder: (spec) => ({ folderId: addFolder(spec as AddFolderSpec) }),
    addFile: (spec) => addFile(spec as AddFileSpec),
    addVersion: (spec) => {
      const { itemId, size, name } = spec as { itemId: string; size: number; name?: string };
      return addVersion(itemId, size, name);
    },
    replaceObject,
    describe: () => ({ baseUrl, storageUrl, clientId: seed.credentials.clientId, ids: seed.ids, sizes: seed.sizes, now: now(), switches: resolved.switches }),
  };

  const apiServer = createServer({ keepAliveTimeout: 5_000 }, apiHandler(ctx, control));
  const storageServer = createServer({ keepAliveTimeout: 5_000 }, storageHandler({ ...ctx, signer }));
  try {
    const host = loopbackHost(options.host);
    const origin = host.includes(':') ? `[${host}]` : host;
    const apiPort = await listen(apiServer, options.port ?? 0, host);
    baseUrl = `http://${origin}:${apiPort}`;
    const storagePort = await listen(storageServer, options.storagePort ?? 0, host);
    storageUrl = `http://${origin}:${storagePort}`;
  } catch (error) {
    await Promise.all([closeServer(apiServer), closeServer(storageServer)]);
    uploads.close();
    throw error;
  }
  log(`APS emulator listening: api ${baseUrl}, storage ${storageUrl}`);

  let closing: Promise<void> | undefined;
  return {
    baseUrl,
    storageUrl,
    faults,
    requests,
    seed,
    switches: resolved.switches,
    clock,
    expireTokens: () => tokens.expireAllAccess(),
    issueToken: (spec: IssueTokenSpec) =>
      tokens.issueAccess({ clientId: spec.clientId ?? seed.credentials.clientId, scopes: spec.scopes, userId: spec.userId, ttlSeconds: spec.ttlSeconds ?? resolved.tokenTtlSeconds }),
    addObject,
    replaceObject,
    describeObject: (bucketKey, objectKey) => describeObject(mustGet(bucketKey, objectKey)),
    objectBytes: (bucketKey, objectKey, start = 0, end?: number) => {
      const object = mustGet(bucketKey, objectKey);
      return store.bytes(object, start, end ?? object.size);
    },
    signedUrl: (bucketKey, objectKey, signOptions = {}) => {
      mustGet(bucketKey, objectKey);
      return signer.sign({ bucketKey, objectKey, expiresInSeconds: (signOptions.minutes ?? resolved.signedUrlMinutesDefault) * 60, useCdn: signOptions.useCdn ?? false });
    },
    addFile,
    addFolder,
    addVersion,
    moveItem: (itemId, folderId, name) => model.moveItem(itemId, folderId, name),
    removeItem: (itemId) => model.removeItem(itemId),
    registerCallbackUrl: (clientId, url) => {
      const app = ctx.apps.find((candidate) => candidate.clientId === clientId);
      if (!app) throw new Error(`no app ${clientId}`);
      app.callbackUrls.push(url);
    },
    close: () => {
      closing ??= Promise.all([closeServer(apiServer), closeServer(storageServer)]).then(() => {
        uploads.close();
        log('APS emulator closed');
      });
      return closing;
    },
  };
}
