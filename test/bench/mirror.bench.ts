// Mirroring 600 files of 100 KiB in nested folders with the command line as it ships (`node dist/cli.js
// mirror`), against the emulator in a process of its own with 50 ms per request (API and storage) and APS's
// documented rate limits on: a first mirror, a second with nothing changed, a third after one file changed.
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { MIRROR_FILES_AT_ONCE } from '../../src/core/mirror';
import { DEFAULT_BUDGET } from '../../src/core/http/requestBudget';
import { DEFAULT_ENGINE_CONNECTIONS } from '../../src/core/transfer/settings';
import { seed } from '../emulator/seed';
import { startEmulatorProcess } from './emulatorProcess';
import { peakRss } from './processes';

const LATENCY_MS = 50;
const KiB = 1024;
const FILE_BYTES = 100 * KiB;
const TOP_FOLDERS = 5;
const SUBFOLDERS = 4;
const FILES_PER_FOLDER = 30;
const FILES = TOP_FOLDERS * SUBFOLDERS * FILES_PER_FOLDER;
const FOLDERS = 1 + TOP_FOLDERS + TOP_FOLDERS * SUBFOLDERS;
const CLI = path.resolve(__dirname, '../../../dist/cli.js');
const REMOTE = 'Emulator BIM 360 Account/Tower/Project Files/Mirror Bench';
/** APS's documented budgets (requests per minute per app) for what a mirror asks. */
const LIMITS = { token: 500, hubs: 50, projects: 50, topFolders: 300, contents: 300, oss: 1000 };

interface Run {
  wallSeconds: number;
  ownSeconds: number;
  peakRssBytes?: number;
  counts: Record<string, number>;
  objectGets: string[];
  apiRequests: number;
}

class Control {
  constructor(private readonly baseUrl: string) {}

