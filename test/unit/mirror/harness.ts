// Mirrors against the strict emulator: a fresh tree of folders and files per test, built in the emulator,
// a fresh local folder, and what APS holds read back through Autodesk's own SDK.
import { readdir } from 'node:fs/promises';
import * as path from 'node:path';
import type { ApsClient } from '../../../src/core';
import { runMirror, type MirrorDecisions, type MirrorOptions, type MirrorReport, type MirrorSource } from '../../../src/core/mirror';
import type { ConflictPolicy, TransferEngine } from '../../../src/core/transfer';
import type { EmulatorOptions, RunningEmulator } from '../../emulator';
import { sdkClients } from '../sdk/sdk';
import { sha1OfFile, useTransferHarness } from '../transfer/harness';
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

/** The transfer tests' setup (emulator, the demo app's client, a fresh folder), with one engine per test. */
export function useMirrorHarness(options: EmulatorOptions = {}): MirrorHarness {
  const transfer = useTransferHarness(options);
  let engine: TransferEngine | undefined;
  afterEach(() => {
    engine = undefined;
  });
  const harness: MirrorHarness = {
    get emulator() {
      return transfer.emulator;
    },
    get client() {
      return transfer.client;
    },
    get engine() {
      return (engine ??= transfer.engine());
    },
    get dir() {
      return transfer.dir;
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
