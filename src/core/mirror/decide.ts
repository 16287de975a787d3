// What a mirror run does with one remote file, from what the last run recorded and what is on disk now.
// Pure: the runner gathers the facts, this says what follows from them.
import type { MirroredFile } from './manifest';
import type { LocalState } from './localFiles';
import type { RemoteFile } from './remoteTree';

/** The file the last run wrote for this item, and its state now. */
export interface Base {
  path: string;
  file: MirroredFile;
  local: LocalState;
}

/** What is at the remote file's local path now, when the item's own base is not there. */
export type Occupant =
  | { kind: 'free' }
  /** A file or folder the mirror did not write. */
  | { kind: 'untracked' }
  /** The file the mirror wrote for another item (one gone from APS, or moved away). */
  | { kind: 'tracked'; base: Base };

/**
 * Why a file cannot simply follow APS: `edited`, changed here while APS has a newer version; `occupied`, its
 * path holds a file the mirror did not write for it (the user's own, or another item's that was changed
 * here); `moved`, APS moved or renamed it while it was changed here.
 */
export type ConflictKind = 'edited' | 'occupied' | 'moved';

export type FetchReason = 'new' | 'updated' | 'restored' | 'replaced';

export type Decision =
  | { kind: 'unchanged' }
  | { kind: 'fetch'; reason: FetchReason }
  /** Moved or renamed in APS, unchanged here: the local file follows, and is fetched when the version changed too. */
  | { kind: 'move'; from: string; fetch: boolean }
  /** An untracked file holds the path: it is adopted when its bytes are APS's (size, then SHA-1), else a conflict. */
  | { kind: 'check' }
  | { kind: 'changed-locally' }
  | { kind: 'conflict'; conflict: ConflictKind }
  /** A conflict already settled by keeping both: the newer version sits beside the file since an earlier run. */
  | { kind: 'kept-both' }
  /** A sheet: nothing to download. */
  | { kind: 'no-file' };

export function decide(remote: RemoteFile, base: Base | undefined, occupant: Occupant): Decision {
  if (!remote.storage) return { kind: 'no-file' };
  if (!base || base.local.kind === 'missing') return base?.path === remote.path ? { kind: 'fetch', reason: 'restored' } : atFreshPath(occupant);
  const sameVersion = base.file.versionId === remote.versionId;
  if (base.path !== remote.path) {
    if (base.local.kind === 'changed') return { kind: 'conflict', conflict: 'moved' };
    return occupant.kind === 'free' ? { kind: 'move', from: base.path, fetch: !sameVersion } : atFreshPath(occupant);
  }
  if (base.local.kind === 'unchanged') return sameVersion ? { kind: 'unchanged' } : { kind: 'fetch', reason: 'updated' };
  if (sameVersion) return { kind: 'changed-locally' };
  const pending = base.file.pending;
  if (pending?.versionId === remote.versionId && pending.copy) return { kind: 'kept-both' };
  return { kind: 'conflict', conflict: 'edited' };
}

/** A file the mirror has no local copy of (yet): the path is free, someone else's, or a gone item's. */
function atFreshPath(occupant: Occupant): Decision {
  switch (occupant.kind) {
    case 'free':
      return { kind: 'fetch', reason: 'new' };
    case 'untracked':
      return { kind: 'check' };
    case 'tracked':
      if (occupant.base.local.kind === 'changed') return { kind: 'conflict', conflict: 'occupied' };
      return { kind: 'fetch', reason: occupant.base.local.kind === 'missing' ? 'new' : 'replaced' };
  }
}
