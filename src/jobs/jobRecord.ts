import type { StorageLocation } from '../core/dm/ids';
import type { DownloadEntry } from '../core/download/plan';
import type { ExportApi, MarkupOptions } from '../core/exports/exportTypes';
import type { ExportProject, ExportVersion } from '../core/exports/pdfExports';
import type { MirrorSource, PushConflictPolicy } from '../core/mirror';
import type { RemoteIds } from '../core/remote/address';
import type { ConflictPolicy } from '../core/transfer';
import type { UploadConflictPolicy, UploadPlan, UploadTarget } from '../core/upload';
import type { TargetRoot } from '../workspace/targetFolder';

/** queued/processing: waiting on Autodesk; downloading/uploading: bytes flowing; the rest are final. */
export type JobState = 'queued' | 'processing' | 'downloading' | 'uploading' | 'finished' | 'failed' | 'cancelled';
export type JobKind = 'download' | 'convert' | 'export' | 'mirror' | 'upload' | 'push';

export const ACTIVE_STATES: readonly JobState[] = ['queued', 'processing', 'downloading', 'uploading'];

export function isActive(state: JobState): boolean {
  return ACTIVE_STATES.includes(state);
}

export interface JobProgress {
  doneBytes: number;
  totalBytes?: number;
  bytesPerSecond: number;
  etaSeconds?: number;
  files?: { total: number; finished: number; failed: number };
}

export interface FileFailure {
  name: string;
  reason: string;
}

/** One running or recent job, as the Jobs view shows it and workspaceState keeps it (JSON only). */
export interface JobRecord {
  id: string;
  kind: JobKind;
  title: string;
  state: JobState;
  /** What is happening now: "queued on Autodesk", "1.2/3.4 MiB · 2.0 MiB/s · 1s left". */
  detail: string;
  progress?: JobProgress;
  /** The file or folder the job writes, once known. */
  target?: string;
  /** Where in APS the job writes (an upload's folder, or its one file), for "Reveal in APS". */
  remote?: RemoteIds;
  /** Why it failed (APS's reason). */
  error?: string;
  /** Files of a bulk download that failed while the rest went on. */
  failures?: FileFailure[];
  createdAt: number;
  finishedAt?: number;
  plan: JobPlan;
}

export type JobPlan = DownloadPlan | ConvertPlan | ExportPlan | MirrorPlan | UploadJobPlan | PushJobPlan;

export type FileTaskState = 'pending' | 'done' | 'skipped' | 'failed';

/** One file of a download: its target (absolute) is chosen once, when the job is planned. */
export interface FileTask {
  /** Shown in failures: the path below the project. */
  name: string;
  /** Absent when there is nothing to download (the task is then failed with the reason). */
  storage?: StorageLocation;
  /** Where it goes; once downloaded, where it went (another name when the policy keeps both). */
  target: string;
  size?: number;
  state: FileTaskState;
  error?: string;
}

export interface DownloadPlan {
  kind: 'download';
  where: TargetRoot;
  /** What the user picked (paths below the download folder); expanded into files when the job runs. */
  entries: DownloadEntry[];
  /** What happens to files that exist already, once decided (asked when the setting says so). */
  conflict?: ConflictPolicy;
  /** Set once the entries were listed. */
  files?: FileTask[];
}

export interface ConvertPlan {
  kind: 'convert';
  where: TargetRoot;
  projectId: string;
  versionId: string;
  fileType: string;
  target: string;
  conflict: ConflictPolicy;
  /** The conversion job, once created (polling resumes from it). */
  jobId?: string;
  /** The converted object, once known. */
  storage?: StorageLocation;
  reused?: boolean;
}

export interface ExportPlan {
  kind: 'export';
  where: TargetRoot;
  project: ExportProject;
  version: ExportVersion;
  markups: MarkupOptions;
  target: string;
  conflict: ConflictPolicy;
  /** Which export API served it, once started. */
  api?: ExportApi;
  /** The export's id once started, so a reload waits for it instead of exporting again. */
  exportId?: string;
}

/** A mirror of a project or folder into a local folder; running it again brings the folder in step. */
export interface MirrorPlan {
  kind: 'mirror';
  where: TargetRoot;
  source: MirrorSource;
  /** The local folder that mirrors the source (absolute, inside `where.folder`). */
  root: string;
  /** Answers already given for this job, kept so a resume after a reload does not ask again. */
  adoptNonEmpty?: boolean;
  rebuildDamaged?: boolean;
}

/**
 * A mirror's local changes pushed into APS. The plan the user accepted lives beside the mirror record while it
 * runs (so the command line and a reload resume the same one); the job keeps where, and the policy chosen.
 */
export interface PushJobPlan {
  kind: 'push';
  where: TargetRoot;
  /** The mirror's folder (absolute). */
  root: string;
  source: MirrorSource;
  /** How conflicts were settled, once the preview was accepted. */
  policy?: PushConflictPolicy;
}

/** Local files and folders into a folder in APS, or one local file as the next version of a file in APS. */
export interface UploadJobPlan {
  kind: 'upload';
  /** Absolute local paths, as chosen or dropped. */
  sources: string[];
  target: UploadTarget;
  conflict: UploadConflictPolicy;
  /** The engine's plan once made and confirmed; the runs record each file's state in it, so a reload resumes it. */
  upload?: UploadPlan;
  /** Files dropped from the browser's computer were copied here first (removed once every file is in APS). */
  stagedIn?: string;
}
