// Transfer engine vs aria2c and curl on the emulator's storage origin (not a test). The emulator runs
// in a child process, driven through its control API. Capped: 16 MiB/s per connection + 20 ms per
// request. Then uncapped vs curl, then peak RSS for 1 GiB. One run each; APS_BENCH_RUNS=N keeps the
// fastest of N runs of every contender alike, run in rounds (every contender once per round).
import { fork, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parseBytes } from '../../src/cli/main';
import { seed, type SizeName } from '../emulator/seed';
import { startEmulatorProcess } from './emulatorProcess';
import type { HostedDownload, HostedResult } from './engineHost';
import { contenderEnv, installed, mib, MiB, runMeasured, table } from './processes';

const CAP = 16 * MiB;
const LATENCY_MS = 20;
/** The command line as it ships. */
const CLI = path.resolve(__dirname, '../../../dist/cli.js');
/** Where the seeded transfer-size files are, as a path of names. */
const SIZES_FOLDER = 'Emulator BIM 360 Account/Tower/Project Files/Transfer Sizes';
const RUNS = Math.max(1, Number(process.env.APS_BENCH_RUNS ?? 1) || 1);

/** What the benchmark needs to know of a stored object. */
interface BenchObject {
  readonly bucketKey: string;
  readonly objectKey: string;
  readonly size: number;
  readonly sha1: string;
}

interface Contender {
  readonly name: string;
  /** Connections, for the theoretical limit (undefined: not capped). */
  readonly connections: number;
  readonly command: string;
  readonly args: (url: string, out: string) => string[];
  /** A reference point, not a downloader: its output is not one checked file (see parallelCurl). */
  readonly floor?: boolean;
  /** Runs in the engine host instead of `command` (see hostedEngine). */
  readonly hosted?: Omit<HostedDownload, 'url' | 'out'>;
}

interface Measurement {
  readonly seconds: number;
  /** The engine's own time (the CLI's --json summary), without process start and module loading. */
  readonly engineSeconds?: number;
  readonly peakRssBytes?: number;
  readonly ok: boolean;
  readonly note?: string;
}

function engine(connections: number, chunk: string, extra: string[] = []): Contender {
  return {
    name: `engine -c${connections} -k${chunk}${extra.length ? ` ${extra.join(' ')}` : ''}`,
    connections,
    command: process.execPath,
    args: (url, out) => [CLI, 'download', url, out, '--connections', String(connections), '--chunk-size', chunk, '--quiet', '--json', ...extra],
  };
}

function aria2(connections: number, chunk: string, split: boolean): Contender {
  const splitArgs = split ? [`-s${connections}`] : [];
  return {
    name: `aria2c -x${connections}${split ? ` -s${connections}` : ''} -k${chunk}`,
    connections: split ? connections : Math.min(connections, 5),
    command: 'aria2c',
    args: (url, out) => [
      `-x${connections}`,
      ...splitArgs,
      `-k${chunk}`,
      '--file-allocation=none',
      '--allow-overwrite=true',
      '--auto-file-renaming=false',
      '--console-log-level=error',
      '--summary-interval=0',
      '-q',
      '-d',
      path.dirname(out),
      '-o',
      path.basename(out),
      url,
    ],
  };
}

/**
 * The extension's path: a file by its path of names, through the Data API and signeds3download (size
 * and sha1 from OSS, no probe), sha1 verified. It lands in the folder of `out`, under the file's name.
 */
function viaDataApi(connections: number, fileName: string): Contender {
  return {
    name: `engine -c${connections} via the Data API and signeds3download (sha1 verified)`,
    connections,
    command: process.execPath,
    args: (_url, out) => [CLI, 'download', `${SIZES_FOLDER}/${fileName}`, path.dirname(out), '--connections', String(connections), '--quiet', '--json'],
  };
}

const curl: Contender = { name: 'curl', connections: 1, command: 'curl', args: (url, out) => ['-sS', '-o', out, url] };

