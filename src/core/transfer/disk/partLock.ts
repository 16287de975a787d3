import { hostname } from 'node:os';
import { delay } from '../../http/delay';
import { fileSystemError, hasErrnoCode, TransferError } from '../errors';
import type { TransferFs } from './fileSystem';

/** A lock not refreshed for this long is stale, whoever holds it (another machine, a reused pid). */
const LOCK_STALE_MS = 60_000;
const REFRESH_MS = LOCK_STALE_MS / 4;
const POLL_MS = 200;

interface LockOwner {
  readonly pid: number;
  readonly host: string;
}

function parseOwner(text: string | undefined): LockOwner | undefined {
  try {
    const value = JSON.parse(text ?? '') as Partial<LockOwner>;
    return typeof value.pid === 'number' && typeof value.host === 'string' ? { pid: value.pid, host: value.host } : undefined;
  } catch {
    return undefined;
  }
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return hasErrnoCode(error, 'EPERM');
  }
}

function busy(target: string, owner: LockOwner | undefined): TransferError {
  const holder = owner && owner.pid !== process.pid ? ` by another process (${owner.pid} on ${owner.host})` : '';
  return new TransferError('busy', `${target} is already being downloaded${holder}; try again when that download has finished.`);
}

/**
 * One download's claim on a target, so that a second download of it (in this process, another VS Code
 * window or the CLI) cannot truncate or rename the first one's temp file and journal, nor decide its
 * conflict policy on a file about to appear. A file created exclusively beside the target, naming its
 * process, refreshed while held. A lock whose process is gone (same host) or that was not refreshed
 * for LOCK_STALE_MS is taken over.
 */
export class PartLock {
  private readonly timer: NodeJS.Timeout;

  private constructor(
    private readonly fs: TransferFs,
    private readonly path: string,
  ) {
    this.timer = setInterval(() => void fs.touch(path).catch(() => undefined), REFRESH_MS);
    this.timer.unref();
  }

  /**
   * Takes the lock. Held by this process: rejects with 'busy' at once. Held by another live process:
   * waits up to `waitMs` for it (an extension host that a window reload is replacing lets go within
   * moments), then rejects with 'busy'.
   */
  static async acquire(fs: TransferFs, path: string, target: string, waitMs: number, signal?: AbortSignal): Promise<PartLock> {
    const text = JSON.stringify({ pid: process.pid, host: hostname() });
    const deadline = Date.now() + waitMs;
    for (let takeovers = 0; takeovers < 3; ) {
      try {
        await fs.createText(path, text);
        return new PartLock(fs, path);
      } catch (error) {
        if (!hasErrnoCode(error, 'EEXIST')) throw fileSystemError('create', path, error);
      }
      const [owner, modified] = await Promise.all([fs.readText(path).then(parseOwner, () => undefined), fs.modifiedMs(path).catch(() => undefined)]);
      if (modified === undefined) continue;
      const fresh = Date.now() - modified < LOCK_STALE_MS;
      const gone = owner !== undefined && owner.host === hostname() && !processExists(owner.pid);
      if (!fresh || gone) {
        await fs.remove(path);
        takeovers++;
        continue;
      }
      if (owner?.pid === process.pid || Date.now() >= deadline) throw busy(target, owner);
      await delay(Math.min(POLL_MS, deadline - Date.now()), signal);
    }
    throw busy(target, undefined);
  }

  /** Takes the lock at once if nobody else holds it (stale locks are taken over); undefined when busy. */
  static async tryAcquire(fs: TransferFs, path: string, target: string, signal?: AbortSignal): Promise<PartLock | undefined> {
    try {
      return await PartLock.acquire(fs, path, target, 0, signal);
    } catch (error) {
      if (error instanceof TransferError && error.code === 'busy') return undefined;
      throw error;
    }
  }

  async release(): Promise<void> {
    clearInterval(this.timer);
    await this.fs.remove(this.path).catch(() => undefined);
  }
}
