// Push: a mirror's local changes back into APS (new versions, new files and folders), previewed before
// anything is written, conflicts never overwritten unasked, resumable.
export { MirrorPush, type PushRunOptions, type PushServices } from './mirrorPush';
export { planPush } from './plan';
export { PENDING_PUSH_FILE } from './pending';
export type * from './types';
