// Transfer engine vs aria2c and curl on the emulator's storage origin (one run each; not a test).
// Capped: 16 MiB/s per connection + 20 ms per request. Then uncapped vs curl, then peak RSS for 1 GiB.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { startEmulator, type AddedObject, type RunningEmulator, type SizeName } from '../emulator';

const MiB = 1024 * 1024;
const CAP = 16 * MiB;
const LATENCY_MS = 20;
const CLI = path.resolve(__dirname, '../../src/core/transfer/cli.js');

interface Contender {
  readonly name: string;
  /** Connections, for the theoretical limit (undefined: not capped). */
  readonly connections: number;
  readonly command: string;
  readonly args: (url: string, out: string) => string[];
}

interface Measurement {
  readonly seconds: number;
  readonly peakRssBytes?: number;
  readonly ok: boolean;
  readonly note?: string;
}

function installed(command: string): boolean {
  return spawnSync(command, ['--version'], { stdio: 'ignore' }).status === 0;
}

function engine(connections: number, chunk: string, extra: string[] = []): Contender {
  return {
    name: `engine -c${connections} -k${chunk}${extra.length ? ` ${extra.join(' ')}` : ''}`,
    connections,
    command: process.execPath,
    args: (url, out) => [CLI, url, out, '--connections', String(connections), '--chunk-size', chunk, '--quiet', ...extra],
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

/** The extension's path: signeds3download (size and sha1 from OSS, no probe), sha1 verified. */
function viaSigneds3download(connections: number): Contender {
  return {
    name: `engine -c${connections} via signeds3download (sha1 verified)`,
    connections,
    command: process.execPath,
    args: (url, out) => [CLI, url, out, '--connections', String(connections), '--quiet'],
  };
}

const curl: Contender = { name: 'curl', connections: 1, command: 'curl', args: (url, out) => ['-sS', '-o', out, url] };

/** VmHWM of a running process (Linux), sampled until it exits: the high-water mark only grows. */
async function peakRss(pid: number): Promise<number | undefined> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => undefined);
  const match = status ? /VmHWM:\s+(\d+) kB/.exec(status) : null;
  return match ? Number(match[1]) * 1024 : undefined;
}

