// Mirrors an APS project or folder into a local folder: a first run downloads everything, later runs only
// what changed. One run at a time per folder (a lock beside the manifest), from any window or the CLI.
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { withBPrefix } from '../dm/ids';
import { formatNamesPath } from '../remote/address';
import { nodeFs, TransferError } from '../transfer';
import { fileSystemError } from '../transfer/errors';
import { PartLock } from '../transfer/disk/partLock';
import { isMirrorFileName, loadManifest, newManifest, setAsideDamaged, type MirrorManifest, type MirrorSource } from './manifest';
import { MirrorRun } from './mirrorRun';
import { pendingPushIn } from './push/pending';
import type { MirrorOptions, MirrorReport } from './types';

export const LOCK_FILE = '.aps-mirror.lock';

/** `push-pending`: a push from the folder stopped before it finished; `not-a-mirror` and `damaged`: a push needs a whole record. */
export type MirrorErrorCode = 'declined' | 'other-remote' | 'busy' | 'push-pending' | 'not-a-mirror' | 'damaged';

/** A mirror that could not start; `message` says why, in a sentence for the user. */
export class MirrorError extends Error {
  constructor(
    readonly code: MirrorErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'MirrorError';
  }
}

export async function runMirror(options: MirrorOptions): Promise<MirrorReport> {
  const root = path.resolve(options.root);
  try {
    await fsp.mkdir(root, { recursive: true });
  } catch (error) {
    throw fileSystemError('create', root, error);
  }
  const lock = await lockMirror(root, options.signal);
  try {
    if (await pendingPushIn(root)) {
      throw new MirrorError('push-pending', `A push from ${root} to APS stopped before it finished: push again to finish it, then mirror.`);
    }
    const manifest = await openManifest(root, options);
    return await new MirrorRun(root, manifest, options).run();
  } finally {
    await lock.release();
  }
}

/** One mirror or push at a time per folder, from any window or the command line. */
export async function lockMirror(root: string, signal: AbortSignal | undefined): Promise<PartLock> {
  try {
    return await PartLock.acquire(nodeFs, path.join(root, LOCK_FILE), root, 0, signal);
  } catch (error) {
    if (error instanceof TransferError && error.code === 'busy') throw new MirrorError('busy', `Another mirror or push is using ${root}; try again when it has finished.`);
    throw error;
  }
}

/** The manifest to start from: the one in the root when it is whole and mirrors this source, else a new one (asking first). */
async function openManifest(root: string, options: MirrorOptions): Promise<MirrorManifest> {
  const { source, decisions } = options;
  const loaded = await loadManifest(root);
  if (loaded.kind === 'ok') {
    if (!sameSource(loaded.manifest.remote, source)) {
      throw new MirrorError('other-remote', `${root} is the mirror of ${formatNamesPath(loaded.manifest.remote.names)}, not of ${formatNamesPath(source.names)}: mirror it into another folder.`);
    }
    loaded.manifest.remote = source;
    return loaded.manifest;
  }
  if (loaded.kind === 'damaged') {
    if (!(await decisions.rebuildDamaged(root, loaded.reason))) throw new MirrorError('declined', `The mirror record in ${root} is damaged (${loaded.reason}); nothing was changed.`);
    await setAsideDamaged(root);
  } else if ((await foreignEntries(root)) && !(await decisions.adoptNonEmpty(root))) {
    throw new MirrorError('declined', `${root} already holds files and is not a mirror; nothing was changed.`);
  }
  return newManifest(source);
}

function sameSource(a: MirrorSource, b: MirrorSource): boolean {
  return withBPrefix(a.projectId) === withBPrefix(b.projectId) && (a.folderId ?? '') === (b.folderId ?? '');
}

/** Whether the root holds anything besides the mirror's own files. */
async function foreignEntries(root: string): Promise<boolean> {
  const names = await fsp.readdir(root);
  return names.some((name) => !isMirrorFileName(name));
}
