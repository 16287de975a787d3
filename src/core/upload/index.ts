// Upload engine: local files and folders into APS as items and versions, resumable, verified and never
// duplicated (no VS Code). Plan first (`UploadEngine.plan`, nothing written), then `run` the plan.
export { UploadEngine, type UploadEngineOptions, type UploadServices } from './engine';
export { uploadTargetOf, UploadTargetError } from './target';
export { defaultJournalDir } from './journal';
export { nodeUploadFs, type UploadFs, type LocalStat } from './localFiles';
export { partLayout } from './objectUpload';
export type * from './types';
