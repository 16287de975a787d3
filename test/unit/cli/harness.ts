// The CLI as users run it (dist/cli.js in a child process) against an emulator in this process.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { startEmulator, type RunningEmulator, type SeedItem } from '../../emulator';
import { runCli, spawnCli } from '../transfer/harness';

export interface CliHarness {
  readonly emulator: RunningEmulator;
  /** A fresh, empty folder for the current test. */
  readonly dir: string;
  /** APS_* for the demo app acting as the demo user, on the emulator. */
  env(extra?: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
  run(args: string[], env?: NodeJS.ProcessEnv): ReturnType<typeof runCli>;
  spawn(args: string[], env?: NodeJS.ProcessEnv): ReturnType<typeof spawnCli>;
  item(itemId: string): SeedItem;
  /** The sha1 of a version's stored object, as the emulator holds it. */
  sha1Of(version: { storage?: string }): Promise<string>;
}

export function useCliHarness(): CliHarness {
  const state = { emulator: undefined as RunningEmulator | undefined, dir: '' };
  before(async () => {
    state.emulator = await startEmulator();
  });
  after(async () => {
    await state.emulator?.close();
  });
  beforeEach(async () => {
    state.dir = await mkdtemp(path.join(tmpdir(), 'aps-cli-'));
    state.emulator?.faults.clear();
    state.emulator?.requests.clear();
  });
  afterEach(async () => {
    await rm(state.dir, { recursive: true, force: true });
  });
  const harness: CliHarness = {
    get emulator() {
      return state.emulator as RunningEmulator;
    },
    get dir() {
      return state.dir;
    },
    env(extra = {}) {
      const { seed, baseUrl } = harness.emulator;
      return { APS_BASE_URL: baseUrl, APS_CLIENT_ID: seed.credentials.clientId, APS_CLIENT_SECRET: seed.credentials.clientSecret, APS_USER_ID: seed.ids.users.demo, ...extra };
    },
    run: (args, env) => runCli(args, env ?? harness.env()),
    spawn: (args, env) => spawnCli(args, env ?? harness.env()),
    item(itemId) {
      const found = harness.emulator.seed.items.find((candidate) => candidate.id === itemId);
      if (!found) throw new Error(`no seeded item ${itemId}`);
      return found;
    },
    async sha1Of(version) {
      const key = version.storage as string;
      const slash = key.indexOf('/');
      return (await harness.emulator.describeObject(key.slice(0, slash), key.slice(slash + 1))).sha1;
    },
  };
  return harness;
}

/** The names path of a seeded folder, as the tree shows it. */
export const TOWER_FILES = 'Emulator BIM 360 Account/Tower/Project Files';
