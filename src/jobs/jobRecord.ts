import type { StorageLocation } from '../core/dm/ids';
import type { ExportApi, MarkupOptions } from '../core/exports/exportTypes';
import type { ExportProject, ExportVersion } from '../core/exports/pdfExports';

/** queued/processing: waiting on Autodesk; downloading: bytes flowing; the rest are final. */
export type JobState = 'queued' | 'processing' | 'downloading' | 'finished' | 'failed' | 'cancelled';
export type JobKind = 'download' | 'convert' | 'export';

export const ACTIVE_STATES: readonly JobState[] = ['queued', 'processing', 'downloading'];

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
  /** Why it failed (APS's reason). */
  error?: string;
  /** Files of a bulk download that failed while the rest went on. */
  failures?: FileFailure[];
  createdAt: number;
  finishedAt?: number;
  plan: JobPlan;
}

export type JobPlan = DownloadPlan | ConvertPlan | ExportPlan;

/** Where a job writes: the download folder inside the workspace folder the user chose. */
export interface TargetRoot {
  /** The folder the user chose (a workspace folder); nothing is written outside it. */
  folder: string;
  /** `<folder>/<downloadFolder>`: the layout starts here. */
  root: string;
  conflictPolicy: 'ask' | 'overwrite' | 'skip' | 'keepBoth';
}

export interface ProjectRef {
  id: string;
  name: string;
}

/** What the user picked to download; expanded into files when the job runs. */
export type DownloadEntry =
  | { type: 'version'; project: ProjectRef; path: string[]; versionId: string; name: string; storage?: StorageLocation; size?: number }
  | { type: 'item'; project: ProjectRef; path: string[]; itemId: string; name: string }
  | { type: 'folder'; project: ProjectRef; path: string[]; folderId: string; name: string };

export type FileTaskState = 'pending' | 'done' | 'skipped' | 'failed';

/** One file of a download, with its final target already chosen (conflicts resolved). */
export interface FileTask {
  /** Shown in failures: the path below the project. */
  name: string;
  /** Absent when there is nothing to download (the task is then failed with the reason). */
  storage?: StorageLocation;
  target: string;
  size?: number;
  state: FileTaskState;
  error?: string;
}

export interface DownloadPlan {
  kind: 'download';
  where: TargetRoot;
  entries: DownloadEntry[];
  /** Set once the entries were listed and conflicts resolved. */
  files?: FileTask[];
}

export interface ConvertPlan {
  kind: 'convert';
  where: TargetRoot;
  projectId: string;
  versionId: string;
  fileType: string;
  target: string;
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
  /** Which export API served it, once started. */
  api?: ExportApi;
  /** The export's id once started, so a reload waits for it instead of exporting again. */
  exportId?: string;
}
