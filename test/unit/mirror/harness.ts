// Mirrors against the strict emulator: a fresh tree of folders and files per test, built in the emulator,
// a fresh local folder, and what APS holds read back through Autodesk's own SDK.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { ApsClient } from '../../../src/core';
import { runMirror, type MirrorDecisions, type MirrorOptions, type MirrorReport, type MirrorSource } from '../../../src/core/mirror';
import { TransferEngine, type ConflictPolicy } from '../../../src/core/transfer';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../../emulator';
import { twoLeggedClient } from '../core/harness';
import { sdkClients } from '../sdk/sdk';
import { sha1OfFile } from '../transfer/harness';
import { buildTree, type BuiltTree, type TreeSpec } from './tree';

export { buildTree, type BuiltTree, type TreeSpec };

export interface MirrorHarness {
  readonly emulator: RunningEmulator;
  readonly client: ApsClient;
  readonly engine: TransferEngine;
  /** A fresh, empty folder for the current test. */
  readonly dir: string;
  /** A new folder in Tower/Project Files holding `spec`. */
  tree(spec: TreeSpec, options?: { bucketKey?: string }): BuiltTree & { name: string };
  source(folderId: string): MirrorSource;
  mirror(folderId: string, options?: Partial<MirrorOptions> & { answers?: Partial<Answers> }): Promise<MirrorReport>;
}

export interface Answers {
  adoptNonEmpty: boolean;
  rebuildDamaged: boolean;
  conflicts: ConflictPolicy | undefined;
  deleteRemoved: boolean;
}

/** Decisions that answer from a table and record what was asked. */
export function answering(answers: Partial<Answers> = {}): MirrorDecisions & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    adoptNonEmpty: async () => (asked.push('adoptNonEmpty'), answers.adoptNonEmpty ?? false),
    rebuildDamaged: async () => (asked.push('rebuildDamaged'), answers.rebuildDamaged ?? true),
    conflicts: async () => (asked.push('conflicts'), 'conflicts' in answers ? answers.conflicts : 'keepBoth'),
    deleteRemoved: async () => (asked.push('deleteRemoved'), answers.deleteRemoved ?? false),
  };
}

export function useMirrorHarness(options: EmulatorOptions = {}): MirrorHarness {
  const state = { emulator: undefined as RunningEmulator | undefined, client: undefined as ApsClient | undefined, engine: undefined as TransferEngine | undefined, dir: '' };
  before(async () => {
    state.emulator = await startEmulator(options);
    state.client = twoLeggedClient(state.emulator, undefined, { userId: state.emulator.seed.ids.users.demo });
    state.engine = new TransferEngine({ proxy: { url: '' } });
  });
  after(async () => {
    await state.engine?.close();
    await state.client?.close();
    await state.emulator?.close();
  });
  beforeEach(async () => {
    state.dir = await mkdtemp(path.join(tmpdir(), 'aps-mirror-'));
    state.emulator?.faults.clear();
    state.emulator?.requests.clear();
  });
  afterEach(async () => {
    await rm(state.dir, { recursive: true, force: true });
  });
  const harness: MirrorHarness = {
    get emulator() {
      return state.emulator as RunningEmulator;
    },
    get client() {
      return state.client as ApsClient;
    },
    get engine() {
      return state.engine as TransferEngine;
    },
    get dir() {
      return state.dir;
    },
    tree: (spec, treeOptions) => buildTree(harness.emulator, spec, treeOptions),
    source(folderId) {
      const { ids } = harness.emulator.seed;
      return { hubId: ids.bim360Hub, projectId: ids.bim360Project, folderId, names: ['Emulator BIM 360 Account', 'Tower', 'Project Files', 'Mirror'] };
    },
    mirror(folderId, mirrorOptions = {}) {
      const { answers, ...rest } = mirrorOptions;
      return runMirror({
        root: harness.dir,
        source: harness.source(folderId),
        services: harness.client,
        engine: harness.engine,
        decisions: answering(answers),
        ...rest,
      });
    },
  };
  return harness;
}

/** Every file below `dir` (the mirror's own record left out) with its sha1, by '/'-separated relative path. */
export async function localTree(dir: string): Promise<Record<string, string>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const result: Record<string, string> = {};
  for (const entry of entries.filter((candidate) => candidate.isFile() && !candidate.name.startsWith('.aps-mirror'))) {
    const file = path.join(entry.parentPath, entry.name);
    result[path.relative(dir, file).split(path.sep).join('/')] = await sha1OfFile(file);
  }
  return Object.fromEntries(Object.entries(result).sort(([a], [b]) => a.localeCompare(b)));
}

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * What APS holds below a folder, read through Autodesk's SDK as another app would: every item's tip by its
 * path of names, with the sha1 OSS reports for its object.
 */
export async function sdkTree(emulator: RunningEmulator, folderId: string): Promise<Record<string, string>> {
  const sdk = sdkClients(emulator, emulator.issueToken({ scopes: ['data:read'] }));
  const projectId = emulator.seed.ids.bim360Project;
  const result: Record<string, string> = {};
  const walk = async (id: string, prefix: string): Promise<void> => {
    for (let pageNumber = 0; ; pageNumber++) {
      const page = (await sdk.dm.getFolderContents(projectId, id, { pageNumber, pageLimit: 200 })) as unknown as Json;
      for (const entry of page.data as Json[]) {
        const name: string = entry.attributes.displayName ?? entry.attributes.name;
        if (entry.type === 'folders') await walk(entry.id, `${prefix}${name}/`);
        else {
          const tip = (page.included as Json[]).find((version) => version.id === entry.relationships.tip.data.id) as Json;
          const storage = (tip.relationships.storage.data.id as string).replace('urn:adsk.objects:os.object:', '');
          const slash = storage.indexOf('/');
          const signed = await sdk.oss.signedS3Download(storage.slice(0, slash), storage.slice(slash + 1));
          result[`${prefix}${tip.attributes.name}`] = signed.sha1 as string;
        }
      }
      if (!page.links?.next) break;
    }
  };
  await walk(folderId, '');
  return Object.fromEntries(Object.entries(result).sort(([a], [b]) => a.localeCompare(b)));
}

/** Storage GETs (object downloads) the emulator saw. */
export function objectDownloads(emulator: RunningEmulator): string[] {
  return emulator.requests.list({ origin: 'storage', method: 'GET' }).map((request) => decodeURIComponent(request.path));
}
