// Push: a mirror's local changes back into APS. The survey (what changed here, checked against APS), the plan a
// user accepts (plain JSON, kept beside the record until the push has run, so a stopped push resumes), and the
// report.
import type { HubKind } from '../../dm/models';
import type { UploadFile, UploadPlan } from '../../upload/types';
import type { MirroredFile, MirroredVersion, MirrorSource } from '../manifest';

/**
 * What a conflict becomes: `skip` leaves it (the default), `keep-both` uploads the local file as a new file
 * under a numbered name beside APS's, `overwrite` makes it the next version on top of APS's newer one.
 */
export type PushConflictPolicy = 'skip' | 'keep-both' | 'overwrite';

/**
 * Why a changed or new file cannot simply go: `remote-newer`, APS has a newer version of it than the last
 * mirror brought; `remote-removed`, it was deleted from APS; `name-taken`, a new file here and another file of
 * that name in the APS folder now.
 */
export type PushConflictKind = 'remote-newer' | 'remote-removed' | 'name-taken';

/** A version as the survey saw it. */
export interface SeenVersion {
  readonly versionId: string;
  readonly versionNumber?: number;
}

/** One local file the survey found changed or new, and what it can become in APS. */
export interface SurveyedFile {
  /** Local path below the mirror's root ('/' between names). */
  readonly path: string;
  /** Its local folder ('' for the root). */
  readonly folder: string;
  readonly size: number;
  readonly mtimeMs: number;
  /**
   * `new-version`: a mirrored file changed here, APS unchanged since; `new-file`: a file the mirror did not
   * write; `in-aps`: APS holds exactly these bytes already (a push whose record was not written); `conflict`;
   * `refused` (with the reason).
   */
  readonly change: 'new-version' | 'new-file' | 'in-aps' | 'conflict' | 'refused';
  /** The file's name in APS: the item's for a mirrored file, the local name for a new one. */
  readonly name: string;
  /** The item: the mirrored one, or the one holding the name (name-taken). */
  readonly itemId?: string;
  /** The version the last mirror brought. */
  readonly mirrored?: SeenVersion;
  /** The item's tip in APS now (its name is the file's name there). */
  readonly tip?: SeenVersion & { name: string; size?: number };
  readonly conflict?: PushConflictKind;
  /** Keep both: the numbered name it gets, free in APS and here. */
  readonly keepBothName?: string;
  /** in-aps: the record to write. */
  readonly record?: MirroredFile;
  readonly reason?: string;
}

/** A local folder the mirror does not know: made in APS, or an APS folder of that name that is there now. */
export interface SurveyedFolder {
  readonly path: string;
  /** Its name in APS. */
  readonly name: string;
  /** The APS folder of that name there now, reused. */
  readonly existingId?: string;
  readonly reason?: string;
}

export interface PushSurvey {
  readonly root: string;
  readonly source: MirrorSource;
  readonly projectKind: HubKind;
  /** Changed, new, conflicting and refused files, by path. */
  readonly files: SurveyedFile[];
  /** New local folders, parents first. */
  readonly folders: SurveyedFolder[];
  /** The APS folder the mirror recorded for each local folder. */
  readonly mirroredFolders: Readonly<Record<string, string>>;
  /** Mirrored files deleted here: deletions are not pushed. */
  readonly deletedHere: string[];
  /** Local entries a push never takes (symbolic links, and the like), with why. */
  readonly ignored: Array<{ path: string; reason: string }>;
  /** Mirrored files unchanged here. */
  readonly unchanged: number;
}

/** One line of the preview: exactly what the push will do (or will not). */
export type PushPreviewEntry =
  | { kind: 'new-version'; path: string; name: string; from?: number; to?: number; size: number; overwrites?: PushConflictKind }
  | { kind: 'new-file'; path: string; name: string; folder: string[]; size: number; keptBoth?: PushConflictKind }
  | { kind: 'new-folder'; path: string; name: string; folder: string[] }
  | { kind: 'in-aps'; path: string; versionNumber?: number }
  | { kind: 'conflict'; path: string; conflict: PushConflictKind; here?: number; there?: number }
  | { kind: 'refused'; path: string; reason: string }
  | { kind: 'deleted-here'; path: string }
  | { kind: 'ignored'; path: string; reason: string };

/** What a push will do, counted. */
export interface PushSummary {
  readonly newVersions: number;
  readonly newFiles: number;
  readonly newFolders: number;
  /** Bytes to send. */
  readonly bytes: number;
  /** Conflicts left as they are (skipped). */
  readonly conflicts: number;
  readonly refused: number;
  /** Files APS holds already, only recorded. */
  readonly inAps: number;
  readonly deletedHere: number;
}

/** What the push does with one file of the upload plan. */
export interface PushPlanFile {
  /** Local path below the root. */
  readonly path: string;
  /** The mirrored item it changes (new versions, and the conflicts of mirrored files). */
  readonly itemId?: string;
  readonly conflict?: PushConflictKind;
}

export const PUSH_FORMAT = 'aps-explorer-push';

/**
 * A push as accepted: the upload plan (folders to make, files to send, each to its item or folder) and what
 * each file is to the mirror. Kept in `.aps-mirror.push.json` while it runs, with the states the run writes,
 * so a cancelled or killed push resumes from it.
 */
export interface PushPlan {
  readonly format: typeof PUSH_FORMAT;
  readonly version: 1;
  readonly root: string;
  readonly source: MirrorSource;
  readonly policy: PushConflictPolicy;
  readonly upload: UploadPlan;
  readonly files: PushPlanFile[];
  /** Files APS holds already: only recorded. */
  readonly inAps: Array<{ path: string; record: MirroredFile }>;
  /** Mirrored files left as they are while APS has a newer version: recorded as pending, as a mirror does. */
  readonly behind: Array<{ path: string; version: MirroredVersion }>;
  /** Everything the preview showed, in order. */
  readonly preview: PushPreviewEntry[];
  readonly summary: PushSummary;
  /** Set when the push was accepted and started. */
  acceptedAt?: string;
}

export type PushFileStatus = 'pushed' | 'recorded' | 'skipped' | 'failed';

/** One file as the push settled it. */
export interface PushFileEvent {
  readonly status: PushFileStatus;
  readonly path: string;
  /** new-version or new-file. */
  readonly action?: UploadFile['action'];
  readonly versionNumber?: number;
  readonly size?: number;
  readonly sha1?: string;
  /** Where the local file went: a file kept both is renamed to its name in APS. */
  readonly movedTo?: string;
  readonly error?: string;
}

export interface PushReport {
  readonly root: string;
  readonly source: MirrorSource;
  readonly plan: PushPlan;
  readonly events: PushFileEvent[];
  /** Folders made (or found) in APS, by local path. */
  readonly folders: string[];
  readonly bytes: number;
  readonly cancelled: boolean;
  readonly resumed: boolean;
  readonly seconds: number;
  /** The mirror record could not be written (the next push finds the pushed files in APS by their bytes). */
  readonly manifestError?: string;
}
