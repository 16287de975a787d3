// What the benchmarks share: contenders as child processes with their wall time and peak memory, their
// environment, and the tables they print.
import { spawn, spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';

export const MiB = 1024 * 1024;

export function installed(command: string): boolean {
  return spawnSync(command, ['--version'], { stdio: 'ignore' }).status === 0;
}

/**
 * Every contender honours HTTP(S)_PROXY, and the emulator is on loopback. NODE_EXTRA_CA_CERTS goes:
 * only Node reads it, Node 20 parses that bundle at start-up even for plain http, and the origin is
 * plain http (the transfer bench measures and prints the cost).
 */
export function contenderEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_PROXY: [process.env.NO_PROXY, '127.0.0.1', 'localhost'].filter(Boolean).join(','), ...extra };
  delete env.NODE_EXTRA_CA_CERTS;
  return env;
}

/** VmHWM of a running process (Linux), sampled until it exits: the high-water mark only grows. */
export async function peakRss(pid: number): Promise<number | undefined> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => undefined);
  const match = status ? /VmHWM:\s+(\d+) kB/.exec(status) : null;
  return match ? Number(match[1]) * 1024 : undefined;
}

export interface Run {
  readonly seconds: number;
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly peakRssBytes?: number;
}

/** Runs a command to its end: wall time, output, and its peak RSS sampled every 10 ms. */
export async function runMeasured(command: string, args: readonly string[], env: NodeJS.ProcessEnv = contenderEnv()): Promise<Run> {
  const started = performance.now();
  const child = spawn(command, [...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
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
  return { seconds, code, stdout, stderr, peakRssBytes: peak };
}

export function mib(bytes: number): string {
  return (bytes / MiB).toFixed(1);
}

export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(headers), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}