/** curl, then the file's data synced to disk, as the engine does before it renames a download into place. */
const curlThenSync: Contender = {
  name: 'reference: curl, then sync -d of its file (durable, as the engine)',
  connections: 1,
  command: 'bash',
  args: (url, out) => ['-c', 'curl -sS -o "$2" "$1" && sync -d "$2"', 'curl-sync', url, out],
};

/** What plain Node costs here to move a response from a socket into a file: no HTTP parser, no fsync, no tuning. */
const bareNode: Contender = {
  name: 'reference: Node socket to file, no HTTP parser (1 connection)',
  connections: 1,
  command: process.execPath,
  args: (url, out) => [path.join(__dirname, 'bareNodeGet.js'), url, out],
};

/** The same with every read into one reused 512 KiB buffer and written from there, then synced: no user-space copy or allocation per byte. */
const bareNodeReused: Contender = {
  name: 'reference: Node socket to file, one reused 512 KiB read buffer, no HTTP parser, synced (1 connection)',
  connections: 1,
  command: process.execPath,
  args: (url, out) => [path.join(__dirname, 'bareNodeGet.js'), url, out, '--reused-buffer'],
};

/** How fast `connections` connections can go here at all: curls fetching a share each into its own file, size known beforehand. */
function parallelCurl(connections: number, size: number): Contender {
  const script = [
    'set -e; url=$1; dir=$2.parts; size=$3; n=$4; share=$(( (size + n - 1) / n )); pids=()',
    'mkdir -p "$dir"',
    'for ((i = 0; i < n; i++)); do start=$(( i * share )); end=$(( start + share - 1 )); (( end < size )) || end=$(( size - 1 ))',
    '  curl -sS -r "$start-$end" -o "$dir/$i" "$url" & pids+=($!); done',
    'for pid in "${pids[@]}"; do wait "$pid"; done',
  ].join('\n');
  return {
    name: `floor: ${connections} x curl -r (size known, separate files)`,
    connections,
    floor: true,
    command: 'bash',
    args: (url, out) => ['-c', script, 'parallel-curl', url, out, String(size), String(connections)],
  };
}

/** The least a Node process does with the size told: N ranged GETs through node:http, no probe, no fsync (bareNodeRanges). */
function parallelNode(connections: number, size: number): Contender {
  return {
    name: `floor: plain Node, ${connections} ranged GETs (size known, no sync)`,
    connections,
    command: process.execPath,
    args: (url, out) => [path.join(__dirname, 'bareNodeRanges.js'), url, out, String(size), String(connections)],
  };
}

/**
 * The engine as the extension host runs it: in a process that is up and has downloaded before (the
 * engine host), so without starting Node and loading the engine. A fresh engine per run, so new
 * connections, and the size probe included, as in the CLI rows. No peak RSS: the host lives on.
 */
function hostedEngine(connections: number, chunk: string): Contender {
  return {
    name: `engine -c${connections} -k${chunk} in a running process (as in the extension host)`,
    connections,
    command: process.execPath,
    args: () => [],
    hosted: { connections, chunkSize: parseBytes(chunk) },
  };
}

/** The engine host (engineHost.js), forked on first use and kept for the whole benchmark (forked again if it died). */
class EngineHost {
  private child?: ChildProcess;

