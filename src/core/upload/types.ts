// The upload's public shapes: where files go, the plan a user confirms (plain JSON, so a job can keep it and
// run it again after a reload), what happens on a name conflict, and how each file ends.
import type { HubKind } from '../dm/models';
import type { AggregateProgress, FileProgress, RetryPolicy, TransferLog } from '../transfer/types';

/** What a file whose name is taken becomes: a new version of that item, a new item under a numbered name, or nothing. */
export type ConflictChoice = 'new-version' | 'keep-both' | 'skip';

/** A choice for every conflict, or 'ask' (the `onConflict` callback decides each one). */
export type UploadConflictPolicy = ConflictChoice | 'ask';

/** Where an upload goes: a folder (each file a new item, or a new version of the item of that name), or one item (a new version). */
export interface UploadTarget {
  readonly projectId: string;
  /** The project's kind: picks the extension types (`autodesk.bim360:*` for BIM 360 and ACC, `autodesk.core:*` otherwise). */
  readonly kind: HubKind;
  /** The folder the files go into (for an item target, the item's folder). */
  readonly folderId: string;
  /** Names from the hub down to the folder or item, for sentences and confirmations. */
  readonly names: readonly string[];
  /** The folder is a BIM 360 Plans folder or below one: it takes only DWF, DWFX, DWG, IFC, PDF and RVT files. */
  readonly plansFolder: boolean;
  /** An item target: its one file becomes the item's next version. */
  readonly item?: { readonly id: string; readonly name: string };
}

/** A name already taken in the target folder, for the `onConflict` callback to decide. */
export interface UploadConflict {
  readonly file: UploadFile;
  /** The item holding the name now. */
  readonly existing: { readonly id: string; readonly name: string; readonly versionNumber?: number; readonly size?: number; readonly lastModifiedTime?: string };
  /** Names from the hub down to the folder holding it. */
  readonly folderNames: readonly string[];
}

/** Decides one conflict (asked during planning, and again at run time for a name taken after the plan). */
export type ResolveConflict = (conflict: UploadConflict, signal?: AbortSignal) => Promise<ConflictChoice>;

/** new-item / new-version: to do; skip: the conflict policy left it out; refused: cannot go (the reason names the file). */
export type UploadAction = 'new-item' | 'new-version' | 'skip' | 'refused';

/** pending until run; then uploaded, skipped or failed. A cancelled run leaves its unfinished files pending. */
export type UploadFileState = 'pending' | 'uploaded' | 'skipped' | 'failed';

/** A local folder of the upload and the folder it is in APS. */
export interface UploadFolder {
  /** Names below the target folder, this folder's last. */
  readonly path: readonly string[];
  readonly localPath: string;
  /** True when a folder of that name (any case) is there already and is reused. */
  readonly existing: boolean;
  /** Its id in APS: known for an existing one, set by the run for a new one. */
  id?: string;
  /** Why it cannot be made (a file of that name is in the way); its files are refused with it. */
  refused?: string;
  /** Why the last run could not make it (its files failed with it); the next run tries again. */
  error?: string;
}

/** What became of an uploaded file in APS. */
export interface UploadedAs {
  readonly itemId: string;
  readonly versionId: string;
  readonly versionNumber?: number;
  /** The name it has in APS. */
  readonly name: string;
  readonly size: number;
  /** SHA-1 of the local file, equal to what APS reports for the stored object. */
  readonly sha1: string;
  /** Bytes a previous, interrupted run had already sent. */
  readonly resumedBytes: number;
  /** The item or version was there already: a lost answer's, or an earlier run's (nothing was created twice). */
  readonly adopted: boolean;
}

/** One local file of the upload. */
export interface UploadFile {
  /** Absolute path. */
  readonly localPath: string;
  /** Size and modification time when planned (the run reads them again). */
  readonly size: number;
  readonly mtimeMs: number;
  /** Folder names below the target folder ([] for the target itself). */
  readonly folder: readonly string[];
  /** The name it gets in APS: its own, a numbered one for keep-both, the item's for a new version. */
  name: string;
  action: UploadAction;
  /** new-version: the item it becomes a version of. */
  itemId?: string;
  /**
   * new-version: the item's tip version the plan was made against. Set, the run checks it just before the
   * version is made: another tip means someone added a version since, a conflict decided as for a name
   * taken after the plan (skip, keep both under a numbered name, or a new version all the same).
   */
  basedOn?: string;
  /** What a conflict was resolved to. */
  conflict?: ConflictChoice;
  /** refused: why, naming the file. */
  reason?: string;
  state: UploadFileState;
  result?: UploadedAs;
  /** failed: why, naming the file. */
  error?: string;
}

export interface UploadSummary {
  /** Files to upload (new items plus new versions). */
  readonly files: number;
  readonly bytes: number;
  readonly newItems: number;
  readonly newVersions: number;
  readonly newFolders: number;
  readonly skipped: number;
  readonly refused: number;
}

/**
 * Everything an upload will do, decided before anything is written: show `target.names` and `summary` in a
 * confirmation, then `run` it. Plain JSON: keep it (with the states the run writes into it) to run it again
 * after a reload; the run skips what is done, and each file's journal resumes its parts.
 */
export interface UploadPlan {
  readonly version: 1;
  readonly target: UploadTarget;
  readonly conflict: UploadConflictPolicy;
  /** Parents before children. */
  readonly folders: UploadFolder[];
  readonly files: UploadFile[];
  readonly summary: UploadSummary;
}

export interface PlanOptions {
  /** Default 'new-version'. */
  readonly conflict?: UploadConflictPolicy;
  /** Needed for 'ask'. */
  readonly onConflict?: ResolveConflict;
  readonly signal?: AbortSignal;
}

export interface UploadRunOptions {
  /** Parts of one file in flight at once, 1-16 (default 8); all uploads of an engine share its cap. */
  readonly connections?: number;
  /** Files uploaded at the same time (default 4). */
  readonly concurrentFiles?: number;
  /** Largest part (default 64 MiB, at least 5 MiB); a file is cut into parts its connections share evenly. */
  readonly partSize?: number;
  readonly signal?: AbortSignal;
  /** For a name taken after the plan was made, under 'ask' (without it such a file is skipped). */
  readonly onConflict?: ResolveConflict;
  /** Bytes, rate and ETA over all files. */
  readonly onProgress?: (progress: AggregateProgress) => void;
  /** Bytes, rate and ETA of one file (`identity` is its local path, `path` its names in APS). */
  readonly onFileProgress?: (file: UploadFile, progress: FileProgress) => void;
  /** A file's state changed for good (uploaded, skipped or failed): save the plan here to resume after a reload. */
  readonly onFileSettled?: (file: UploadFile) => void;
  /** A folder was created (or found) in APS. */
  readonly onFolderReady?: (folder: UploadFolder) => void;
  readonly progressIntervalMs?: number;
  /** Part retries per part, and lookups after a lost answer (the transfer engine's policy). */
  readonly retry?: Partial<RetryPolicy>;
  /** No byte taken by a part's connection for this long aborts and sends the part again (default 30 s). */
  readonly stallTimeoutMs?: number;
  /** Times one file may start over (its upload expired, or the local file changed while it was sent; default 3). */
  readonly maxRestarts?: number;
  /** How long to wait for another process uploading the same file to the same place (default 10 s). */
  readonly lockWaitMs?: number;
}

export interface UploadRunResult {
  readonly plan: UploadPlan;
  readonly uploaded: readonly UploadFile[];
  readonly skipped: readonly UploadFile[];
  readonly failed: readonly UploadFile[];
  readonly cancelled: boolean;
}

export type { TransferLog };
