import type { Folder, FolderEntry, Hub, Item, Project, Version } from '../core/dm/models';
import type { EntityPath } from '../core/remote/locate';
import type { HubsData, Listing } from './hubsData';
import {
  isContainer,
  nodeId,
  type ContainerNode,
  type FolderNode,
  type HubNode,
  type ItemNode,
  type LoadMoreNode,
  type ProjectNode,
  type TreeNode,
  type VersionNode,
} from './nodes';
import { PagedList } from './pagedList';

type Listener = (node: TreeNode | undefined) => void;
type Entry = Hub | Project | Folder | FolderEntry | Version;

/**
 * The Hubs tree's state, free of the VS Code API: which pages each container has loaded, filters,
 * errors, and nodes with stable ids. The TreeDataProvider only renders it.
 */
export class HubsModel {
  private readonly lists = new Map<string, PagedList<Entry>>();
  private readonly filters = new Map<string, string>();
  private readonly nodes = new Map<string, TreeNode>();
  private readonly listeners = new Set<Listener>();

  constructor(private data: HubsData) {}

  onDidChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** New data source (signed in as someone else, other settings): everything reloads. */
  setData(data: HubsData): void {
    this.data = data;
    this.refresh();
  }

  async children(parent?: ContainerNode): Promise<TreeNode[]> {
    const list = this.listFor(parent);
    await list.ensureStarted();
    const nodes: TreeNode[] = list.entries.map((entry) => this.nodeFor(parent, entry));
    list.notices.forEach((text, index) => nodes.push(this.intern({ kind: 'notice', id: nodeId.notice(parent?.id, index), parent, text }, true)));
    const owner = parent?.id ?? 'root';
    if (list.error) {
      nodes.push(this.intern({ kind: 'error', id: nodeId.error(parent?.id), parent, error: list.error }, true));
    } else if (list.hasMore) {
      nodes.push(this.intern({ kind: 'loadMore', id: nodeId.loadMore(owner), parent: parent!, loaded: list.entries.length } as LoadMoreNode, true));
    } else if (list.entries.length === 0 && parent) {
      nodes.push(this.intern({ kind: 'empty', id: nodeId.empty(owner), parent, filtered: this.filters.has(parent.id) }, true));
    }
    return nodes;
  }

  parent(node: TreeNode): TreeNode | undefined {
    return node.kind === 'hub' ? undefined : node.parent;
  }

  node(id: string): TreeNode | undefined {
    return this.nodes.get(id);
  }

  filterOf(folder: FolderNode): string | undefined {
    return this.filters.get(folder.id);
  }

  async loadMore(owner: ContainerNode | undefined): Promise<void> {
    await this.listFor(owner).loadMore();
    this.fire(owner);
  }

  async loadAll(owner: ContainerNode | undefined): Promise<void> {
    await this.listFor(owner).loadAll();
    this.fire(owner);
  }

  setFilter(folder: FolderNode, nameContains: string | undefined): void {
    if (nameContains) this.filters.set(folder.id, nameContains);
    else this.filters.delete(folder.id);
    this.lists.delete(folder.id);
    this.fire(folder);
  }

  /** Forgets what was loaded under `node` (everything when undefined) and asks the view to re-read it. */
  refresh(node?: ContainerNode): void {
    if (!node) {
      this.lists.clear();
      this.nodes.clear();
    } else {
      const prefix = `${node.id}`;
      this.lists.get(prefix)?.reset();
      for (const [id, list] of this.lists) if (this.isBelow(id, node)) list.reset();
    }
    this.fire(node);
  }

  /** Makes every node on `path` exist (loading and pinning as needed) and returns the deepest one. */
  async materialize(path: EntityPath): Promise<TreeNode> {
    let parent: ContainerNode = await this.pinned(undefined, path.hub);
    if (!path.project) return parent;
    parent = await this.pinned(parent, path.project);
    for (const folder of path.folders ?? []) parent = await this.pinned(parent, folder);
    if (path.item) parent = await this.pinned(parent, path.item);
    if (path.version && parent.kind === 'item') return this.pinned(parent, path.version);
    return parent;
  }

  private async pinned<T extends Entry>(parent: ContainerNode | undefined, entry: T): Promise<ContainerNode> {
    const list = this.listFor(parent);
    await list.ensureStarted();
    list.pin(entry);
    return this.nodeFor(parent, entry) as ContainerNode;
  }

  private listFor(parent: ContainerNode | undefined): PagedList<Entry> {
    const key = parent?.id ?? 'root';
    let list = this.lists.get(key);
    if (!list) {
      const listing = this.listingFor(parent) as Listing<Entry>;
      list = new PagedList<Entry>(() => listing.pages(), () => listing.all(), (entry) => entry.id);
      this.lists.set(key, list);
    }
    return list;
  }

  private listingFor(parent: ContainerNode | undefined): Listing<Entry> {
    switch (parent?.kind) {
      case undefined:
        return this.data.hubs();
      case 'hub':
        return this.data.projects(parent.hub.id);
      case 'project':
        return this.data.topFolders(parent.hub.id, parent.project.id);
      case 'folder':
        return this.data.folderContents(parent.project.id, parent.folder.id, this.filters.get(parent.id));
      case 'item':
        return this.data.versions(parent.project.id, parent.item.id);
    }
  }

  private nodeFor(parent: ContainerNode | undefined, entry: Entry): TreeNode {
    switch (parent?.kind) {
      case undefined:
        return this.intern<HubNode>({ kind: 'hub', id: nodeId.hub(entry.id), hub: entry as Hub });
      case 'hub':
        return this.intern<ProjectNode>({ kind: 'project', id: nodeId.project(entry.id), hub: parent.hub, project: entry as Project, parent });
      case 'project':
      case 'folder': {
        const path = parent.kind === 'folder' ? parent.path : [];
        const project = parent.project;
        if ((entry as FolderEntry).type === 'items') {
          return this.intern<ItemNode>({ kind: 'item', id: nodeId.item(entry.id), project, item: entry as Item, path, parent: parent as FolderNode });
        }
        const folder = entry as Folder;
        return this.intern<FolderNode>({ kind: 'folder', id: nodeId.folder(folder.id), project, folder, path: [...path, folder.name], parent });
      }
      case 'item': {
        const version = entry as Version;
        const tipId = parent.item.tipVersionId ?? parent.item.tip?.id;
        return this.intern<VersionNode>({ kind: 'version', id: nodeId.version(version.id), project: parent.project, item: parent.item, version, isTip: version.id === tipId, path: parent.path, parent });
      }
      default:
        throw new Error(`${(parent as TreeNode).kind} has no children`);
    }
  }

  /** Keeps one object per id, updated in place, so the view sees the same element after a reload. */
  private intern<T extends TreeNode>(fresh: T, replace = false): T {
    const existing = this.nodes.get(fresh.id);
    if (existing && existing.kind === fresh.kind && !replace) {
      Object.assign(existing, fresh);
      return existing as T;
    }
    this.nodes.set(fresh.id, fresh);
    return fresh;
  }

  private isBelow(listKey: string, ancestor: ContainerNode): boolean {
    let node = this.nodes.get(listKey);
    while (node) {
      if (node.id === ancestor.id) return true;
      node = this.parent(node);
    }
    return false;
  }

  private fire(node: TreeNode | undefined): void {
    for (const listener of this.listeners) listener(node && isContainer(node) ? node : undefined);
  }
}