  run(job: HostedDownload): Promise<HostedResult> {
    if (!this.child || this.child.exitCode !== null || this.child.signalCode !== null) {
      this.child = fork(path.join(__dirname, 'engineHost.js'), [], { env: contenderEnv(), stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    }
    const child = this.child;
    return new Promise((resolve) => {
      const exited = (code: number | null) => resolve({ ok: false, error: `the engine host exited (${code})` });
      child.once('exit', exited);
      child.once('message', (result) => {
        child.off('exit', exited);
        resolve(result as HostedResult);
      });
      child.send(job);
    });
  }

  stop(): void {
    this.child?.kill('SIGTERM');
  }
}

const engineHost = new EngineHost();

/** Median wall time of `node -e 0` in ms, with the given environment. */
function nodeStartMs(env: NodeJS.ProcessEnv): number {
  const times: number[] = [];
  for (let i = 0; i < 9; i++) {
    const started = performance.now();
    spawnSync(process.execPath, ['-e', '0'], { env, stdio: 'ignore' });
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b)[4];
}

function nodeStartup(): string {
  const bare = nodeStartMs(contenderEnv());
  if (!process.env.NODE_EXTRA_CA_CERTS) return `Node starts in ${bare.toFixed(0)} ms here.`;
  const withCerts = nodeStartMs(process.env);
  return (
    `Node starts in ${bare.toFixed(0)} ms here; with this machine's NODE_EXTRA_CA_CERTS it takes ${withCerts.toFixed(0)} ms ` +
    '(Node 20 parses the bundle at start-up). The rows run without it: only Node reads it, and the origin is plain http.'
  );
}

async function measureOnce(contender: Contender, url: string, out: string): Promise<Measurement> {
  await rm(out, { force: true });
  if (contender.hosted) return measureHosted({ ...contender.hosted, url, out });
  const run = await runMeasured(contender.command, contender.args(url, out));
  const engineSeconds = run.stdout.startsWith('{') ? (JSON.parse(run.stdout) as { seconds?: number }).seconds : undefined;
  return { seconds: run.seconds, engineSeconds, peakRssBytes: run.peakRssBytes, ok: run.code === 0, note: run.code === 0 ? undefined : `exit ${run.code}: ${run.stderr.trim().slice(0, 200)}` };
}

async function measureHosted(job: HostedDownload): Promise<Measurement> {
  const started = performance.now();
  const result = await engineHost.run(job);
  const seconds = (performance.now() - started) / 1000;
  return result.ok ? { seconds, ok: true } : { seconds, ok: false, note: result.error.slice(0, 200) };
}

interface Measured {
  /** The fastest run, or the first failed one. */
  readonly best: Measurement;
  /** Median wall time of the runs, when all succeeded. */
  readonly medianSeconds?: number;
}

/**
 * RUNS rounds of every contender in turn, so a change in the host's load touches all of them alike;
 * a contender whose run fails is not run again. `prepare` runs before each run.
 */
async function measureRounds(
  contenders: readonly Contender[],
  url: (contender: Contender) => string,
  out: string,
  check: (contender: Contender) => (m: Measurement) => Promise<Measurement>,
  prepare?: () => Promise<void>,
): Promise<Map<string, Measured>> {
  const runs = new Map<string, Measurement[]>(contenders.map((c) => [c.name, []]));
  for (let round = 0; round < RUNS; round++) {
    for (const contender of contenders) {
      const done = runs.get(contender.name) as Measurement[];
      if (done.some((m) => !m.ok)) continue;
      await prepare?.();
      done.push(await check(contender)(await measureOnce(contender, url(contender), out)));
    }
  }
  return new Map(contenders.map((c) => [c.name, summarize(runs.get(c.name) as Measurement[])]));
}

/** The fastest of RUNS runs of one contender (or its failed run). */
async function measureBest(contender: Contender, url: string, out: string, check: (m: Measurement) => Promise<Measurement>): Promise<Measurement> {
  return ((await measureRounds([contender], () => url, out, () => check)).get(contender.name) as Measured).best;
}

function summarize(runs: readonly Measurement[]): Measured {
  const failed = runs.find((m) => !m.ok);
  if (failed) return { best: failed };
  const sorted = [...runs].sort((a, b) => a.seconds - b.seconds);
  const middle = sorted.length >> 1;
  const medianSeconds = sorted.length % 2 ? sorted[middle].seconds : (sorted[middle - 1].seconds + sorted[middle].seconds) / 2;
  return { best: sorted[0], medianSeconds };
}

async function sha1Of(file: string): Promise<string> {
  const hash = createHash('sha1');
  for await (const chunk of createReadStream(file, { highWaterMark: 4 * MiB })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** The emulator in its own process, as a client sees it: OAuth, signeds3download, control API. */
class EmulatorClient {
  token = '';

  constructor(readonly baseUrl: string) {}

  async json(pathAndQuery: string, init: RequestInit = {}): Promise<Record<string, unknown>> {
    const response = await fetch(`${this.baseUrl}${pathAndQuery}`, init);
    if (!response.ok) throw new Error(`${pathAndQuery}: ${response.status} ${await response.text()}`);
    return response.status === 204 ? {} : ((await response.json()) as Record<string, unknown>);
  }

  async signIn(): Promise<void> {
    const { clientId, clientSecret } = seed.credentials;
    const form = new URLSearchParams({ grant_type: 'client_credentials', scope: 'data:read', client_id: clientId, client_secret: clientSecret as string });
    const token = await this.json('/authentication/v2/token', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form });
    this.token = token.access_token as string;
  }

  ossUrl(o: Pick<BenchObject, 'bucketKey' | 'objectKey'>): string {
    return `${this.baseUrl}/oss/v2/buckets/${o.bucketKey}/objects/${encodeURIComponent(o.objectKey)}`;
  }

  /** A signed URL valid for an hour, with the object's size and sha1. */
  async signed(o: Pick<BenchObject, 'bucketKey' | 'objectKey'>): Promise<{ url: string; object: BenchObject }> {
    const answer = await this.json(`${this.ossUrl(o).slice(this.baseUrl.length)}/signeds3download?minutesExpiration=60`, { headers: { authorization: `Bearer ${this.token}` } });
    return { url: answer.url as string, object: { ...o, size: answer.size as number, sha1: answer.sha1 as string } };
  }

  async seeded(name: SizeName): Promise<{ url: string; object: BenchObject }> {
    const [bucketKey, ...rest] = seed.ids.objects[name].split('/');
    return this.signed({ bucketKey, objectKey: rest.join('/') });
  }

  async setFaults(faults: object[]): Promise<void> {
    await this.json('/__emulator/faults', { method: 'DELETE' });
    if (faults.length > 0) await this.json('/__emulator/faults', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(faults) });
  }
}

function engineOwn(m: Measurement): string {
  return m.ok && m.engineSeconds !== undefined ? m.engineSeconds.toFixed(2) : '';
}

export async function run(): Promise<void> {
  const { baseUrl, child } = await startEmulatorProcess();
  const emulator = new EmulatorClient(baseUrl);
  const dir = await mkdtemp(path.join(tmpdir(), 'aps-bench-'));
  try {
    await emulator.signIn();
    const { url, object } = await emulator.seeded('twoFiftySixMiB');
    // Named as the seeded file, which is where the rows that take it by its path of names put it.
    const out = path.join(dir, '256MiB.rvt');
    const hasAria2 = installed('aria2c');
    const hasCurl = installed('curl');
    const runs = RUNS === 1 ? 'one run each' : `fastest of ${RUNS} runs each, in rounds`;

    const checkAgainst = (expected: BenchObject, file: string) => async (m: Measurement): Promise<Measurement> => {
      if (!m.ok) return m;
      const size = (await stat(file).catch(() => undefined))?.size;
      if (size !== expected.size) return { ...m, ok: false, note: `size ${size}` };
      return (await sha1Of(file)) === expected.sha1 ? m : { ...m, ok: false, note: 'sha1 mismatch' };
    };
    const check = checkAgainst(object, out);
    const dropParts = async (m: Measurement): Promise<Measurement> => {
      await rm(`${out}.parts`, { recursive: true, force: true });
      return m;
    };

    // The engine host has downloaded before its first timed run, as a running extension host has.
    await measureHosted({ url, out, connections: 8, chunkSize: 8 * MiB });

    // Capped: every storage response is throttled per connection and delayed per request.
    await emulator.setFaults([
      { kind: 'bandwidth', origin: 'storage', bytesPerSecond: CAP },
      { kind: 'latency', origin: 'storage', latencyMs: LATENCY_MS },
    ]);
    const contenders: Contender[] = [
      engine(8, '8M'),
      hostedEngine(8, '8M'),
      ...(hasAria2 ? [aria2(8, '8M', true), aria2(8, '8M', false)] : []),
      ...(hasCurl ? [parallelCurl(8, object.size)] : []),
      parallelNode(8, object.size),
      engine(16, '4M'),
      engine(16, '8M'),
      hostedEngine(16, '8M'),
      ...(hasAria2 ? [aria2(16, '4M', true), aria2(16, '4M', false)] : []),
      ...(hasCurl ? [parallelCurl(16, object.size)] : []),
      parallelNode(16, object.size),
      engine(8, '8M', ['--sha1', object.sha1]),
      viaDataApi(8, '256MiB.rvt'),
      ...(hasCurl ? [curl] : []),
    ];
    Object.assign(process.env, { APS_BASE_URL: baseUrl, APS_CLIENT_ID: seed.credentials.clientId, APS_CLIENT_SECRET: seed.credentials.clientSecret });
    const measured = await measureRounds(
      contenders,
      () => url,
      out,
      (c) => (c.floor ? dropParts : check),
    );
    const results = new Map([...measured].map(([name, m]) => [name, m.best]));
    const rows = contenders.map((c) => {
      const m = results.get(c.name) as Measurement;
      const limit = object.size / (c.connections * CAP);
      const aria = results.get(`aria2c -x${c.connections} -s${c.connections} -k${c.connections === 8 ? '8M' : '4M'}`);
      return [
        c.name,
        m.ok ? m.seconds.toFixed(2) : `FAILED ${m.note ?? ''}`,
        engineOwn(m),
        mib(object.size / m.seconds),
        aria && c.name.startsWith('engine') ? (aria.seconds / m.seconds).toFixed(2) : '',
        limit.toFixed(2),
        (limit / m.seconds).toFixed(3),
        c.floor ? '' : m.peakRssBytes === undefined ? 'n/a' : mib(m.peakRssBytes),
      ];
    });
    await emulator.setFaults([]);
    console.log(`\n256 MiB object, ${mib(CAP)} MiB/s per connection, ${LATENCY_MS} ms per request (${runs})`);
    console.log(table(['contender', 'wall s', 'engine s', 'MiB/s', 'speed vs aria2c (same -x, -s)', 'limit s', 'limit / wall', 'peak RSS MiB'], rows));
    console.log(
      `engine s: the engine's own time, without starting Node and loading modules. Any client pays ${LATENCY_MS} ms for the size ` +
        `(a one-byte GET) and ${LATENCY_MS} ms more for the first byte, which "limit s" leaves out. ${nodeStartup()}`,
    );
    console.log(
      '"in a running process": the engine in a Node process that is up and has downloaded before, as in the extension host (a fresh ' +
        'engine, so new connections; the size probe included). "floor: plain Node": what any Node process pays here, told the size, syncing nothing.',
    );

    // One slow connection: each client's second request gets SLOW instead of CAP.
    const SLOW = 2 * MiB;
    const oneSlow = () =>
      emulator.setFaults([
        { kind: 'bandwidth', origin: 'storage', bytesPerSecond: SLOW, skip: 1, count: 1 },
        { kind: 'bandwidth', origin: 'storage', bytesPerSecond: CAP },
        { kind: 'latency', origin: 'storage', latencyMs: LATENCY_MS },
      ]);
    const straggling: Contender[] = [engine(8, '8M'), ...(hasAria2 ? [aria2(8, '8M', true)] : [])];
    const slowLimit = object.size / (7 * CAP + SLOW);
    const slowRuns = await measureRounds(straggling, () => url, out, () => check, oneSlow);
    const slowRows = straggling.map((contender) => {
      const m = (slowRuns.get(contender.name) as Measured).best;
      return [contender.name, m.ok ? m.seconds.toFixed(2) : `FAILED ${m.note ?? ''}`, mib(object.size / m.seconds), slowLimit.toFixed(2), (slowLimit / m.seconds).toFixed(3)];
    });
    await emulator.setFaults([]);
    console.log(`\nSame, but one of the 8 connections (each client's second request) gets ${mib(SLOW)} MiB/s (${runs})`);
    console.log(table(['contender', 'wall s', 'MiB/s', 'limit s (7 fast + 1 slow)', 'limit / wall'], slowRows));

    // Uncapped: loopback at full speed.
    const uncapped: Contender[] = [
      engine(8, '8M'),
      engine(16, '8M'),
      hostedEngine(8, '8M'),
      ...(hasCurl ? [curl] : []),
      ...(hasAria2 ? [aria2(8, '8M', true)] : []),
      bareNode,
      bareNodeReused,
      ...(hasCurl ? [curlThenSync] : []),
    ];
    const fast = await measureRounds(uncapped, () => url, out, () => check);
    const curlRuns = fast.get('curl');
    const ratio = (seconds: number | undefined, curlSeconds: number | undefined) => (seconds && curlSeconds ? (seconds / curlSeconds).toFixed(2) : '');
    console.log(`\n256 MiB object, uncapped (loopback, the emulator in its own process on the same machine; ${runs})`);
    console.log(
      table(
        ['contender', 'wall s', 'engine s', 'MiB/s', 'wall / curl wall', 'median wall s', 'median / curl median', 'peak RSS MiB'],
        uncapped.map((c) => {
          const { best: m, medianSeconds } = fast.get(c.name) as Measured;
          return [
            c.name,
            m.ok ? m.seconds.toFixed(2) : `FAILED ${m.note ?? ''}`,
            engineOwn(m),
            mib(object.size / m.seconds),
            ratio(m.seconds, curlRuns?.best.seconds),
            medianSeconds === undefined ? '' : medianSeconds.toFixed(2),
            ratio(medianSeconds, curlRuns?.medianSeconds),
            m.peakRssBytes === undefined ? 'n/a' : mib(m.peakRssBytes),
          ];
        }),
      ),
    );
    console.log('curl and aria2c leave the data in the page cache for the kernel to write later; the engine syncs it to disk before the rename.');

    // Peak RSS for 1 GiB through the Data API and OSS with sha1 verification (what the extension does).
    const big = (await emulator.seeded('oneGiB')).object;
    const bigOut = path.join(dir, '1GiB.rvt');
    const small = (await emulator.seeded('eightMiBMinus1')).object;
    const smallOut = path.join(dir, '8MiB-minus-1.dwg');
    const bigRun = await measureBest(viaDataApi(8, '1GiB.rvt'), '', bigOut, checkAgainst(big, bigOut));
    const smallRun = await measureBest(viaDataApi(8, '8MiB-minus-1.dwg'), '', smallOut, checkAgainst(small, smallOut));
    console.log('\nPeak RSS, uncapped, through the Data API and signeds3download with default settings and sha1 verification');
    console.log(
      table(
        ['object', 'result', 'wall s', 'MiB/s', 'peak RSS MiB'],
        [
          [big, bigRun],
          [small, smallRun],
        ].map(([o, m]) => {
          const run = m as Measurement;
          const size = (o as BenchObject).size;
          return [`${mib(size)} MiB`, run.ok ? 'ok' : `FAILED ${run.note ?? ''}`, run.seconds.toFixed(2), mib(size / run.seconds), run.peakRssBytes === undefined ? 'n/a' : mib(run.peakRssBytes)];
        }),
      ),
    );
    for (const name of ['APS_BASE_URL', 'APS_CLIENT_ID', 'APS_CLIENT_SECRET']) delete process.env[name];
    if (!hasAria2) console.log('(aria2c is not installed: its rows are missing)');
  } finally {
    engineHost.stop();
    await rm(dir, { recursive: true, force: true });
    child.kill('SIGTERM');
  }
}
