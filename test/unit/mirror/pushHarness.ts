// Pushes against the strict emulator: the mirror tests' setup (a tree built in the emulator, mirrored into a
// fresh folder) plus a client that may write (the demo app acting as the demo user, as the command line runs
// it) and an upload engine with its journals in a fresh folder.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { ApsClient } from '../../../src/core/client';
import type { Item, Version } from '../../../src/core/dm/models';
import { MirrorPush, type PushConflictPolicy, type PushPlan, type PushReport, type PushRunOptions, type PushSurvey } from '../../../src/core/mirror';
import { UploadEngine } from '../../../src/core/upload';
import { demoUserClient } from '../upload/harness';
import { useMirrorHarness, type MirrorHarness } from './harness';

export interface PushHarness extends MirrorHarness {
  /** May write: data:read data:write data:create, as the demo user. */
  readonly writer: ApsClient;
  readonly journalDir: string;
  uploadEngine(): UploadEngine;
  /** Opens the push, surveys and plans it, and closes it again: what a dry run shows. */
  preview(policy?: PushConflictPolicy): Promise<{ survey: PushSurvey; plan: PushPlan }>;
  /** Opens, surveys, plans and runs a push (or runs `plan`, e.g. a pending one); `beforeRun` sees the plan first. */
  push(policy?: PushConflictPolicy, options?: Partial<PushRunOptions> & { plan?: PushPlan; beforeRun?: (plan: PushPlan) => void }): Promise<PushReport>;
  /** Items in an APS folder by name. */
  items(folderId: string): Promise<Map<string, Item>>;
  versions(itemId: string): Promise<Version[]>;
}

/** Quick retries for the upload engine, as the upload tests use. */
export const FAST_RETRY = { attempts: 8, baseDelayMs: 5, maxDelayMs: 40, maxRetryAfterMs: 30 };

export function usePushHarness(): PushHarness {
  const h = useMirrorHarness();
  const state = { writer: undefined as ApsClient | undefined, journalDir: '', engines: [] as UploadEngine[] };
  before(() => {
    state.writer = demoUserClient(h.emulator);
  });
  after(async () => {
    await state.writer?.close();
  });
  beforeEach(async () => {
    state.journalDir = await mkdtemp(path.join(tmpdir(), 'aps-push-journals-'));
  });
  afterEach(async () => {
    await Promise.all(state.engines.splice(0).map((engine) => engine.close()));
    await rm(state.journalDir, { recursive: true, force: true });
  });

  const harness: PushHarness = Object.create(h, {
    writer: { get: () => state.writer },
    journalDir: { get: () => state.journalDir },
  });
  harness.uploadEngine = () => {
    const engine = new UploadEngine(harness.writer, { journalDir: state.journalDir });
    state.engines.push(engine);
    return engine;
  };
  harness.preview = async (policy = 'skip') => {
    const push = await MirrorPush.open(h.dir, harness.writer);
    try {
      const survey = await push.survey();
      return { survey, plan: push.plan(survey, policy) };
    } finally {
      await push.close();
    }
  };
  harness.push = async (policy = 'skip', options = {}) => {
    const { plan: given, beforeRun, ...rest } = options;
    const push = await MirrorPush.open(h.dir, harness.writer);
    try {
      const plan = given ?? push.pending ?? push.plan(await push.survey(), policy);
      beforeRun?.(plan);
      return await push.run(plan, { engine: harness.uploadEngine(), retry: FAST_RETRY, progressIntervalMs: 20, ...rest });
    } finally {
      await push.close();
    }
  };
  harness.items = async (folderId) => {
    const entries = await harness.writer.dm.listFolderContents(h.emulator.seed.ids.bim360Project, folderId);
    return new Map(entries.filter((entry): entry is Item => entry.type === 'items').map((item) => [item.name, item]));
  };
  harness.versions = (itemId) => harness.writer.dm.listVersions(h.emulator.seed.ids.bim360Project, itemId);
  return harness;
}
