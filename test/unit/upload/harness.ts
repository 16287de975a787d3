// Shared setup for upload engine tests: one emulator per file, a fresh target folder in Tower and fresh local
// and journal folders per test, fast retries; results read back through the emulator.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../../emulator';
import { createApsClient, type ApsClient } from '../../../src/core/client';
import type { FolderEntry, Item, Version } from '../../../src/core/dm/models';
import { UploadEngine, type UploadEngineOptions, type UploadRunOptions, type UploadTarget } from '../../../src/core/upload';

export const KiB = 1024;
export const MiB = 1024 * 1024;

/** Quick retries, same code paths as the defaults (the stall timeout stays the default's). */
export const FAST: UploadRunOptions = {
  retry: { attempts: 8, baseDelayMs: 5, maxDelayMs: 40, maxRetryAfterMs: 30 },
  progressIntervalMs: 20,
};

export const TOWER = ['Emulator BIM 360 Account', 'Tower', 'Project Files'];

export interface LocalFile {
  readonly path: string;
  readonly sha1: string;
  readonly size: number;
}

export interface UploadHarness {
  readonly emulator: RunningEmulator;
  /** The demo app acting as the demo user (x-user-id), as the command line runs it. */
  readonly client: ApsClient;
  /** A fresh, empty local folder for the current test. */
  readonly dir: string;
  readonly journalDir: string;
  /** A fresh folder in Tower/Project Files/Level 1 for the current test. */
  readonly folderId: string;
  readonly folderName: string;
  readonly log: string[];
  engine(options?: UploadEngineOptions): UploadEngine;
  /** The current test's folder (or `folderId` named `names`) as an upload target. */
  target(extra?: Partial<UploadTarget>): UploadTarget;
  /** A local file of random bytes (or these bytes) at `relative` below `dir`. */
  file(relative: string, content: number | Buffer): Promise<LocalFile>;
  contents(folderId?: string): Promise<FolderEntry[]>;
  item(name: string, folderId?: string): Promise<Item | undefined>;
  versions(itemId: string): Promise<Version[]>;
  /** SHA-1 of the stored object behind a version, as the emulator holds it. */
  storedSha1(version: Version): Promise<string>;
}

export function sha1Of(bytes: Buffer): string {
  return createHash('sha1').update(bytes).digest('hex');
}

/** The demo app acting as the demo user (x-user-id), as the command line runs it, with quick retries: it may write. */
export function demoUserClient(emulator: RunningEmulator): ApsClient {
  const { clientId, clientSecret } = emulator.seed.credentials;
  return createApsClient({
    baseUrl: emulator.baseUrl,
    auth: { kind: '2-legged', clientId, clientSecret: clientSecret as string, userId: emulator.seed.ids.users.demo },
    retry: { baseDelayMs: 5, maxDelayMs: 40 },
    proxy: { url: '' },
  });
}

export function useUploadHarness(options: EmulatorOptions = {}): UploadHarness {
  const engines: UploadEngine[] = [];
  const state = { emulator: undefined as RunningEmulator | undefined, client: undefined as ApsClient | undefined, dir: '', journalDir: '', folderId: '', folderName: '', log: [] as string[], tests: 0 };
  before(async () => {
    state.emulator = await startEmulator({ rateLimits: false, ...options });
    state.client = demoUserClient(state.emulator);
  });
  after(async () => {
    await state.client?.close();
    await state.emulator?.close();
  });
  beforeEach(async () => {
    state.dir = await mkdtemp(path.join(tmpdir(), 'aps-upload-'));
    state.journalDir = await mkdtemp(path.join(tmpdir(), 'aps-upload-journals-'));
    state.log = [];
    const emulator = state.emulator as RunningEmulator;
    emulator.faults.clear();
    state.folderName = `Upload test ${++state.tests}`;
    const folder = await (state.client as ApsClient).writes.createFolder(emulator.seed.ids.bim360Project, { parentId: emulator.seed.ids.folders.level1, name: state.folderName, kind: 'bim360' });
    state.folderId = folder.id;
    emulator.requests.clear();
  });
  afterEach(async () => {
    await Promise.all(engines.splice(0).map((engine) => engine.close()));
    await rm(state.dir, { recursive: true, force: true });
    await rm(state.journalDir, { recursive: true, force: true });
  });

  const harness: UploadHarness = {
    get emulator() {
      return state.emulator as RunningEmulator;
    },
    get client() {
      return state.client as ApsClient;
    },
    get dir() {
      return state.dir;
    },
    get journalDir() {
      return state.journalDir;
    },
    get folderId() {
      return state.folderId;
    },
    get folderName() {
      return state.folderName;
    },
    get log() {
      return state.log;
    },
    engine(engineOptions = {}) {
      const engine = new UploadEngine(harness.client, { journalDir: state.journalDir, log: (level, message) => state.log.push(`${level}: ${message}`), ...engineOptions });
      engines.push(engine);
      return engine;
    },
    target(extra = {}) {
      return { projectId: harness.emulator.seed.ids.bim360Project, kind: 'bim360', folderId: state.folderId, names: [...TOWER, 'Level 1', state.folderName], plansFolder: false, ...extra };
    },
    async file(relative, content) {
      const bytes = typeof content === 'number' ? randomBytes(content) : content;
      const file = path.join(state.dir, relative);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, bytes);
      return { path: file, sha1: sha1Of(bytes), size: bytes.length };
    },
    contents(folderId = state.folderId) {
      return harness.client.dm.listFolderContents(harness.emulator.seed.ids.bim360Project, folderId);
    },
    async item(name, folderId) {
      return (await harness.contents(folderId)).find((entry): entry is Item => entry.type === 'items' && entry.name === name);
    },
    versions(itemId) {
      return harness.client.dm.listVersions(harness.emulator.seed.ids.bim360Project, itemId);
    },
    async storedSha1(version) {
      const storage = version.storage;
      if (!storage) throw new Error(`version ${version.id} has no storage`);
      return (await harness.emulator.describeObject(storage.bucketKey, storage.objectKey)).sha1;
    },
  };
  return harness;
}
