// Shared setup for transfer tests: one emulator per file, a fresh folder per test, fast retry settings.
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import type { Agent } from 'undici';
import { startEmulator, type AddedObject, type EmulatorOptions, type RecordedRequest, type RunningEmulator, type SizeName } from '../../emulator';
import { createApsClient, type ApsClient } from '../../../src/core/client';
import { TransferEngine, type DownloadOptions, type FileProgress, type ObjectSource, type TransferEngineOptions } from '../../../src/core/transfer';

export const KiB = 1024;
export const MiB = 1024 * 1024;

/**
 * Retry quickly so fault tests stay short; same code paths as the defaults. The stall timeout stays
 * the default's, so a busy machine never passes for a stalled connection (stall tests set their own).
 */
export const FAST = {
  retry: { attempts: 8, baseDelayMs: 5, maxDelayMs: 40, maxRetryAfterMs: 30 },
  journalIntervalMs: 30,
  progressIntervalMs: 20,
} satisfies DownloadOptions;

export interface TransferHarness {
  readonly emulator: RunningEmulator;
  /** The demo app's 2-legged client on the emulator, wired as the extension and the CLI wire theirs. */
  readonly client: ApsClient;
  /** A fresh, empty folder for the current test. */
  readonly dir: string;
  readonly log: string[];
  /** An engine that is closed after the test. */
  engine(options?: TransferEngineOptions): TransferEngine;
  /** The object through signeds3download (what the extension does). */
  source(object: Pick<AddedObject, 'bucketKey' | 'objectKey'>): ObjectSource;
  storageRequests(): RecordedRequest[];
}

export function useTransferHarness(options: EmulatorOptions = {}): TransferHarness {
  const engines: TransferEngine[] = [];
  const state = { emulator: undefined as RunningEmulator | undefined, client: undefined as ApsClient | undefined, dir: '', log: [] as string[] };

  before(async () => {
    state.emulator = await startEmulator(options);
    const { clientId, clientSecret } = state.emulator.seed.credentials;
    state.client = createApsClient({ baseUrl: state.emulator.baseUrl, auth: { kind: '2-legged', clientId, clientSecret: clientSecret as string, scopes: ['data:read'] }, proxy: { url: '' } });
  });
  after(async () => {
    await state.client?.close();
    await state.emulator?.close();
  });
  beforeEach(async () => {
    state.dir = await mkdtemp(path.join(tmpdir(), 'aps-transfer-'));
    state.log = [];
    state.emulator?.faults.clear();
    state.emulator?.requests.clear();
  });
  afterEach(async () => {
    await Promise.all(engines.splice(0).map((engine) => engine.close()));
    await rm(state.dir, { recursive: true, force: true });
  });

  return {
    get emulator() {
      return state.emulator as RunningEmulator;
    },
    get client() {
      return state.client as ApsClient;
    },
    get dir() {
      return state.dir;
    },
    get log() {
      return state.log;
    },
    engine(engineOptions: TransferEngineOptions = {}) {
      const engine = new TransferEngine({ log: (level, message) => state.log.push(`${level}: ${message}`), ...engineOptions });
      engines.push(engine);
      return engine;
    },
    source(object) {
      return (state.client as ApsClient).objectSource({ bucketKey: object.bucketKey, objectKey: object.objectKey });
    },
    storageRequests() {
      return state.emulator?.requests.list({ origin: 'storage' }) ?? [];
    },
  };
}

/** A pool statistic of `engine`'s storage agent for `origin` (undici's Agent.stats). */
export function storageStat(engine: TransferEngine, origin: string, field: 'connected' | 'running'): number {
  return ((engine.dispatcher as Agent).stats[origin] as Partial<Record<typeof field, number>> | undefined)?.[field] ?? 0;
}

/** Whether anything is at `file`. */
export async function fileExists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

export async function sha1OfFile(file: string): Promise<string> {
  const hash = createHash('sha1');
  for await (const chunk of createReadStream(file, { highWaterMark: MiB })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Every file below `dir`, relative, sorted. */
export async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort();
}

/** Byte ranges [start, end] (inclusive, absolute) the storage log shows for one object. */
export function requestedRanges(requests: RecordedRequest[], objectKey: string, size: number): [number, number][] {
  return requests
    .filter((r) => r.method === 'GET' && decodeURIComponent(r.path).endsWith(`/${objectKey}`))
    .map((r) => {
      const match = /bytes=(\d+)-(\d*)/.exec(r.range ?? '');
      if (!match) return [0, size - 1] as [number, number];
      return [Number(match[1]), match[2] === '' ? size - 1 : Math.min(size - 1, Number(match[2]))] as [number, number];
    });
}

/** One of the emulator's seeded transfer-size objects, with its sha1 and ETag. */
export async function seededObject(h: TransferHarness, name: SizeName): Promise<AddedObject> {
  const stored = h.emulator.seed.objects[h.emulator.seed.ids.objects[name]];
  return h.emulator.describeObject(stored.bucketKey, stored.objectKey);
}

/**
 * Collects progress events and checks the invariants: never above the size, bytes monotonic while the
 * size stays, and the fraction monotonic when a restart finds the object resized.
 */
export function progressRecorder(): { onProgress: (p: FileProgress) => void; events: FileProgress[]; check(size: number): void } {
  const events: FileProgress[] = [];
  return {
    events,
    onProgress: (p) => events.push(p),
    check(size) {
      let previous: FileProgress | undefined;
      for (const event of events) {
        const { transferredBytes: bytes, totalBytes: total } = event;
        if (total !== undefined) assert.ok(bytes <= total, `progress ${bytes} above size ${total}`);
        if (previous && previous.totalBytes !== undefined && total !== undefined && total !== previous.totalBytes) {
          const fraction = (p: FileProgress) => (p.totalBytes ? p.transferredBytes / p.totalBytes : 0);
          // Rescaling rounds down: at most a byte of the new size.
          assert.ok(fraction(event) >= fraction(previous) - 1 / total, `progress went back from ${fraction(previous)} to ${fraction(event)} of the size`);
        } else {
          assert.ok(bytes >= (previous?.transferredBytes ?? 0), `progress went back from ${previous?.transferredBytes} to ${bytes}`);
        }
        previous = event;
      }
      const last = events[events.length - 1];
      assert.equal(last?.phase, 'done');
      assert.equal(last.transferredBytes, size);
    },
  };
}

export function objectPath(objectKey: string): string {
  return `**/${objectKey}`;
}

/** The command line as it ships (`npm run build` makes it; the unit tests' build does too). */
export const CLI = path.resolve(__dirname, '../../../../dist/cli.js');

/**
 * Starts the CLI (stdout and stderr piped) with `env` and nothing of this process's APS or proxy
 * variables. The emulator is on loopback, so no proxy unless `env` names one.
 */
export function spawnCli(args: string[], env: NodeJS.ProcessEnv = {}): ChildProcessByStdio<null, Readable, Readable> {
  const childEnv = { ...process.env };
  for (const name of Object.keys(childEnv)) if (/^(APS_|HTTPS?_PROXY$|NO_PROXY$)/i.test(name)) delete childEnv[name];
  return spawn(process.execPath, [CLI, ...args], { env: { ...childEnv, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Runs the CLI to its end (see spawnCli). */
export function runCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawnCli(args, env);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}
