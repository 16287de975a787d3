import type { ApsError } from '../core/http/apsError';
import type { Folder, Hub, Item, Project, Version } from '../core/dm/models';

/** Every node has an id that is stable across refreshes and unique in the tree (tree-view-sample style). */
export type TreeNode = HubNode | ProjectNode | FolderNode | ItemNode | VersionNode | LoadMoreNode | ErrorNode | EmptyNode | NoticeNode;
export type ContainerNode = HubNode | ProjectNode | FolderNode | ItemNode;
export type EntityNode = ContainerNode | VersionNode;

export interface HubNode {
  kind: 'hub';
  id: string;
  hub: Hub;
}

export interface ProjectNode {
  kind: 'project';
  id: string;
  hub: Hub;
  project: Project;
  parent: HubNode;
}

export interface FolderNode {
  kind: 'folder';
  id: string;
  project: Project;
  folder: Folder;
  /** Folder names from the top folder down to this one, for download layout. */
  path: string[];
  parent: ProjectNode | FolderNode;
}

export interface ItemNode {
  kind: 'item';
  id: string;
  project: Project;
  item: Item;
  path: string[];
  parent: FolderNode;
}

export interface VersionNode {
  kind: 'version';
  id: string;
  project: Project;
  item: Item;
  version: Version;
  isTip: boolean;
  path: string[];
  parent: ItemNode;
}

export interface LoadMoreNode {
  kind: 'loadMore';
  id: string;
  parent: ContainerNode;
  loaded: number;
}

export interface ErrorNode {
  kind: 'error';
  id: string;
  parent: ContainerNode | undefined;
  error: ApsError;
}

export interface EmptyNode {
  kind: 'empty';
  id: string;
  parent: ContainerNode;
  filtered: boolean;
}

/** Something APS said beside a listing (a hub listing that misses a region), shown after its entries. */
export interface NoticeNode {
  kind: 'notice';
  id: string;
  parent: ContainerNode | undefined;
  text: string;
}

export const nodeId = {
  hub: (hubId: string) => `hub:${hubId}`,
  project: (projectId: string) => `project:${projectId}`,
  folder: (folderId: string) => `folder:${folderId}`,
  item: (itemId: string) => `item:${itemId}`,
  version: (versionId: string) => `version:${versionId}`,
  loadMore: (parentId: string) => `more:${parentId}`,
  error: (parentId: string | undefined) => `error:${parentId ?? 'root'}`,
  empty: (parentId: string) => `empty:${parentId}`,
  notice: (parentId: string | undefined, index: number) => `notice:${parentId ?? 'root'}:${index}`,
};

export function isContainer(node: TreeNode): node is ContainerNode {
  return node.kind === 'hub' || node.kind === 'project' || node.kind === 'folder' || node.kind === 'item';
}

/** An item or one of its versions: something with a file (or a sheet) behind it. */
export function isFileNode(node: TreeNode): node is ItemNode | VersionNode {
  return node.kind === 'item' || node.kind === 'version';
}

export function isEntity(node: TreeNode): node is EntityNode {
  return isContainer(node) || node.kind === 'version';
}

/** The APS resource a node stands for (undefined for Load more, error and empty nodes). */
export function entityOf(node: TreeNode): { id: string; name: string; webViewUrl?: string } | undefined {
  switch (node.kind) {
    case 'hub':
      return node.hub;
    case 'project':
      return node.project;
    case 'folder':
      return node.folder;
    case 'item':
      return node.item;
    case 'version':
      return { id: node.version.id, name: node.version.name, webViewUrl: node.version.webViewUrl ?? node.item.webViewUrl };
    default:
      return undefined;
  }
}
