// How a mirrored file stands, for the Explorer's decorations: cheap (size and time only, never a hash).
import type { LocalStamp, MirroredFile } from './manifest';

/**
 * `up-to-date`: as the mirror wrote it, and APS had nothing newer at the last run. `changed-locally`: edited
 * here since. `remote-newer`: APS has a newer version the last run did not bring (it failed, or was skipped).
 * `conflict`: both.
 */
export type MirroredFileState = 'up-to-date' | 'changed-locally' | 'remote-newer' | 'conflict';

export function mirroredFileState(file: MirroredFile, stamp: LocalStamp | undefined): MirroredFileState {
  const changed = !stamp || stamp.localSize !== file.localSize || stamp.localMtimeMs !== file.localMtimeMs;
  if (file.pending) return changed ? 'conflict' : 'remote-newer';
  return changed ? 'changed-locally' : 'up-to-date';
}
