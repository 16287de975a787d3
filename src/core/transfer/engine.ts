import * as path from 'node:path';
import type { Dispatcher } from 'undici';
import { Limiter } from '../http/limiter';
import type { ProxySettings } from '../http/proxy';
import { nodeFs, type TransferFs } from './disk/fileSystem';
import { partFilesFor } from './disk/partFiles';
import { PartLock } from './disk/partLock';
import { chooseTarget, prepareTargetInside } from './disk/placement';
import { errorDetail, fileSystemError, RestartRequired, TransferError } from './errors';
import { createStorageAgent } from './http/agent';
import { ObjectDownload, type EngineContext } from './objectDownload';
import { AggregateProgressTracker, FileProgressTracker } from './progress';
import { DEFAULT_CONCURRENT_FILES, DEFAULT_ENGINE_CONNECTIONS, downloadSettings, MAX_CONNECTIONS } from './settings';
import type { BulkFileResult, BulkItem, BulkOptions, BulkResult, DownloadOptions, DownloadResult, FileProgress, ObjectSource, TransferLog } from './types';

export interface TransferEngineOptions {
  /** Cap on storage connections across all downloads of this engine (default 16). */
  readonly maxConnections?: number;
  /** Storage dispatcher; default an HTTP/1.1 undici Agent owned (and closed) by the engine. */
  readonly dispatcher?: Dispatcher;
  /** Proxy for that default Agent (as the API client's); undefined: no proxy. */
  readonly proxy?: ProxySettings;
  readonly fs?: TransferFs;
  readonly log?: TransferLog;
}

/** Downloads storage objects into files: ranged, parallel, resumable, verified. No VS Code dependency. */
export class TransferEngine {
  readonly dispatcher: Dispatcher;
  private readonly context: EngineContext;
  private readonly ownsDispatcher: boolean;

  constructor(options: TransferEngineOptions = {}) {
    const cap = Math.max(1, Math.floor(options.maxConnections ?? DEFAULT_ENGINE_CONNECTIONS));
    this.ownsDispatcher = options.dispatcher === undefined;
    this.dispatcher = options.dispatcher ?? createStorageAgent({ connectionsPerOrigin: Math.max(cap, MAX_CONNECTIONS), proxy: options.proxy });
    this.context = {
      dispatcher: this.dispatcher,
      limiter: new Limiter(cap),
      fs: options.fs ?? nodeFs,
      log: options.log ?? (() => undefined),
    };
  }

  /**
   * Downloads `source` to `target` (an absolute path), applying the conflict policy. A file appears
   * under that name only complete and verified; rejects with a TransferError (code 'cancelled' when
   * options.signal aborted).
   */
  async download(source: ObjectSource, target: string, options: DownloadOptions = {}): Promise<DownloadResult> {
    if (!path.isAbsolute(target)) throw new TypeError(`The download target must be an absolute path, not ${target}`);
    const settings = downloadSettings(options);
    const { fs, log } = this.context;
    const progress = new FileProgressTracker(source.identity, target, options.onProgress, settings.progressIntervalMs);
    try {
      options.signal?.throwIfAborted();
      await this.prepareFolder(target, options.root);
      const skipped = async (): Promise<DownloadResult> => {
        progress.setPhase('skipped');
        const size = (await fs.size(target)) ?? 0;
        return { status: 'skipped', path: target, size, resumedBytes: 0, restarts: 0, urlRefreshes: 0, retries: 0 };
      };
      // Nothing to write: no lock needed (nor possible in a read-only folder).
      if (settings.conflict === 'skip' && (await fs.exists(target))) return await skipped();
      const locks = [await PartLock.acquire(fs, partFilesFor(target).lock, target, settings.lockWaitMs, options.signal)];
      const claim = async (candidate: string): Promise<boolean> => {
        const lock = await PartLock.tryAcquire(fs, partFilesFor(candidate).lock, candidate, options.signal);
        if (lock) locks.push(lock);
        return lock !== undefined;
      };
      let result: DownloadResult;
      try {
        const chosen = await chooseTarget(fs, target, settings.conflict, claim);
        if (chosen === undefined) return await skipped();
        progress.setPath(chosen);
        result = await new ObjectDownload(this.context, source, chosen, settings, progress, options.signal).run();
      } finally {
        await Promise.all(locks.map((lock) => lock.release()));
      }
      progress.setPhase('done');
      log('info', `Downloaded ${source.identity} to ${result.path} (${result.size} bytes).`);
      return result;
    } catch (error) {
      const failure = asTransferError(error, options.signal);
      progress.setPhase(failure.code === 'cancelled' ? 'cancelled' : 'failed');
      log(failure.code === 'cancelled' ? 'info' : 'error', `Download of ${source.identity} ${failure.code === 'cancelled' ? 'cancelled' : `failed: ${failure.message}`}`);
      throw failure;
    } finally {
      progress.dispose();
    }
  }

  /**
   * Many files (e.g. a folder tree) through one bounded queue, `concurrentFiles` at a time; a failing
   * file is recorded and the rest go on.
   */
  async downloadMany(items: readonly BulkItem[], options: BulkOptions = {}): Promise<BulkResult> {
    const { concurrentFiles, onProgress, onFileSettled, ...fileOptions } = options;
    const aggregate = new AggregateProgressTracker(items.length, onProgress, options.progressIntervalMs);
    const results: BulkFileResult[] = [];
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < items.length && !options.signal?.aborted) {
        const key = next++;
        const item = items[key];
        aggregate.update(key, { identity: item.source.identity, path: item.target, phase: 'queued', totalBytes: item.size, transferredBytes: 0, bytesPerSecond: 0 });
        const onFileProgress = (progress: FileProgress) => aggregate.update(key, progress.totalBytes === undefined ? { ...progress, totalBytes: item.size } : progress);
        const settled = await this.downloadItem(item, { ...fileOptions, onProgress: onFileProgress });
        results.push(settled);
        onFileSettled?.(settled);
      }
    };
    aggregate.start();
    try {
      await Promise.all(Array.from({ length: Math.max(1, Math.floor(concurrentFiles ?? DEFAULT_CONCURRENT_FILES)) }, worker));
    } finally {
      aggregate.stop();
    }
    return { results, failures: results.filter((r) => r.status === 'failed' || r.status === 'cancelled'), cancelled: options.signal?.aborted === true };
  }

  async close(): Promise<void> {
    if (this.ownsDispatcher) await this.dispatcher.close();
  }

  private async downloadItem(item: BulkItem, options: DownloadOptions): Promise<BulkFileResult> {
    try {
      const result = await this.download(item.source, item.target, options);
      return { item, status: result.status, result };
    } catch (error) {
      const failure = error instanceof TransferError ? error : new TransferError('io', errorDetail(error), { cause: error });
      return { item, status: failure.code === 'cancelled' ? 'cancelled' : 'failed', error: failure };
    }
  }

  private async prepareFolder(target: string, root: string | undefined): Promise<void> {
    try {
      if (root !== undefined) await prepareTargetInside(this.context.fs, root, target);
      else await this.context.fs.mkdir(path.dirname(target));
    } catch (error) {
      throw fileSystemError('create the folder for', target, error);
    }
  }
}

function asTransferError(error: unknown, signal: AbortSignal | undefined): TransferError {
  if (signal?.aborted) return new TransferError('cancelled', 'The download was cancelled.', { cause: error });
  if (error instanceof TransferError) return error;
  if (error instanceof RestartRequired) return new TransferError('object-changed', error.message, { cause: error });
  return new TransferError('io', `Download failed: ${errorDetail(error)}`, { cause: error });
}
