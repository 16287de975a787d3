import { spawn, spawnSync, ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { killProcessTree } from './processTree';

export const CODE_SERVER_VERSION = '4.100.3';
const RIPGREP_CACHE = 'vscode-ripgrep-cache-1.15.11';
const RIPGREP_ARCHIVE = 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz';

export const repoRoot = resolve(__dirname, '..', '..', '..');
export const cacheRoot = join(repoRoot, '.cache');

/** Installs code-server once into .cache (offline-safe: ripgrep comes from Debian's rg) and returns its binary. */
export function ensureCodeServer(): string {
  const prefix = join(cacheRoot, `code-server-${CODE_SERVER_VERSION}`);
  const binary = join(prefix, 'node_modules', '.bin', 'code-server');
  if (existsSync(binary) && existsSync(join(prefix, '.installed'))) return binary;

  const rg = spawnSync('sh', ['-c', 'command -v rg'], { encoding: 'utf8' }).stdout.trim();
  if (!rg) throw new Error('ripgrep (rg) is missing: install it first (apt-get install ripgrep).');
  const tmp = join(cacheRoot, 'tmp');
  mkdirSync(join(tmp, RIPGREP_CACHE), { recursive: true });
  run('tar', ['czf', join(tmp, RIPGREP_CACHE, RIPGREP_ARCHIVE), '-C', join(rg, '..'), 'rg']);

  mkdirSync(prefix, { recursive: true });
  writeFileSync(join(prefix, 'package.json'), '{ "name": "code-server-cache", "private": true }\n');
  console.log(`[runner] installing code-server@${CODE_SERVER_VERSION} into ${prefix} (first run only)…`);
  run('npm', ['install', `code-server@${CODE_SERVER_VERSION}`, '--no-package-lock', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: prefix,
    env: { ...process.env, TMPDIR: tmp, npm_config_unsafe_perm: 'true', npm_config_yes: 'true' },
  });
  if (!existsSync(binary)) throw new Error(`code-server install finished but ${binary} is missing.`);
  writeFileSync(join(prefix, '.installed'), `${CODE_SERVER_VERSION}\n`);
  return binary;
}

function run(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): void {
  const result = spawnSync(command, args, { stdio: 'inherit', ...options });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status ?? result.signal}).`);
}

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface CodeServerOptions {
  /** Folder for user data, extensions and logs; created fresh by the caller. */
  stateDir: string;
  workspaceFolder: string;
  settings?: Record<string, unknown>;
  env?: NodeJS.ProcessEnv;
  port?: number;
  /** Where code-server's own output goes (default: discarded unless APS_RUNNER_VERBOSE is set). */
  onOutput?: (line: string) => void;
}

export interface RunningCodeServer {
  readonly url: string;
  readonly port: number;
  readonly process: ChildProcess;
  stop(): Promise<void>;
}

export const baseSettings = {
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'update.mode': 'none',
  'workbench.enableExperiments': false,
};

export async function startCodeServer(options: CodeServerOptions): Promise<RunningCodeServer> {
  const binary = ensureCodeServer();
  const port = options.port ?? (await freePort());
  const userDataDir = join(options.stateDir, 'user-data');
  const extensionsDir = join(options.stateDir, 'extensions');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  mkdirSync(options.workspaceFolder, { recursive: true });
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...baseSettings, ...options.settings }, null, 2));

  const child = spawn(
    binary,
    [
      '--auth', 'none',
      '--bind-addr', `127.0.0.1:${port}`,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--user-data-dir', userDataDir,
      '--extensions-dir', extensionsDir,
      options.workspaceFolder,
    ],
    { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...options.env } },
  );
  const output = options.onOutput ?? (process.env.APS_RUNNER_VERBOSE ? (line: string) => console.error(`[code-server] ${line}`) : undefined);
  const ready = new Promise<void>((resolveReady, reject) => {
    let seen = '';
    const onData = (chunk: Buffer) => {
      const text = chunk.toString();
      for (const line of text.split('\n')) if (line.trim()) output?.(line);
      seen += text;
      if (seen.includes('HTTP server listening')) resolveReady();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code, signal) => reject(new Error(`code-server exited early (${code ?? signal}):\n${seen.slice(-2000)}`)));
    setTimeout(() => reject(new Error('code-server did not start within 60 s')), 60_000).unref();
  });
  const server: RunningCodeServer = {
    url: `http://127.0.0.1:${port}`,
    port,
    process: child,
    stop: () => killProcessTree(child),
  };
  try {
    await ready;
  } catch (error) {
    await server.stop();
    throw error;
  }
  return server;
}

/** The workbench URL with development arguments passed through code-server's `payload` parameter. */
export function workbenchUrl(server: RunningCodeServer, folder: string, payload: Array<[string, string]>): string {
  const remote = (path: string) => `vscode-remote://127.0.0.1:${server.port}${path}`;
  const pairs = payload.map(([key, value]) => [key, key.endsWith('Path') ? remote(value) : value]);
  return `${server.url}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(JSON.stringify(pairs))}`;
}
