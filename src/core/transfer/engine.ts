import * as path from 'node:path';
import type { Dispatcher } from 'undici';
import type { ProxySettings } from '../http/proxy';
import { createPlainRangeAgent, createStorageAgent } from './agent';
import { BufferPool } from './bufferPool';
import { downloadMany, type BulkItem, type BulkOptions, type BulkResult } from './bulk';
import { chooseTarget } from './conflict';
import { errorDetail, fileSystemError, TransferError } from './errors';
import { nodeFs, type TransferFs } from './fileSystem';
import { Limiter } from './limiter';
import { MemoryRelief } from './memoryRelief';
import { prepareTargetInside } from './names';
import { partFilesFor } from './partFiles';
import { PartLock } from './partLock';
import { ObjectDownload, type EngineContext } from './objectDownload';
import { FileProgressTracker } from './progress';
import { RestartRequired } from './restart';
import { DEFAULT_GLOBAL_CONNECTIONS, downloadSettings, MAX_CONNECTIONS, WRITE_BUFFER_BYTES } from './settings';
import { BUFFERS_PER_WRITER } from './spanWriter';
import type { DownloadOptions, DownloadResult, ObjectSource, TransferLog } from './types';

export interface TransferEngineOptions {
  /** Cap on storage connections across all downloads of this engine (default 16). */
  readonly maxConnections?: number;
  /** Storage dispatcher; default an HTTP/1.1 undici Agent owned (and closed) by the engine. */
  readonly dispatcher?: Dispatcher;
  /** Proxy for that default Agent (as the API client's); undefined: no proxy. */
  readonly proxy?: ProxySettings;
  readonly fs?: TransferFs;
  readonly log?: TransferLog;
  /** Source of randomness for backoff jitter. */
  readonly random?: () => number;
  /**
   * Ask V8 to collect dead socket buffers every so many downloaded bytes instead of letting ~64 MiB
   * pile up. Process-wide, so off by default; meant for a process that only downloads (the CLI).
   */
  readonly reclaimMemory?: { readonly everyBytes: number };
}

/** Downloads storage objects into files: ranged, parallel, resumable, verified. No VS Code dependency. */
export class TransferEngine {
  readonly dispatcher: Dispatcher;
  private readonly context: EngineContext;
  private readonly ownsDispatcher: boolean;
  /** For plain-http range responses, when the engine made its own agent (see createPlainRangeAgent). */
  private readonly plainRangeDispatcher?: Dispatcher;

  /** Every dispatcher storage requests go through: `dispatcher`, and the plain-http range agent if any. */
  get storageDispatchers(): readonly Dispatcher[] {
    return this.plainRangeDispatcher ? [this.dispatcher, this.plainRangeDispatcher] : [this.dispatcher];
  }

  constructor(options: TransferEngineOptions = {}) {
    const cap = Math.max(1, Math.floor(options.maxConnections ?? DEFAULT_GLOBAL_CONNECTIONS));
    this.ownsDispatcher = options.dispatcher === undefined;
    const agentOptions = { connectionsPerOrigin: Math.max(cap, MAX_CONNECTIONS), proxy: options.proxy };
    this.dispatcher = options.dispatcher ?? createStorageAgent(agentOptions);
    this.plainRangeDispatcher = this.ownsDispatcher ? createPlainRangeAgent(agentOptions) : undefined;
    this.context = {
      dispatcher: this.dispatcher,
      plainRangeDispatcher: this.plainRangeDispatcher,
      limiter: new Limiter(cap),
      fs: options.fs ?? nodeFs,
      log: options.log ?? (() => undefined),
      random: options.random ?? Math.random,
      memory: new MemoryRelief(options.reclaimMemory?.everyBytes ?? 0),
      buffers: new BufferPool(WRITE_BUFFER_BYTES, BUFFERS_PER_WRITER * cap),
    };
  }

  /**
   * Downloads `source` to `targetPath`. A file appears under that name only complete and verified;
   * rejects with a TransferError (code 'cancelled' when options.signal aborted).
   */
  async download(source: ObjectSource, targetPath: string, options: DownloadOptions = {}): Promise<DownloadResult> {
    const settings = downloadSettings(options);
    const { fs, log } = this.context;
    const target = path.resolve(targetPath);
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
        if (chosen.skip) return await skipped();
        progress.setPath(chosen.path);
        result = await new ObjectDownload(this.context, source, chosen.path, settings, progress, options.signal).run();
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

  /** Many files (e.g. a folder tree) through one bounded queue; failures are collected, the rest continue. */
  downloadMany(items: Iterable<BulkItem> | AsyncIterable<BulkItem>, options: BulkOptions): Promise<BulkResult> {
    return downloadMany(this, items, options);
  }

  async close(): Promise<void> {
    if (this.ownsDispatcher) await Promise.all([this.dispatcher.close(), this.plainRangeDispatcher?.close()]);
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
  const detail = errorDetail(error);
  return new TransferError('io', `Download failed: ${detail}`, { cause: error });
}
