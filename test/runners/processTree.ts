import { ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/**
 * Stops a detached child, its process group and every descendant. Descendants are listed before
 * signalling because VS Code starts some (the extension host) in groups of their own, and they
 * lose their parent link once the server exits.
 */
export async function killProcessTree(child: ChildProcess, graceMs = 5000): Promise<void> {
  const pid = child.pid;
  if (pid === undefined) return;
  const tree = [pid, ...descendants(pid)];
  const exited = child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise<void>((resolve) => child.once('exit', () => resolve()));
  signal(-pid, 'SIGTERM');
  for (const member of tree) signal(member, 'SIGTERM');
  const timer = setTimeout(() => signal(-pid, 'SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
  await waitGone(tree, graceMs);
  signal(-pid, 'SIGKILL');
  for (const member of tree) signal(member, 'SIGKILL');
}

function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
    } catch {
      // The process ended while we looked.
    }
  }
  const found: number[] = [];
  const queue = [root];
  while (queue.length) {
    for (const child of children.get(queue.shift()!) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

async function waitGone(pids: number[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && pids.some(alive)) await new Promise((resolve) => setTimeout(resolve, 100));
}

function alive(pid: number): boolean {
  try {
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
  } catch {
    return false;
  }
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // Already gone.
  }
}

type Cleanup = () => Promise<void>;

/** Runs registered cleanups once, on normal exit paths and on SIGINT/SIGTERM/SIGHUP. */
export class Teardown {
  private readonly cleanups: Cleanup[] = [];
  private done: Promise<void> | undefined;

  constructor() {
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
      process.once(signal, () => {
        console.error(`\n[runner] ${signal}: stopping browser and server…`);
        void this.run().finally(() => process.exit(130));
      });
    }
  }

  add(cleanup: Cleanup): void {
    this.cleanups.unshift(cleanup);
  }

  run(): Promise<void> {
    this.done ??= (async () => {
      for (const cleanup of this.cleanups) {
        await cleanup().catch((error: unknown) => console.error('[runner] cleanup failed:', error));
      }
    })();
    return this.done;
  }
}
