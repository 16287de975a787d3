// The Data Management half of an upload, never twice: POST items (a new file), POST versions (a new version),
// POST folders. Their answers can be lost after APS acted; then what exists is looked at (the folder by name,
// the item's versions by storage id) and adopted, and a POST is sent again only when nothing is there.
import type { DataManagementClient } from '../dm/dataManagement';
import type { Folder, FolderEntry, HubKind, Item, Version } from '../dm/models';
import { uploadRefusalOf } from '../dm/uploadRefusals';
import type { DataManagementWrites } from '../dm/writes';
import { ApsError } from '../http/apsError';
import { FolderNames, nameKey } from './names';
import type { RetryPolicy } from '../transfer/types';
import type { ConflictChoice, UploadedAs } from './types';
import { isUncertain, tryAgain } from './uncertain';

export interface CommitContext {
  readonly dm: Pick<DataManagementClient, 'listFolderContents' | 'getTip' | 'listVersions'>;
  readonly writes: Pick<DataManagementWrites, 'createItem' | 'createVersion' | 'createFolder'>;
  readonly projectId: string;
  readonly kind: HubKind;
  readonly retry: RetryPolicy;
  readonly signal?: AbortSignal;
}

/** What to make of a completed storage object. */
export interface CommitIntent {
  readonly action: 'new-item' | 'new-version';
  readonly folderId: string;
  readonly name: string;
  /** new-version: the item. */
  readonly itemId?: string;
  /** new-version: the item's tip when the plan was made; another tip now is a conflict for `onConflict`. */
  readonly basedOn?: string;
  readonly storageUrn: string;
}

export type Committed = Omit<UploadedAs, 'size' | 'sha1' | 'resumedBytes'> & {
  /** What it became: a name taken since the plan may have turned a new file into a new version. */
  readonly action: CommitIntent['action'];
};

export interface CommitHooks {
  /** Before each POST: record that an item or version with this storage may come to exist. */
  beforePost(intent: CommitIntent): Promise<void>;
  /** The name is taken by another item (since the plan): what to do. */
  onConflict(existing: Item): Promise<ConflictChoice>;
}

/** The POST's answer was lost and nothing of it is there yet: send it again (after a wait). */
class NotThere extends Error {}

const isNotThere = (error: unknown) => error instanceof NotThere;

/**
 * Makes the item or version, or finds the one a lost answer (or an earlier run, `posted`) made. Resolves to
 * undefined when a conflict found at this point is to be skipped.
 */
export async function commitUpload(ctx: CommitContext, first: CommitIntent, hooks: CommitHooks, posted?: CommitIntent): Promise<Committed | undefined> {
  if (posted) {
    const earlier = await findMade(ctx, posted);
    if (earlier) return earlier;
  }
  let intent = first;
  if (intent.action === 'new-version' && intent.basedOn) {
    const moved = await movedOn(ctx, intent.itemId as string, intent.basedOn);
    if (moved) {
      const choice = await hooks.onConflict(moved);
      if (choice === 'skip') return undefined;
      if (choice === 'keep-both') intent = { action: 'new-item', folderId: intent.folderId, name: await numberedIn(ctx, intent.folderId, intent.name), storageUrn: intent.storageUrn };
    }
  }
  for (let conflicts = 0; ; conflicts++) {
    try {
      return await postOnce(ctx, intent, hooks);
    } catch (error) {
      if (uploadRefusalOf(error) !== 'NAME_EXISTS' || intent.action !== 'new-item' || conflicts >= 3) throw error;
      // The name may be taken by this very upload (a lost answer the listing did not show yet).
      const made = await findMade(ctx, intent);
      if (made) return made;
      const entries = await namedIn(ctx, intent.folderId, intent.name);
      const existing = entries.find((entry): entry is Item => entry.type === 'items');
      if (!existing) throw error;
      const choice = await hooks.onConflict(existing);
      if (choice === 'skip') return undefined;
      intent =
        choice === 'new-version'
          ? { ...intent, action: 'new-version', itemId: existing.id, name: existing.name }
          : { ...intent, name: await numberedIn(ctx, intent.folderId, intent.name) };
    }
  }
}

/** The first `name (n).ext` free in the folder. */
async function numberedIn(ctx: CommitContext, folderId: string, name: string): Promise<string> {
  return new FolderNames((await ctx.dm.listFolderContents(ctx.projectId, folderId, { signal: ctx.signal })).map((entry) => entry.name)).claimNumbered(name);
}

/** The item, when its tip is no longer `basedOn` (someone added a version since the plan). */
async function movedOn(ctx: CommitContext, itemId: string, basedOn: string): Promise<Item | undefined> {
  const tip = await tryAgain(ctx.retry, ctx.signal, isUncertain, () => ctx.dm.getTip(ctx.projectId, itemId, { signal: ctx.signal }));
  if (tip.id === basedOn) return undefined;
  return { type: 'items', id: itemId, projectId: ctx.projectId, name: tip.name, displayName: tip.name, extensionType: tip.extensionType, hidden: false, tip };
}

