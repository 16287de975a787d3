import { AggregateProgressTracker } from './aggregateProgress';
import { errorDetail, TransferError } from './errors';
import { safeJoin } from './names';
import type { AggregateProgress, DownloadOptions, DownloadResult, FileProgress, ObjectSource } from './types';

export interface BulkItem {
  readonly source: ObjectSource;
  /** Path below the root as server-supplied names (folders…, file name); each is sanitized. */
  readonly path: readonly string[];
  /** Size when already known (e.g. from the Data API), for the aggregate total before resolving. */
  readonly size?: number;
}

export interface BulkOptions extends Omit<DownloadOptions, 'root' | 'onProgress'> {
  /** Every file lands inside this folder, structure preserved. */
  readonly root: string;
  /** Files downloaded at the same time (default 4); each uses up to `connections`, all share the engine's cap. */
  readonly concurrentFiles?: number;
  readonly onProgress?: (progress: AggregateProgress) => void;
  readonly onFileProgress?: (progress: FileProgress) => void;
}

export type BulkFileStatus = 'downloaded' | 'skipped' | 'failed' | 'cancelled';

export interface BulkFileResult {
  readonly item: BulkItem;
  readonly status: BulkFileStatus;
  readonly result?: DownloadResult;
  readonly error?: TransferError;
}

export interface BulkResult {
  /** In the order the items were taken from the queue. */
  readonly results: readonly BulkFileResult[];
  readonly failures: readonly BulkFileResult[];
  readonly cancelled: boolean;
}

interface Downloader {
  download(source: ObjectSource, targetPath: string, options: DownloadOptions): Promise<DownloadResult>;
}

export async function downloadMany(engine: Downloader, items: Iterable<BulkItem> | AsyncIterable<BulkItem>, options: BulkOptions): Promise<BulkResult> {
  const { root, concurrentFiles, onProgress, onFileProgress, ...fileOptions } = options;
  const knownCount = Array.isArray(items) ? items.length : undefined;
  let taken = 0;
  const aggregate = new AggregateProgressTracker(() => knownCount ?? taken, onProgress, options.progressIntervalMs);
  const results: BulkFileResult[] = [];
  const iterator = toAsyncIterator(items);
  let pulling: Promise<IteratorResult<BulkItem>> = Promise.resolve({ done: false, value: undefined as unknown as BulkItem });
  const next = (): Promise<IteratorResult<BulkItem>> => {
    pulling = pulling.then(() => iterator.next());
    return pulling;
  };

  const worker = async () => {
    for (;;) {
      if (options.signal?.aborted) return;
      const step = await next();
      if (step.done) return;
      const key = taken++;
      const item = step.value;
      const slot = results.push({ item, status: 'failed' }) - 1;
      aggregate.update(key, queuedProgress(item));
      results[slot] = await downloadOne(engine, item, root, {
        ...fileOptions,
        onProgress: (progress) => {
          aggregate.update(key, progress.totalBytes === undefined ? { ...progress, totalBytes: item.size } : progress);
          onFileProgress?.(progress);
        },
      });
    }
  };

  aggregate.start();
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.floor(concurrentFiles ?? 4)) }, worker));
  } finally {
    aggregate.stop();
  }
  return {
    results,
    failures: results.filter((r) => r.status === 'failed' || r.status === 'cancelled'),
    cancelled: options.signal?.aborted === true,
  };
}

async function downloadOne(engine: Downloader, item: BulkItem, root: string, options: DownloadOptions): Promise<BulkFileResult> {
  try {
    const target = safeJoin(root, item.path);
    const result = await engine.download(item.source, target, { ...options, root });
    return { item, status: result.status, result };
  } catch (error) {
    const failure = error instanceof TransferError ? error : new TransferError('io', errorDetail(error), { cause: error });
    return { item, status: failure.code === 'cancelled' ? 'cancelled' : 'failed', error: failure };
  }
}

function queuedProgress(item: BulkItem): FileProgress {
  return { identity: item.source.identity, path: item.path.join('/'), phase: 'queued', totalBytes: item.size, transferredBytes: 0, bytesPerSecond: 0 };
}

function toAsyncIterator<T>(items: Iterable<T> | AsyncIterable<T>): AsyncIterator<T> {
  if (Symbol.asyncIterator in items) return (items as AsyncIterable<T>)[Symbol.asyncIterator]();
  const sync = (items as Iterable<T>)[Symbol.iterator]();
  return { next: async () => sync.next() };
}
