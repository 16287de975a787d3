// An APS folder as a tree of names, as a file system shows it: each folder's entries by name (all pages),
// and the entry a path of names leads to.
import type { DataManagementClient } from './dataManagement';
import type { Folder, FolderEntry, Item } from './models';

export type PathEntry = { kind: 'folder'; folder: Folder } | { kind: 'item'; item: Item };

type Lister = Pick<DataManagementClient, 'listFolderContents' | 'getFolder'>;

/** A name with no path separators, so it fits one path segment. */
export function pathName(name: string): string {
  return name.replace(/[/\\]/g, '_') || '_';
}

export class FolderPaths {
  private readonly listings = new Map<string, Promise<Map<string, FolderEntry>>>();
  private readonly folders = new Map<string, Promise<Folder>>();

  constructor(
    private readonly dm: Lister,
    private readonly nameOf: (entry: FolderEntry) => string = (entry) => pathName(entry.name),
  ) {}

  /** The folder's entries by name, read afresh from APS (every page). Two entries with one name: the second gets " (2)". */
  list(projectId: string, folderId: string, signal?: AbortSignal): Promise<Map<string, FolderEntry>> {
    const key = `${projectId}|${folderId}`;
    const listing = this.dm.listFolderContents(projectId, folderId, { signal }).then((entries) => this.byName(entries));
    this.listings.set(key, listing);
    listing.catch(() => this.listings.get(key) === listing && this.listings.delete(key));
    return listing;
  }

  /** The entry `names` lead to below `folderId` (the folder itself for none), reusing listings already read; undefined if there is none. */
  async resolve(projectId: string, folderId: string, names: readonly string[], signal?: AbortSignal): Promise<PathEntry | undefined> {
    let folder = await this.folder(projectId, folderId);
    for (let index = 0; index < names.length; index++) {
      const key = `${projectId}|${folder.id}`;
      const entries = await (this.listings.get(key) ?? this.list(projectId, folder.id, signal));
      const entry = entries.get(names[index]);
      if (!entry) return undefined;
      if (entry.type === 'items') return index === names.length - 1 ? { kind: 'item', item: entry } : undefined;
      folder = entry;
    }
    return { kind: 'folder', folder };
  }

  /** Forgets every listing (the next resolve reads APS again). */
  forget(): void {
    this.listings.clear();
    this.folders.clear();
  }

  private folder(projectId: string, folderId: string): Promise<Folder> {
    const key = `${projectId}|${folderId}`;
    let folder = this.folders.get(key);
    if (!folder) {
      folder = this.dm.getFolder(projectId, folderId);
      this.folders.set(key, folder);
      folder.catch(() => this.folders.delete(key));
    }
    return folder;
  }

  private byName(entries: FolderEntry[]): Map<string, FolderEntry> {
    const named = new Map<string, FolderEntry>();
    for (const entry of entries) {
      const name = this.nameOf(entry);
      let unique = name;
      for (let n = 2; named.has(unique); n++) {
        const dot = entry.type === 'items' ? name.lastIndexOf('.') : -1;
        unique = dot > 0 ? `${name.slice(0, dot)} (${n})${name.slice(dot)}` : `${name} (${n})`;
      }
      named.set(unique, entry);
    }
    return named;
  }
}
