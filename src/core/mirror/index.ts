// Mirror: a local copy of an APS project or folder kept in step, run after run (no VS Code).
export { runMirror, MirrorError, LOCK_FILE, type MirrorErrorCode } from './runMirror';
export * from './push';
export { MIRROR_FILES_AT_ONCE } from './mirrorRun';
export { loadManifest, saveManifest, manifestPath, absolutePath, relativePath, baseNameOf, MANIFEST_FILE } from './manifest';
export type { LoadedManifest, LocalStamp, MirroredFile, MirroredVersion, MirrorManifest, MirrorPushSummary, MirrorRunSummary, MirrorSource } from './manifest';
export { mirroredFileState, type MirroredFileState } from './fileState';
export type { ConflictKind } from './decide';
export type * from './types';
export { mirrorSourceOf, NotMirrorable } from './source';
export { stampOf } from './localFiles';
