import type { TransferError } from './errors';

/** One independently addressable piece of the stored object (inclusive byte offsets within the object). */
export interface StorageSegment {
  readonly start: number;
  readonly end: number;
  readonly url: string;
}

/** What a source hands the engine: where the bytes are right now and what they must add up to. */
export interface ResolvedObject {
  /** Signed (or plain) URL of the whole object. For the 'chunked' form this is the first segment's URL. */
  readonly url: string;
  readonly size: number;
  readonly sha1?: string;
  readonly etag?: string;
  /** Epoch ms after which the URL may no longer be started. */
  readonly expiresAt?: number;
  /** Present for the OSS 'chunked' form: one URL per stored part, covering the object in order. */
  readonly segments?: readonly StorageSegment[];
}

/**
 * Anything the engine can download. `resolve` is called once per attempt and again when the storage
 * origin says the URL expired (single-flighted across all workers of a download).
 */
export interface ObjectSource {
  /** Stable key of the stored object (never a signed URL): ties a resume journal to the object. */
  readonly identity: string;
  resolve(signal: AbortSignal): Promise<ResolvedObject>;
}

export type ConflictPolicy = 'overwrite' | 'skip' | 'keepBoth';

/** Uploads go through 'uploading' where downloads go through 'downloading'; the other phases serve both. */
export type TransferPhase = 'queued' | 'resolving' | 'downloading' | 'uploading' | 'verifying' | 'finalizing' | 'done' | 'skipped' | 'failed' | 'cancelled';

export interface FileProgress {
  readonly identity: string;
  readonly path: string;
  readonly phase: TransferPhase;
  /** Object size in bytes; undefined until resolved. */
  readonly totalBytes?: number;
  /** Distinct bytes of the object written to disk so far (resumed bytes included). */
  readonly transferredBytes: number;
  /** Bytes per second over the last few seconds. */
  readonly bytesPerSecond: number;
  readonly etaSeconds?: number;
}

export interface AggregateProgress {
  readonly files: number;
  readonly finishedFiles: number;
  readonly failedFiles: number;
  readonly skippedFiles: number;
  readonly activeFiles: number;
  /** Sum of the sizes known so far (grows as files are resolved). */
  readonly totalBytes: number;
  readonly transferredBytes: number;
  readonly bytesPerSecond: number;
  readonly etaSeconds?: number;
}

export type TransferLogLevel = 'debug' | 'info' | 'warn' | 'error';
/** Messages never contain signed-URL signatures or credentials. */
export type TransferLog = (level: TransferLogLevel, message: string) => void;

export interface RetryPolicy {
  /** Consecutive failed attempts (without any byte written) allowed per range. */
  readonly attempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** Upper bound for honouring a Retry-After header. */
  readonly maxRetryAfterMs: number;
}

export interface DownloadOptions {
  /** Parallel connections for this file, 1-16 (default 8). */
  readonly connections?: number;
  /** Range size in bytes (default 8 MiB). */
  readonly chunkSize?: number;
  /** Objects smaller than this go in one request (default 16 MiB). */
  readonly singleRequestThreshold?: number;
  /** Check sha1 against the source's when it has one (default true). Size is always checked. */
  readonly verifySha1?: boolean;
  readonly conflict?: ConflictPolicy;
  /** When given, the target must lie inside this folder (after resolving symlinks) or the download is refused. */
  readonly root?: string;
  readonly signal?: AbortSignal;
  /** On cancel, delete the partial file and journal instead of keeping them for a resume (a function is asked at the cancel). */
  readonly deleteOnCancel?: boolean | (() => boolean);
  readonly onProgress?: (progress: FileProgress) => void;
  readonly progressIntervalMs?: number;
  readonly retry?: Partial<RetryPolicy>;
  /** No body byte for this long (while not waiting on the disk) aborts and re-requests the missing bytes. */
  readonly stallTimeoutMs?: number;
  readonly journalIntervalMs?: number;
  /** How long to wait for another process's download of the same target before giving up (default 10 s). */
  readonly lockWaitMs?: number;
  /** How many times a changed object (412, new ETag, size, sha1) may restart the download. */
  readonly maxRestarts?: number;
}

export interface DownloadResult {
  readonly status: 'downloaded' | 'skipped';
  /** Final path of the file (for keepBoth, the name actually chosen). */
  readonly path: string;
  readonly size: number;
  readonly sha1?: string;
  /** Bytes taken from a previous run's journal instead of the network. */
  readonly resumedBytes: number;
  readonly restarts: number;
  readonly urlRefreshes: number;
  readonly retries: number;
}

/** One file of a batch: where it comes from and the absolute path it goes to. */
export interface BulkItem {
  readonly source: ObjectSource;
  readonly target: string;
  /** Size when already known (e.g. from the Data API), for the aggregate total before resolving. */
  readonly size?: number;
}

export interface BulkOptions extends Omit<DownloadOptions, 'onProgress'> {
  /** Files downloaded at the same time (default 4); each uses up to `connections`, all share the engine's cap. */
  readonly concurrentFiles?: number;
  readonly onProgress?: (progress: AggregateProgress) => void;
  /** Each file once it settled, in the order they finish. */
  readonly onFileSettled?: (file: BulkFileResult) => void;
}

export interface BulkFileResult {
  readonly item: BulkItem;
  readonly status: 'downloaded' | 'skipped' | 'failed' | 'cancelled';
  readonly result?: DownloadResult;
  readonly error?: TransferError;
}

export interface BulkResult {
  /** In the order they settled. */
  readonly results: readonly BulkFileResult[];
  readonly failures: readonly BulkFileResult[];
  readonly cancelled: boolean;
}
