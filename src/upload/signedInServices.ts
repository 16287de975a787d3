import type { ApsServices } from '../core/client';
import type { UploadServices } from '../core/upload';

/**
 * The upload engine's APS calls, each made as whoever is signed in at that moment: the extension keeps one
 * engine (one connection cap for all uploads) while accounts come and go.
 */
export function signedInUploadServices(services: () => ApsServices): UploadServices {
  return {
    dm: {
      listFolderContents: (...args) => services().dm.listFolderContents(...args),
      getTip: (...args) => services().dm.getTip(...args),
      listVersions: (...args) => services().dm.listVersions(...args),
    },
    writes: {
      createStorage: (...args) => services().writes.createStorage(...args),
      createItem: (...args) => services().writes.createItem(...args),
      createVersion: (...args) => services().writes.createVersion(...args),
      createFolder: (...args) => services().writes.createFolder(...args),
    },
    signedUpload: {
      uploadUrls: (...args) => services().signedUpload.uploadUrls(...args),
      complete: (...args) => services().signedUpload.complete(...args),
      objectDetails: (...args) => services().signedUpload.objectDetails(...args),
    },
  };
}