/** One POST, and after an uncertain answer a look at what exists before it is sent again. */
async function postOnce(ctx: CommitContext, intent: CommitIntent, hooks: CommitHooks): Promise<Committed> {
  return tryAgain(ctx.retry, ctx.signal, isNotThere, async (attempt) => {
    if (attempt > 0) {
      const made = await findMade(ctx, intent);
      if (made) return made;
    }
    await hooks.beforePost(intent);
    try {
      return await post(ctx, intent);
    } catch (error) {
      if (!isUncertain(error)) throw error;
      const made = await findMade(ctx, intent);
      if (made) return made;
      throw new NotThere(`${intent.name}: ${(error as Error).message}`, { cause: error });
    }
  }).catch((error: unknown) => {
    throw error instanceof NotThere ? error.cause : error;
  });
}

async function post(ctx: CommitContext, intent: CommitIntent): Promise<Committed> {
  const { projectId, kind, signal } = ctx;
  if (intent.action === 'new-item') {
    const { item, version } = await ctx.writes.createItem(projectId, { folderId: intent.folderId, name: intent.name, storage: intent.storageUrn, kind }, { signal });
    return committed(intent, item.id, version, item.name, false);
  }
  const { version, item } = await ctx.writes.createVersion(projectId, { itemId: intent.itemId as string, name: intent.name, storage: intent.storageUrn, kind }, { signal });
  return committed(intent, intent.itemId as string, version, item?.name ?? version.name, false);
}

function committed(intent: CommitIntent, itemId: string, version: Version, name: string, adopted: boolean): Committed {
  return { action: intent.action, itemId, versionId: version.id, ...(version.versionNumber !== undefined ? { versionNumber: version.versionNumber } : {}), name, adopted };
}

/** The item or version this storage object already backs, if a POST for `intent` happened. */
async function findMade(ctx: CommitContext, intent: CommitIntent): Promise<Committed | undefined> {
  const itemIds = intent.action === 'new-version' ? [intent.itemId as string] : (await namedIn(ctx, intent.folderId, intent.name)).filter((entry) => entry.type === 'items').map((entry) => entry.id);
  for (const itemId of itemIds) {
    const version = await versionWithStorage(ctx, itemId, intent.storageUrn);
    if (version) return committed(intent, itemId, version, version.name, true);
  }
  return undefined;
}

/** The item's version made from this storage object: its tip, else any of its versions. */
async function versionWithStorage(ctx: CommitContext, itemId: string, storageUrn: string): Promise<Version | undefined> {
  const lookup = { signal: ctx.signal };
  const tip = await tryAgain(ctx.retry, ctx.signal, isUncertain, () => ctx.dm.getTip(ctx.projectId, itemId, lookup));
  if (tip.storageUrn === storageUrn) return tip;
  const versions = await tryAgain(ctx.retry, ctx.signal, isUncertain, () => ctx.dm.listVersions(ctx.projectId, itemId, lookup));
  return versions.find((version) => version.storageUrn === storageUrn);
}

/** Entries of the folder whose name is `name` as APS compares names. */
async function namedIn(ctx: CommitContext, folderId: string, name: string): Promise<FolderEntry[]> {
  const entries = await tryAgain(ctx.retry, ctx.signal, isUncertain, () => ctx.dm.listFolderContents(ctx.projectId, folderId, { nameContains: name, signal: ctx.signal }));
  return entries.filter((entry) => nameKey(entry.name) === nameKey(name));
}

/**
 * The subfolder `name` of `parentId`: made, or the one there already (any case), or the one a lost answer made.
 * A file of that name in the way is an error naming it.
 */
export async function ensureFolder(ctx: CommitContext, parentId: string, name: string): Promise<Folder> {
  const existing = async (): Promise<Folder | undefined> => {
    const entries = await namedIn(ctx, parentId, name);
    const folder = entries.find((entry): entry is Folder => entry.type === 'folders');
    if (folder) return folder;
    if (entries.length > 0) throw new ApsError({ kind: 'http', status: 409, code: 'NAME_EXISTS', message: `A file named ${name} is in the way of the folder`, userMessage: `A file named "${entries[0].name}" is where the folder "${name}" should go.` });
    return undefined;
  };
  return tryAgain(ctx.retry, ctx.signal, isNotThere, async (attempt) => {
    if (attempt > 0) {
      const found = await existing();
      if (found) return found;
    }
    try {
      return await ctx.writes.createFolder(ctx.projectId, { parentId, name, kind: ctx.kind }, { signal: ctx.signal });
    } catch (error) {
      if (!isUncertain(error) && uploadRefusalOf(error) !== 'NAME_EXISTS') throw error;
      const found = await existing();
      if (found) return found;
      if (!isUncertain(error)) throw error;
      throw new NotThere(name, { cause: error });
    }
  }).catch((error: unknown) => {
    throw error instanceof NotThere ? error.cause : error;
  });
}
