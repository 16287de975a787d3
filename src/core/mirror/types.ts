import type { ApsServices } from '../client';
import type { ConflictPolicy, TransferEngine } from '../transfer';
import type { ConflictKind } from './decide';
import type { MirrorSource } from './manifest';

/** A file changed here that APS changed too, or a path the mirror wants that holds another file. */
export interface MirrorConflict {
  /** Local path below the root. */
  path: string;
  remotePath: string;
  kind: ConflictKind;
  /** The version APS has now. */
  versionNumber?: number;
}

/** The questions a mirror may have to ask; the CLI answers them from its options, the extension asks the user. */
export interface MirrorDecisions {
  /** The root holds files but no mirror record: mirror into it (files equal to APS's are kept, others are conflicts)? */
  adoptNonEmpty(root: string): Promise<boolean>;
  /** The record is damaged (why): rebuild it by comparing the files with APS, sizes and SHA-1? */
  rebuildDamaged(root: string, reason: string): Promise<boolean>;
  /** How to settle these conflicts (undefined: leave them, as skip does). */
  conflicts(conflicts: readonly MirrorConflict[]): Promise<ConflictPolicy | undefined>;
  /** Delete these local copies of files gone from APS? Each one the mirror wrote and nobody changed since. */
  deleteRemoved(paths: readonly string[]): Promise<boolean>;
}

export type MirrorFileStatus =
  | 'fetched'
  | 'updated'
  | 'restored'
  | 'adopted'
  | 'moved'
  | 'renamed'
  | 'changed-locally'
  | 'conflict'
  | 'removed-remotely'
  | 'deleted'
  | 'no-file'
  | 'failed';

/** Something that happened to one file (unchanged files are only counted). */
export interface MirrorFileEvent {
  status: MirrorFileStatus;
  /** Local path below the root. */
  path: string;
  remotePath?: string;
  versionNumber?: number;
  size?: number;
  sha1?: string;
  conflict?: ConflictKind;
  /** How a conflict was settled. */
  settled?: ConflictPolicy | 'kept-both-before';
  /** Where the other copy went (keep both), where a file moved from, or the path a numbered name collides with. */
  other?: string;
  /** For failures: the reason. */
  error?: string;
  /** For the failure that stopped the run: its write found the disk full (`stopped: 'no-space'`). */
  diskFull?: boolean;
}

export interface MirrorProgress {
  /** Still listing: `files` and `totalBytes` grow. */
  listing: boolean;
  /** Remote files listed so far. */
  listedFiles: number;
  /** Files to download (new, updated, restored, conflicts settled by downloading). */
  files: number;
  doneFiles: number;
  failedFiles: number;
  activeFiles: number;
  totalBytes: number;
  doneBytes: number;
  bytesPerSecond: number;
  etaSeconds?: number;
}

export type MirrorCounts = Record<MirrorFileStatus | 'unchanged', number>;

export interface MirrorReport {
  root: string;
  source: MirrorSource;
  counts: MirrorCounts;
  /** Bytes downloaded. */
  bytes: number;
  events: MirrorFileEvent[];
  /** Listed in full (nothing left out by a failing subfolder), nothing failed, not stopped. */
  complete: boolean;
  /** Subfolders APS would not list (nothing was deleted then). */
  unlisted: Array<{ path: string; reason: string }>;
  /** Why the run stopped before the end; for 'no-space', the event marked `diskFull` names the file. */
  stopped?: 'cancelled' | 'no-space';
  /** Batch signing: requests answered, and refused (then signed one by one). */
  batches: { signed: number; refused: number };
  seconds: number;
  /** The manifest could not be written (the run's files are found again next time by size and SHA-1). */
  manifestError?: string;
}

export interface MirrorOptions {
  /** The local folder that mirrors the source (absolute); created when missing. */
  root: string;
  source: MirrorSource;
  services: Pick<ApsServices, 'dm' | 'oss'>;
  engine: TransferEngine;
  decisions: MirrorDecisions;
  /** Per file, 1-16 (default 8). */
  connections?: number;
  chunkSize?: number;
  verifySha1?: boolean;
  /** Files downloaded at once (default MIRROR_FILES_AT_ONCE); all share the engine's connection cap. */
  concurrentFiles?: number;
  signal?: AbortSignal;
  /** On cancel, delete partial files instead of keeping them for the next run. */
  deleteOnCancel?: () => boolean;
  onProgress?: (progress: MirrorProgress) => void;
  progressIntervalMs?: number;
  onFile?: (event: MirrorFileEvent) => void;
  /** How often the manifest is saved while the run goes on (default 2 s). */
  saveIntervalMs?: number;
}
