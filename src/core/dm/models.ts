// Typed views of the Project and Data service resources the extension shows and acts on.
import type { StorageLocation } from './ids';

/** personal: A360 personal hub; fusion: Fusion/A360 team hub; bim360 / acc: Autodesk Construction accounts. */
export type HubKind = 'personal' | 'fusion' | 'bim360' | 'acc' | 'unknown';

/** BIM 360 and ACC projects report it in extension.data.projectType; Fusion/A360 projects have none. */
export type ProjectType = 'BIM360' | 'ACC';

export interface Hub {
  id: string;
  name: string;
  kind: HubKind;
  extensionType: string;
  region?: string;
}

export interface HubWarning {
  status?: number;
  code?: string;
  title?: string;
  detail?: string;
}

export interface HubListing {
  hubs: Hub[];
  /** Regions APS could not list (the call still succeeded); see meta.warnings. */
  warnings: HubWarning[];
}

export interface Project {
  id: string;
  hubId?: string;
  name: string;
  extensionType: string;
  projectType?: ProjectType;
  /** 'bim360' / 'acc' for construction projects, 'fusion' for Fusion/A360 ones. */
  kind: 'bim360' | 'acc' | 'fusion';
  rootFolderId?: string;
  webViewUrl?: string;
}

interface Audited {
  createTime?: string;
  createUserId?: string;
  createUserName?: string;
  lastModifiedTime?: string;
  lastModifiedUserId?: string;
  lastModifiedUserName?: string;
}

export interface Folder extends Audited {
  type: 'folders';
  id: string;
  projectId: string;
  name: string;
  displayName?: string;
  extensionType: string;
  lastModifiedTimeRollup?: string;
  objectCount?: number;
  hidden: boolean;
  /** topFolders only (BIM 360/ACC): normal, plan, shared, … */
  folderType?: string;
  isRoot?: boolean;
  parentId?: string;
  webViewUrl?: string;
}

export interface Item extends Audited {
  type: 'items';
  id: string;
  projectId: string;
  /** Best file name: the tip version's name for BIM 360/ACC (their displayName is unreliable), else displayName. */
  name: string;
  displayName: string;
  extensionType: string;
  hidden: boolean;
  reserved?: boolean;
  tipVersionId?: string;
  /** Present when the response included it (folder contents, GET item). */
  tip?: Version;
  parentId?: string;
  webViewUrl?: string;
}

export type FolderEntry = Folder | Item;

export interface Version extends Audited {
  type: 'versions';
  id: string;
  projectId: string;
  itemId?: string;
  name: string;
  displayName?: string;
  versionNumber?: number;
  extensionType: string;
  mimeType?: string;
  fileType?: string;
  /** Bytes, for versions with a file. */
  storageSize?: number;
  processState?: string;
  extractionState?: string;
  revisionDisplayLabel?: string;
  sourceFileName?: string;
  /** Storage object URN, for versions with a file (sheet Documents have none). */
  storageUrn?: string;
  storage?: StorageLocation;
  /** Model Derivative urn (base64url of the version id). */
  derivativesId?: string;
  /** versions:autodesk.bim360:Document — a sheet extracted from a PDF/DWG/RVT. */
  isSheet: boolean;
  viewableName?: string;
  webViewUrl?: string;
}

export type DownloadJobStatus = 'queued' | 'processing' | 'failed' | 'finished';

export interface DownloadJob {
  id: string;
  projectId: string;
  status: DownloadJobStatus;
  /** Set once the job finished (the 303 target). */
  download?: Download;
}

export interface Download {
  id: string;
  projectId: string;
  fileType?: string;
  sourceVersionId?: string;
  storageUrn?: string;
  storage?: StorageLocation;
}
