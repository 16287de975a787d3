import { choices } from '../choices';
import type { ProjectRole, Seed, SeedFolder, SeedHub, SeedItem, SeedProject, SeedUser, SeedVersion } from '../seed';

/** Who a request acts for: a user (3-legged, or 2-legged + x-user-id) or the app itself (2-legged). */
export interface Actor {
  clientId: string;
  userId?: string;
  threeLegged: boolean;
}

export type Access = ProjectRole | 'app';

/** The seed as an indexed, per-instance, growable model, with APS's visibility rules. */
export class DataModel {
  readonly hubs = new Map<string, SeedHub>();
  readonly projects = new Map<string, SeedProject>();
  readonly folders = new Map<string, SeedFolder>();
  readonly items = new Map<string, SeedItem>();
  readonly versions = new Map<string, SeedVersion>();
  readonly users = new Map<string, SeedUser>();
  /** storage key (`bucketKey/objectKey`) → the version whose binary it is. */
  readonly versionByStorage = new Map<string, SeedVersion>();
  private readonly subfolders = new Map<string, SeedFolder[]>();
  private readonly folderItems = new Map<string, SeedItem[]>();

  /** `objectSize` reads the live object store (objects can be replaced at run time). */
  constructor(seed: Seed, readonly objectSize: (storageKey: string) => number | undefined) {
    for (const user of seed.users) this.users.set(user.id, user);
    for (const hub of seed.hubs) this.hubs.set(hub.id, hub);
    for (const project of seed.projects) this.projects.set(project.id, project);
    for (const folder of seed.folders) this.addFolder(folder);
    for (const item of seed.items) this.addItem(item);
  }

  addFolder(folder: SeedFolder): void {
    this.folders.set(folder.id, folder);
    if (folder.parentId) {
      const siblings = this.subfolders.get(folder.parentId) ?? [];
      siblings.push(folder);
      this.subfolders.set(folder.parentId, siblings);
    }
  }

  addItem(item: SeedItem): void {
    this.items.set(item.id, item);
    for (const version of item.versions) {
      this.versions.set(version.id, version);
      if (version.storage) this.versionByStorage.set(version.storage, version);
    }
    const siblings = this.folderItems.get(item.folderId) ?? [];
    siblings.push(item);
    this.folderItems.set(item.folderId, siblings);
  }

  /**
   * A new tip version of an item; a file's item takes the version's name. The item is replaced by a copy:
   * seeded items are shared by every emulator instance.
   */
  addVersion(itemId: string, version: SeedVersion): SeedItem {
    const item = this.items.get(itemId);
    if (!item) throw new Error(`no item ${itemId}`);
    const grown: SeedItem = { ...item, displayName: item.kind === 'file' ? version.name : item.displayName, versions: [...item.versions, version] };
    this.replaceItem(item, grown);
    this.versions.set(version.id, version);
    if (version.storage) this.versionByStorage.set(version.storage, version);
    return grown;
  }

  /** Moves an item into another folder (or, with the same folder, leaves it there), renaming it when `name` is given. */
  moveItem(itemId: string, folderId: string, name?: string): void {
    const item = this.items.get(itemId);
    if (!item) throw new Error(`no item ${itemId}`);
    const versions = name === undefined ? item.versions : item.versions.map((version, index) => (index === item.versions.length - 1 ? { ...version, name } : version));
    this.removeItem(itemId);
    this.addItem({ ...item, folderId, versions, ...(name !== undefined ? { displayName: name } : {}) });
  }

  /** Deletes an item for good (as if it had never been there; BIM 360's recycle bin is not modelled here). */
  removeItem(itemId: string): void {
    const item = this.items.get(itemId);
    if (!item) throw new Error(`no item ${itemId}`);
    this.items.delete(itemId);
    this.folderItems.set(item.folderId, this.childItems(item.folderId).filter((sibling) => sibling.id !== itemId));
  }

