import type { Folder, FolderEntry, Hub, Item, Project, Version } from '../core/dm/models';

/** A server listing the tree can page through one page at a time, or fetch whole. */
export interface Page<T> {
  entries: readonly T[];
  /** No page follows this one. */
  last: boolean;
  /** What APS said beside the entries, one sentence each (a hub listing missing a region). */
  notices?: readonly string[];
}

export interface Listing<T> {
  pages(): AsyncIterator<Page<T>>;
  all(): Promise<readonly T[]>;
}

/** What the Hubs tree reads from APS (implemented over the core client in dmHubsData.ts). */
export interface HubsData {
  hubs(): Listing<Hub>;
  projects(hubId: string): Listing<Project>;
  topFolders(hubId: string, projectId: string): Listing<Folder>;
  folderContents(projectId: string, folderId: string, nameContains?: string): Listing<FolderEntry>;
  versions(projectId: string, itemId: string): Listing<Version>;

  hub(hubId: string): Promise<Hub>;
  project(hubId: string, projectId: string): Promise<Project>;
  folder(projectId: string, folderId: string): Promise<Folder>;
  item(projectId: string, itemId: string): Promise<Item>;
  version(projectId: string, versionId: string): Promise<Version>;
}
