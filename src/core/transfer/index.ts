// Transfer engine: ranged, parallel, resumable, verified downloads of storage objects (no VS Code).
export { TransferEngine, type TransferEngineOptions } from './engine';
export { TransferError, isTransferError, type TransferErrorCode } from './errors';
export { inlineWritesFs, nodeFs, type TransferFs, type TransferFile } from './disk/fileSystem';
export { partFilesFor } from './disk/partFiles';
export { isInside, numberedName, splitExtension, MAX_NAME_BYTES } from './disk/placement';
export { fileNameFromUrl, urlSource } from './sources/urlSource';
export { ossObjectSource, type FetchSignedDownload } from './sources/ossSource';
export * from './settings';
export type * from './types';