  private replaceItem(old: SeedItem, item: SeedItem): void {
    this.items.set(item.id, item);
    this.folderItems.set(item.folderId, this.childItems(item.folderId).map((sibling) => (sibling === old ? item : sibling)));
  }

  childFolders(folderId: string): SeedFolder[] {
    return this.subfolders.get(folderId) ?? [];
  }

  childItems(folderId: string): SeedItem[] {
    return this.folderItems.get(folderId) ?? [];
  }

  tip(item: SeedItem): SeedVersion {
    return item.versions[item.versions.length - 1];
  }

  itemOf(version: SeedVersion): SeedItem {
    return this.items.get(version.itemId) as SeedItem;
  }

  hubOf(project: SeedProject): SeedHub {
    return this.hubs.get(project.hubId) as SeedHub;
  }

  /** Folder chain from the project root down to `folder`. */
  ancestry(folder: SeedFolder): SeedFolder[] {
    const chain: SeedFolder[] = [];
    for (let current: SeedFolder | undefined = folder; current; current = current.parentId ? this.folders.get(current.parentId) : undefined) chain.unshift(current);
    return chain;
  }

  isAccountHub(hub: SeedHub): boolean {
    return hub.kind === 'bim360' || hub.kind === 'acc';
  }

  hubVisible(hub: SeedHub, actor: Actor): boolean {
    if (!actor.userId) return this.isAccountHub(hub);
    if (!actor.threeLegged && !this.isAccountHub(hub)) return false;
    return hub.memberUserIds.includes(actor.userId);
  }

  /** The actor's access to a project, or undefined when the project is not visible to them. */
  access(project: SeedProject, actor: Actor): Access | undefined {
    const hub = this.hubOf(project);
    if (!this.hubVisible(hub, actor)) return undefined;
    if (!actor.userId) return 'app';
    return project.members[actor.userId];
  }

  projectListed(project: SeedProject, actor: Actor): boolean {
    const access = this.access(project, actor);
    if (access === undefined) return false;
    return access !== 'noAccess' || choices.noAccessProjectIsListed;
  }

  /** May the actor use Data endpoints in this project at all? */
  dataAccess(project: SeedProject, actor: Actor): boolean {
    const access = this.access(project, actor);
    return access !== undefined && access !== 'noAccess';
  }

  canReadFolder(folder: SeedFolder, actor: Actor): boolean {
    const project = this.projects.get(folder.projectId);
    if (!project) return false;
    const access = this.access(project, actor);
    if (access === undefined || access === 'noAccess') return false;
    if (access === 'app' || access === 'admin') return true;
    const userId = actor.userId as string;
    const chain = this.ancestry(folder);
    if (chain.some((f) => f.restrictedToUserIds && !f.restrictedToUserIds.includes(userId))) return false;
    if (access === 'member' || access === 'viewer') return true;
    return chain.some((f) => f.grantedUserIds?.includes(userId) === true);
  }

  /**
   * May the actor add files, versions and folders here? Where they may read, unless they only view the
   * project; a BIM 360 / ACC project's root folder takes nothing (only Project Files, Plans and below do).
   */
  canWriteFolder(folder: SeedFolder, actor: Actor): boolean {
    const project = this.projects.get(folder.projectId) as SeedProject;
    if (folder.parentId === null && project.projectType !== undefined) return false;
    return this.canReadFolder(folder, actor) && this.access(project, actor) !== 'viewer';
  }

  /** The highest folders the actor may read (APS topFolders semantics). */
  topFolders(project: SeedProject, actor: Actor): SeedFolder[] {
    const result: SeedFolder[] = [];
    const visit = (folder: SeedFolder) => {
      if (folder.hidden) return;
      if (this.canReadFolder(folder, actor)) result.push(folder);
      else for (const child of this.childFolders(folder.id)) visit(child);
    };
    for (const id of project.topFolderIds) visit(this.folders.get(id) as SeedFolder);
    return result;
  }

  userName(userId: string): string {
    return this.users.get(userId)?.name ?? 'Unknown User';
  }
}
