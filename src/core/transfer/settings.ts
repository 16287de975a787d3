// Every default of the transfer engine; the extension's settings and the CLI's options take theirs from here.
import type { UploadRunOptions } from '../upload/types';
import type { ConflictPolicy, DownloadOptions, RetryPolicy } from './types';

export const MIB = 1024 * 1024;
/** Parallel connections per file. */
export const DEFAULT_CONNECTIONS = 8;
export const MAX_CONNECTIONS = 16;
/** Storage connections across all downloads of one engine. */
export const DEFAULT_ENGINE_CONNECTIONS = 16;
/** Smallest piece a download is first split into. */
export const DEFAULT_CHUNK_SIZE = 8 * MIB;
/** Objects smaller than this come in one request. */
export const DEFAULT_SINGLE_REQUEST_THRESHOLD = 16 * MIB;
/** Files of a batch downloaded at the same time. */
export const DEFAULT_CONCURRENT_FILES = 4;
/** signeds3download minutesExpiration the sources ask for: long enough for big files, short-lived anyway. */
export const SIGNED_URL_MINUTES = 15;
/** Bytes gathered per connection before one positioned write. */
export const WRITE_BATCH_BYTES = 256 * 1024;
/** Bytes a connection may have waiting for the disk before its socket is paused. */
export const MAX_UNWRITTEN_BYTES = 3 * WRITE_BATCH_BYTES;
/** Written data is synced after this many new bytes, so little is left to sync at the end. */
export const SYNC_EVERY_BYTES = 8 * MIB;
export const CONNECT_TIMEOUT_MS = 30_000;
export const KEEP_ALIVE_TIMEOUT_MS = 4_000;

export interface DownloadSettings {
  readonly connections: number;
  readonly chunkSize: number;
  readonly singleRequestThreshold: number;
  readonly verifySha1: boolean;
  readonly conflict: ConflictPolicy;
  readonly deleteOnCancel: () => boolean;
  readonly progressIntervalMs: number;
  readonly retry: RetryPolicy;
  readonly stallTimeoutMs: number;
  readonly journalIntervalMs: number;
  readonly lockWaitMs: number;
  readonly maxRestarts: number;
}

function clampInteger(value: number | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined || !Number.isFinite(value)) return fallback;
  return Math.min(max, Math.max(min, Math.floor(value)));
}

export function downloadSettings(options: DownloadOptions): DownloadSettings {
  return {
    connections: clampInteger(options.connections, DEFAULT_CONNECTIONS, 1, MAX_CONNECTIONS),
    chunkSize: clampInteger(options.chunkSize, DEFAULT_CHUNK_SIZE, 1, Number.MAX_SAFE_INTEGER),
    singleRequestThreshold: clampInteger(options.singleRequestThreshold, DEFAULT_SINGLE_REQUEST_THRESHOLD, 0, Number.MAX_SAFE_INTEGER),
    verifySha1: options.verifySha1 ?? true,
    conflict: options.conflict ?? 'overwrite',
    deleteOnCancel: typeof options.deleteOnCancel === 'function' ? options.deleteOnCancel : () => options.deleteOnCancel === true,
    progressIntervalMs: clampInteger(options.progressIntervalMs, 250, 10, 60_000),
    retry: {
      attempts: clampInteger(options.retry?.attempts, 6, 0, 1_000),
      baseDelayMs: clampInteger(options.retry?.baseDelayMs, 250, 0, 600_000),
      maxDelayMs: clampInteger(options.retry?.maxDelayMs, 10_000, 0, 600_000),
      maxRetryAfterMs: clampInteger(options.retry?.maxRetryAfterMs, 60_000, 0, 3_600_000),
    },
    stallTimeoutMs: clampInteger(options.stallTimeoutMs, 30_000, 20, 3_600_000),
    journalIntervalMs: clampInteger(options.journalIntervalMs, 2_000, 10, 600_000),
    lockWaitMs: clampInteger(options.lockWaitMs, 10_000, 0, 600_000),
    maxRestarts: clampInteger(options.maxRestarts, 3, 0, 100),
  };
}

// Uploads (src/core/upload) take theirs from here too.

/** Largest upload part unless a file needs bigger ones to fit in 10,000: a part that fails is sent again whole. */
export const DEFAULT_MAX_PART_BYTES = 64 * MIB;
/** Files of an upload sent at the same time. */
export const DEFAULT_CONCURRENT_UPLOADS = 4;
/** Bytes read from disk at a time for a part's body. */
export const UPLOAD_READ_BYTES = 64 * 1024;

export interface UploadSettings extends Pick<DownloadSettings, 'connections' | 'progressIntervalMs' | 'retry' | 'stallTimeoutMs' | 'maxRestarts' | 'lockWaitMs'> {
  readonly concurrentFiles: number;
  readonly maxPartBytes: number;
}

export function uploadSettings(options: UploadRunOptions): UploadSettings {
  const { connections, progressIntervalMs, retry, stallTimeoutMs, maxRestarts, lockWaitMs } = options;
  const download = downloadSettings({ connections, progressIntervalMs, retry, stallTimeoutMs, maxRestarts, lockWaitMs });
  return {
    connections: download.connections,
    concurrentFiles: clampInteger(options.concurrentFiles, DEFAULT_CONCURRENT_UPLOADS, 1, 64),
    maxPartBytes: clampInteger(options.partSize, DEFAULT_MAX_PART_BYTES, 5 * MIB, 5 * 1024 * MIB),
    progressIntervalMs: download.progressIntervalMs,
    retry: download.retry,
    stallTimeoutMs: download.stallTimeoutMs,
    maxRestarts: download.maxRestarts,
    lockWaitMs: download.lockWaitMs,
  };
}
