// Transfer engine: ranged, parallel, resumable, verified downloads of storage objects (no VS Code).
export { TransferEngine, type TransferEngineOptions } from './engine';
export type { BulkItem, BulkOptions, BulkResult, BulkFileResult, BulkFileStatus } from './bulk';
export { TransferError, isTransferError, type TransferErrorCode } from './errors';
export { nodeFs, type TransferFs, type TransferFile } from './fileSystem';
export { sanitizeFileName, safeJoin, isInside } from './names';
export { chooseTarget, numberedName } from './conflict';
export { partFilesFor } from './partFiles';
export { urlSource, type UrlSourceOptions } from './sources/urlSource';
export { ossObjectSource, type FetchSignedDownload, type SignedDownloadLink, type OssSourceOptions } from './sources/ossSource';
export { signedDownloadFetcher } from './sources/ossHttp';
export { parseOssObjectUrl } from './sources/ossObjectUrl';
export { DEFAULT_CHUNK_SIZE, DEFAULT_CONNECTIONS, DEFAULT_GLOBAL_CONNECTIONS, DEFAULT_SINGLE_REQUEST_THRESHOLD, MAX_CONNECTIONS, SIGNED_URL_MINUTES } from './settings';
export type {
  AggregateProgress,
  ConflictPolicy,
  DownloadOptions,
  DownloadResult,
  DownloadStatus,
  FileProgress,
  ObjectSource,
  ResolvedObject,
  RetryPolicy,
  StorageSegment,
  TransferLog,
  TransferLogLevel,
  TransferPhase,
} from './types';
