import { hostname } from 'node:os';
import { fileSystemError, hasErrnoCode, TransferError } from './errors';
import type { TransferFs } from './fileSystem';

/** A lock not refreshed for this long is stale, whoever holds it (another machine, a reused pid). */
const LOCK_STALE_MS = 60_000;
const REFRESH_MS = LOCK_STALE_MS / 4;

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

/**
 * One download's claim on a target's temp file and journal, so that a second download of the same
 * target (in this process, another VS Code window or the CLI) cannot truncate or rename them under
 * it. A file created exclusively beside them, naming its process; refreshed while held. A lock whose
 * process is gone (same host) or that was not refreshed for LOCK_STALE_MS is taken over.
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

  /** Takes the lock, or rejects with 'busy' naming the target when another download holds it. */
  static async acquire(fs: TransferFs, path: string, target: string): Promise<PartLock> {
    const text = JSON.stringify({ pid: process.pid, host: hostname() });
    for (let attempt = 0; attempt < 3; attempt++) {
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
      if (fresh && !gone) {
        const holder = owner && owner.pid !== process.pid ? ` by another process (${owner.pid} on ${owner.host})` : '';
        throw new TransferError('busy', `${target} is already being downloaded${holder}; try again when that download has finished.`);
      }
      await fs.remove(path);
    }
    throw new TransferError('busy', `${target} is already being downloaded; try again when that download has finished.`);
  }

  async release(): Promise<void> {
    clearInterval(this.timer);
    await this.fs.remove(this.path).catch(() => undefined);
  }
}