async function measure(contender: Contender, url: string, out: string): Promise<Measurement> {
  await rm(out, { force: true });
  const started = performance.now();
  const child = spawn(contender.command, contender.args(url, out), { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  let peak: number | undefined;
  const sampler = setInterval(() => {
    void peakRss(child.pid as number).then((value) => {
      if (value !== undefined) peak = Math.max(peak ?? 0, value);
    });
  }, 10);
  const code = await new Promise<number | null>((resolve) => child.once('exit', (exitCode) => resolve(exitCode)));
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  return { seconds, peakRssBytes: peak, ok: code === 0, note: code === 0 ? undefined : `exit ${code}: ${stderr.trim().slice(0, 200)}` };
}

async function sha1Of(file: string): Promise<string> {
  const hash = createHash('sha1');
  for await (const chunk of createReadStream(file, { highWaterMark: 4 * MiB })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function seeded(emulator: RunningEmulator, name: SizeName): Promise<AddedObject> {
  const stored = emulator.seed.objects[emulator.seed.ids.objects[name]];
  return emulator.describeObject(stored.bucketKey, stored.objectKey);
}

function mib(bytes: number): string {
  return (bytes / MiB).toFixed(1);
}

function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(headers), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

export async function run(): Promise<void> {
  const emulator = await startEmulator();
  const dir = await mkdtemp(path.join(tmpdir(), 'aps-bench-'));
  try {
    const object = await seeded(emulator, 'twoFiftySixMiB');
    const url = emulator.signedUrl(object.bucketKey, object.objectKey, { minutes: 60 });
    const out = path.join(dir, 'object.bin');
    const hasAria2 = installed('aria2c');
    const hasCurl = installed('curl');

    const check = async (m: Measurement): Promise<Measurement> => {
      if (!m.ok) return m;
      const size = (await stat(out).catch(() => undefined))?.size;
      if (size !== object.size) return { ...m, ok: false, note: `size ${size}` };
      return (await sha1Of(out)) === object.sha1 ? m : { ...m, ok: false, note: 'sha1 mismatch' };
    };

    // Capped: every storage response is throttled per connection and delayed per request.
    const capped = [
      emulator.faults.add({ kind: 'bandwidth', origin: 'storage', bytesPerSecond: CAP }),
      emulator.faults.add({ kind: 'latency', origin: 'storage', latencyMs: LATENCY_MS }),
    ];
    const contenders: Contender[] = [
      engine(8, '8M'),
      ...(hasAria2 ? [aria2(8, '8M', true), aria2(8, '8M', false)] : []),
      engine(16, '4M'),
      engine(16, '8M'),
      ...(hasAria2 ? [aria2(16, '4M', true), aria2(16, '4M', false)] : []),
      engine(8, '8M', ['--sha1', object.sha1]),
      viaSigneds3download(8),
      ...(hasCurl ? [curl] : []),
    ];
    const ossUrl = (o: AddedObject) => `${emulator.baseUrl}/oss/v2/buckets/${o.bucketKey}/objects/${encodeURIComponent(o.objectKey)}`;
    process.env.APS_ACCESS_TOKEN = emulator.issueToken({ scopes: ['data:read'] });
    const results = new Map<string, Measurement>();
    for (const contender of contenders) {
      const target = contender.name.includes('signeds3download') ? ossUrl(object) : url;
      results.set(contender.name, await check(await measure(contender, target, out)));
    }
    const rows = contenders.map((c) => {
      const m = results.get(c.name) as Measurement;
      const limit = object.size / (c.connections * CAP);
      const aria = results.get(`aria2c -x${c.connections} -s${c.connections} -k${c.connections === 8 ? '8M' : '4M'}`);
      return [
        c.name,
        m.ok ? m.seconds.toFixed(2) : `FAILED ${m.note ?? ''}`,
        mib(object.size / m.seconds),
        aria && c.command !== 'aria2c' ? (aria.seconds / m.seconds).toFixed(2) : '',
        limit.toFixed(2),
        (limit / m.seconds).toFixed(3),
        m.peakRssBytes === undefined ? 'n/a' : mib(m.peakRssBytes),
      ];
    });
    for (const id of capped) emulator.faults.remove(id);
    console.log(`\n256 MiB object, ${mib(CAP)} MiB/s per connection, ${LATENCY_MS} ms per request (one run each)`);
    console.log(table(['contender', 'wall s', 'MiB/s', 'speed vs aria2c (same -x, -s)', 'limit s', 'limit / wall', 'peak RSS MiB'], rows));

    // Uncapped: loopback at full speed.
    const uncapped: Contender[] = [engine(8, '8M'), engine(16, '8M'), ...(hasCurl ? [curl] : []), ...(hasAria2 ? [aria2(8, '8M', true)] : [])];
    const fast = new Map<string, Measurement>();
    for (const contender of uncapped) fast.set(contender.name, await check(await measure(contender, url, out)));
    const curlTime = fast.get('curl')?.seconds;
    console.log('\n256 MiB object, uncapped (loopback; the emulator generates the bytes in the same process as this benchmark)');
    console.log(
      table(
        ['contender', 'wall s', 'MiB/s', 'wall / curl wall', 'peak RSS MiB'],
        uncapped.map((c) => {
          const m = fast.get(c.name) as Measurement;
          return [c.name, m.ok ? m.seconds.toFixed(2) : `FAILED ${m.note ?? ''}`, mib(object.size / m.seconds), curlTime ? (m.seconds / curlTime).toFixed(2) : '', m.peakRssBytes === undefined ? 'n/a' : mib(m.peakRssBytes)];
        }),
      ),
    );

    // Peak RSS for 1 GiB through the OSS path with sha1 verification (what the extension does).
    const big = await seeded(emulator, 'oneGiB');
    const bigOut = path.join(dir, 'big.bin');
    const small = await emulator.addObject({ size: 1 * MiB });
    const defaults = viaSigneds3download(8);
    const bigRun = await measure(defaults, ossUrl(big), bigOut);
    const bigSize = (await stat(bigOut).catch(() => undefined))?.size;
    const smallRun = await measure(defaults, ossUrl(small), bigOut);
    console.log('\nPeak RSS, uncapped, via signeds3download with default settings and sha1 verification');
    console.log(
      table(
        ['object', 'result', 'wall s', 'MiB/s', 'peak RSS MiB'],
        [
          [big, bigRun, bigRun.ok && bigSize === big.size] as const,
          [small, smallRun, smallRun.ok] as const,
        ].map(([o, m, ok]) => [`${mib(o.size)} MiB`, ok ? 'ok' : `FAILED ${m.note ?? ''}`, m.seconds.toFixed(2), mib(o.size / m.seconds), m.peakRssBytes === undefined ? 'n/a' : mib(m.peakRssBytes)]),
      ),
    );
    delete process.env.APS_ACCESS_TOKEN;
    if (!hasAria2) console.log('(aria2c is not installed: its rows are missing)');
  } finally {
    await rm(dir, { recursive: true, force: true });
    await emulator.close();
  }
}