  async call<T>(method: string, route: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.baseUrl}/__emulator${route}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${await response.text()}`);
    return (response.status === 204 ? undefined : await response.json()) as T;
  }

  folder(parentId: string, name: string): Promise<string> {
    return this.call<{ folderId: string }>('POST', '/folders', { projectId: seed.ids.bim360Project, parentId, name }).then((answer) => answer.folderId);
  }

  file(folderId: string, name: string): Promise<{ itemId: string }> {
    return this.call('POST', '/files', { projectId: seed.ids.bim360Project, folderId, name, sizes: [FILE_BYTES] });
  }

  requests(query: string): Promise<Array<{ path: string; status: number }>> {
    return this.call('GET', `/requests?${query}`);
  }
}

/** The tree: Mirror Bench / Area n / Zone m / 30 files, in Tower's Project Files. Returns one item to change later. */
async function buildTree(control: Control): Promise<string> {
  const root = await control.folder(seed.ids.folders.bim360ProjectFiles, 'Mirror Bench');
  let first = '';
  for (let area = 1; area <= TOP_FOLDERS; area++) {
    const areaId = await control.folder(root, `Area ${area}`);
    for (let zone = 1; zone <= SUBFOLDERS; zone++) {
      const zoneId = await control.folder(areaId, `Zone ${zone}`);
      const files = await Promise.all(Array.from({ length: FILES_PER_FOLDER }, (_, index) => control.file(zoneId, `Sheet ${area}-${zone}-${String(index + 1).padStart(2, '0')}.dwg`)));
      first ||= files[0].itemId;
    }
  }
  return first;
}

async function mirror(control: Control, env: NodeJS.ProcessEnv, dir: string): Promise<Run> {
  await control.call('DELETE', '/requests');
  const started = performance.now();
  const child = spawn(process.execPath, [CLI, 'mirror', REMOTE, dir, '--json', '--quiet'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  let peak: number | undefined;
  const sampler = setInterval(() => void peakRss(child.pid as number).then((value) => (peak = Math.max(peak ?? 0, value ?? 0))), 10);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  const wallSeconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  if (code !== 0) throw new Error(`mirror exited with ${code}: ${stderr.trim().slice(0, 400)}`);
  const summary = JSON.parse(stdout) as { seconds: number; counts: Record<string, number> };
  const objectGets = (await control.requests('origin=storage&method=GET')).map((request) => decodeURIComponent(request.path));
  const apiRequests = (await control.requests('origin=api')).length;
  return { wallSeconds, ownSeconds: summary.seconds, peakRssBytes: peak, counts: summary.counts, objectGets, apiRequests };
}

/**
 * The least time any client needs for the first mirror here, from latency, connections and rate limits:
 * - the requests that must come one after another before the first file can be signed: the token, finding
 *   the folder by its names (hubs, projects, top folders, the folder in Project Files), then listing the
 *   folder and its areas (the files are one level further down): 7 round trips;
 * - the other API requests (the zones' listings, one signing per file: OSS refuses batches in Docs
 *   buckets) spread over the API connections: (zones + files) × latency / connections;
 * - the last file's storage GET after its signing: 1 round trip (storage GETs overlap the signings, and
 *   need files × latency / storage connections, less than the API's share);
 * - each documented limit lets its per-minute budget through in the first minute: a limit with n
 *   requests adds 60 s × (ceil(n / budget) - 1), which is 0 for every limit here.
 */
function floorSeconds(): { seconds: number; text: string } {
  const latency = LATENCY_MS / 1000;
  const serial = 5 + 2;
  const zones = TOP_FOLDERS * SUBFOLDERS;
  const spread = zones + FILES;
  const apiConnections = DEFAULT_BUDGET.maxConcurrent;
  const storageConnections = Math.min(DEFAULT_ENGINE_CONNECTIONS, MIRROR_FILES_AT_ONCE);
  const perLimit: Array<[string, number, number]> = [
    ['token', 1, LIMITS.token],
    ['hubs', 1, LIMITS.hubs],
    ['projects', 1, LIMITS.projects],
    ['top folders', 1, LIMITS.topFolders],
    ['folder contents', FOLDERS + 1, LIMITS.contents],
    ['OSS', FILES, LIMITS.oss],
  ];
  const rateSeconds = perLimit.reduce((sum, [, n, budget]) => sum + 60 * (Math.ceil(n / budget) - 1), 0);
  const apiSeconds = (spread * latency) / apiConnections;
  const storageSeconds = (FILES * latency) / storageConnections;
  const seconds = serial * latency + Math.max(apiSeconds, storageSeconds) + latency + rateSeconds;
  const text =
    `${serial} serial round trips (${(serial * latency).toFixed(2)} s) + ${spread} API requests (${zones} listings, ${FILES} signings) × ${LATENCY_MS} ms / ${apiConnections} API connections ` +
    `(${apiSeconds.toFixed(2)} s; storage: ${FILES} GETs × ${LATENCY_MS} ms / ${storageConnections} connections = ${storageSeconds.toFixed(2)} s, overlapped) + the last GET (${latency.toFixed(2)} s) ` +
    `+ rate limits (${rateSeconds} s: ${perLimit.map(([name, n, budget]) => `${name} ${n}/${budget}`).join(', ')} per minute)`;
  return { seconds, text };
}

async function filesBelow(dir: string): Promise<number> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile() && !entry.name.startsWith('.aps-mirror')).length;
}

function mib(bytes: number | undefined): string {
  return bytes === undefined ? '?' : (bytes / (1024 * 1024)).toFixed(0);
}

export async function run(): Promise<void> {
  const { baseUrl, child } = await startEmulatorProcess(['--latency', String(LATENCY_MS)]);
  const control = new Control(baseUrl);
  const dir = await mkdtemp(path.join(tmpdir(), 'aps-bench-mirror-'));
  try {
    const switches = await control.call<{ switches: { rateLimits: string } }>('GET', '');
    if (switches.switches.rateLimits !== 'aps') throw new Error("the emulator runs without APS's rate limits");
    await control.call('POST', '/faults', { kind: 'latency', origin: 'storage', latencyMs: LATENCY_MS });
    const changed = await buildTree(control);
    const { clientId, clientSecret } = seed.credentials;
    const env: NodeJS.ProcessEnv = { ...process.env, APS_BASE_URL: baseUrl, APS_CLIENT_ID: clientId, APS_CLIENT_SECRET: clientSecret as string, NO_PROXY: '127.0.0.1,localhost' };
    delete env.NODE_EXTRA_CA_CERTS;
    delete env.APS_USER_ID;
    delete env.APS_ACCESS_TOKEN;

    const first = await mirror(control, env, dir);
    const written = await filesBelow(dir);
    const second = await mirror(control, env, dir);
    const version = await control.call<{ objectKey: string }>('POST', '/versions', { itemId: changed, size: FILE_BYTES + 1 });
    const third = await mirror(control, env, dir);

    const floor = floorSeconds();
    const target = 1.3 * floor.seconds;
    console.log(`mirror: ${FILES} files of ${FILE_BYTES / KiB} KiB in ${FOLDERS} folders (3 levels), ${LATENCY_MS} ms per API and storage request, APS's rate limits on`);
    console.log(`floor ${floor.seconds.toFixed(2)} s = ${floor.text}`);
    console.log('run                   wall s  own s  files fetched  object GETs  API requests  peak RSS MiB');
    for (const [name, result] of [['first mirror', first], ['nothing changed', second], ['one file changed', third]] as const) {
      const fetched = result.counts.fetched + result.counts.updated + result.counts.restored;
      console.log(
        `${name.padEnd(20)}  ${result.wallSeconds.toFixed(2).padStart(6)}  ${result.ownSeconds.toFixed(2).padStart(5)}  ${String(fetched).padStart(13)}  ${String(result.objectGets.length).padStart(11)}  ${String(result.apiRequests).padStart(12)}  ${mib(result.peakRssBytes).padStart(12)}`,
      );
    }
    const verdict = (ok: boolean) => (ok ? 'ok' : 'MISSED');
    console.log(`first mirror: ${first.wallSeconds.toFixed(2)} s = ${(first.wallSeconds / floor.seconds).toFixed(2)} × floor (target <= 1.3 × floor = ${target.toFixed(2)} s): ${verdict(first.wallSeconds <= target)}; ${written} of ${FILES} files written`);
    console.log(`nothing changed: ${second.wallSeconds.toFixed(2)} s (target <= 2 s), ${second.objectGets.length} objects downloaded (target 0): ${verdict(second.wallSeconds <= 2 && second.objectGets.length === 0)}`);
    const onlyThat = third.objectGets.length === 1 && third.objectGets[0].endsWith(version.objectKey.split('/')[1]);
    console.log(`one file changed: ${third.objectGets.length} object downloaded, ${onlyThat ? 'the changed one' : 'NOT only the changed one'}: ${verdict(onlyThat)}`);
    console.log(`peak RSS: ${mib(first.peakRssBytes)} MiB (target <= 150 MiB): ${verdict((first.peakRssBytes ?? Infinity) <= 150 * 1024 * 1024)}`);
  } finally {
    child.kill('SIGTERM');
    await rm(dir, { recursive: true, force: true });
  }
}
