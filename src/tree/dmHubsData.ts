import type { DataManagementClient } from '../core/dm/dataManagement';
import { describeHubWarning } from '../core/dm/mappers';
import type { Hub } from '../core/dm/models';
import type { HubsData, Listing, Page } from './hubsData';

/** The Hubs tree's data port over the core Data Management client. */
export function dmHubsData(dm: DataManagementClient, pageSize: number): HubsData {
  const listing = <T>(items: () => AsyncIterator<T>, all: () => Promise<readonly T[]>): Listing<T> => ({ pages: () => inPages(items(), pageSize), all });
  const whole = <T>(load: () => Promise<readonly T[]>): Listing<T> => ({
    pages: (async function* () {
      yield { entries: await load(), last: true };
    }) as () => AsyncIterator<Page<T>>,
    all: load,
  });
  const hubs = (): Listing<Hub> => ({
    pages: (async function* () {
      const listing = await dm.listHubs();
      yield { entries: listing.hubs, last: true, notices: listing.warnings.map(describeHubWarning) };
    }) as () => AsyncIterator<Page<Hub>>,
    all: async () => (await dm.listHubs()).hubs,
  });
  return {
    hubs,
    projects: (hubId) => listing(() => dm.projects(hubId, { pageSize }), () => dm.listProjects(hubId, { pageSize: 200 })),
    topFolders: (hubId, projectId) => whole(() => dm.topFolders(hubId, projectId)),
    folderContents: (projectId, folderId, nameContains) =>
      listing(
        () => dm.folderContents(projectId, folderId, { pageSize, nameContains }),
        () => dm.listFolderContents(projectId, folderId, { pageSize: 200, nameContains }),
      ),
    versions: (projectId, itemId) => listing(() => dm.versions(projectId, itemId, { pageSize }), () => dm.listVersions(projectId, itemId, { pageSize: 200 })),
    hub: (hubId) => dm.getHub(hubId),
    project: (hubId, projectId) => dm.getProject(hubId, projectId),
    folder: (projectId, folderId) => dm.getFolder(projectId, folderId),
    item: (projectId, itemId) => dm.getItem(projectId, itemId),
    version: (projectId, versionId) => dm.getVersion(projectId, versionId),
  };
}

/**
 * Groups an item iterator (which fetches server pages of `size` lazily) into pages of `size`, peeking one
 * entry ahead so the last page is known as such: the peek fetches the next server page early, which
 * "Load more" then shows at once.
 */
async function* inPages<T>(items: AsyncIterator<T>, size: number): AsyncGenerator<Page<T>> {
  let next = await items.next();
  while (!next.done) {
    const entries: T[] = [];
    while (!next.done && entries.length < size) {
      entries.push(next.value);
      next = await items.next();
    }
    yield { entries, last: !!next.done };
  }
}
