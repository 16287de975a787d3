// What a push would take: each local file compared with the mirror's record (size and time, then SHA-1), and
// each change checked against APS as it is now (the folder listings carry every item's tip). Reads only.
import type { DataManagementClient } from '../../dm/dataManagement';
import type { FolderEntry, HubKind, Item, Version } from '../../dm/models';
import { plansFolderAccepts, plansRefusalSentence } from '../../dm/uploadRefusals';
import { isApsError } from '../../http/apsError';
import { Limiter } from '../../http/limiter';
import type { SignedUpload } from '../../oss/signedUpload';
import { FolderNames, nameKey, remoteName } from '../../upload/names';
import { localState } from '../localFiles';
import { absolutePath, baseNameOf, parentOf, type LocalStamp, type MirroredFile, type MirrorManifest } from '../manifest';
import { scanLocal } from './localScan';
import { sameBytes } from './sameBytes';
import type { PushSurvey, SeenVersion, SurveyedFile, SurveyedFolder } from './types';

/** The APS calls a survey makes (ApsServices has them all). */
export interface SurveyServices {
  readonly dm: Pick<DataManagementClient, 'getProject' | 'topFolders' | 'getFolder' | 'listFolderContents' | 'getTip'>;
  readonly signedUpload: Pick<SignedUpload, 'objectDetails'>;
}

const LISTINGS_AT_ONCE = 4;

type Listing = FolderEntry[] | 'gone';


export async function surveyPush(root: string, manifest: MirrorManifest, services: SurveyServices, signal?: AbortSignal): Promise<PushSurvey> {
  return new Survey(root, manifest, services, signal).run();
}

class Survey {
  private readonly listings = new Map<string, Promise<Listing>>();
  private readonly limiter = new Limiter(LISTINGS_AT_ONCE);
  private readonly byItem = new Map<string, string>();
  private readonly trackedFolders = new Map<string, string>();
  private readonly newFolders = new Map<string, SurveyedFolder>();
  /** New names given in each local folder (files and folders), so two that clash ignoring case are caught. */
  private readonly newNames = new Map<string, FolderNames>();
  /** Every name taken in each local folder, here and in APS, for numbered keep-both names. */
  private readonly takenNames = new Map<string, FolderNames>();
  private readonly files: SurveyedFile[] = [];
  private localNames = new Map<string, string[]>();
  private project?: Promise<{ kind: HubKind; plans: (folder: string) => Promise<boolean> }>;

  constructor(
    private readonly root: string,
    private readonly manifest: MirrorManifest,
    private readonly services: SurveyServices,
    private readonly signal?: AbortSignal,
  ) {
    for (const [at, file] of Object.entries(manifest.files)) this.byItem.set(file.itemId, at);
    for (const [at, id] of Object.entries(manifest.folders)) this.trackedFolders.set(id, at);
  }

  async run(): Promise<PushSurvey> {
    const scan = await scanLocal(this.root, this.signal);
    const copies = new Set(Object.values(this.manifest.files).flatMap((file) => (file.pending?.copy ? [file.pending.copy.path] : [])));
    this.localNames = namesByFolder([...scan.files.keys(), ...scan.folders, ...Object.keys(this.manifest.files)]);

    const deletedHere: string[] = [];
    const changed: Array<{ at: string; file: MirroredFile; stamp: LocalStamp }> = [];
    let unchanged = 0;
    for (const [at, file] of Object.entries(this.manifest.files)) {
      if (!scan.files.has(at)) {
        deletedHere.push(at);
        continue;
      }
      const state = await localState(absolutePath(this.root, at), { localSize: file.localSize, localMtimeMs: file.localMtimeMs, sha1: file.sha1 }, this.signal);
      if (state.kind === 'changed') changed.push({ at, file, stamp: state.stamp });
      else unchanged++;
    }
    const added = [...scan.files].filter(([at]) => !(at in this.manifest.files) && !copies.has(at));
    const addedFolders = scan.folders.filter((at) => !(at in this.manifest.folders));

    // The listings every change needs, fetched a few at once before they are read one by one.
    const known = new Set([...changed.map(({ at }) => parentOf(at)), ...added.map(([at]) => parentOf(at)), ...addedFolders.map(parentOf)]);
    await Promise.all([...known].map((folder) => this.manifest.folders[folder]).filter((id): id is string => id !== undefined).map((id) => this.listing(id)));

    for (const folder of addedFolders) await this.surveyFolder(folder);
    for (const { at, file, stamp } of changed) this.files.push(await this.surveyChanged(at, file, stamp));
    for (const [at, stamp] of added) this.files.push(await this.surveyNew(at, stamp));
    for (const [index, file] of this.files.entries()) if (file.change === 'conflict') this.files[index] = { ...file, keepBothName: await this.keepBothName(file) };

    this.files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    return {
      root: this.root,
      source: this.manifest.remote,
      projectKind: this.files.length || this.newFolders.size ? (await this.projectFacts()).kind : 'unknown',
      files: this.files,
      folders: [...this.newFolders.values()],
      mirroredFolders: { ...this.manifest.folders },
      deletedHere: deletedHere.sort(),
      ignored: scan.ignored,
      unchanged,
    };
  }

  // ── Folders ────────────────────────────────────────────────────────────────────────────────────

  /** A local folder the mirror does not know: to be made, an APS folder of that name to reuse, or refused. */
  private async surveyFolder(at: string): Promise<void> {
    const parent = parentOf(at);
    const name = remoteName(baseNameOf(at));
    const refuse = (reason: string) => this.newFolders.set(at, { path: at, name, reason });
    const parentNew = this.newFolders.get(parent);
    if (parentNew?.reason) return void refuse(`its folder "${parent}" cannot be made in APS`);
    if (parent === '' && this.manifest.remote.folderId === undefined) return void refuse(`a project takes no new folders at its top, only in its folders`);
    if (!this.claim(parent, name)) return void refuse(`another folder here has that name when case is ignored, as APS compares names`);
    const parentId = this.folderIdOf(parent);
    if (parentId === undefined) return void this.newFolders.set(at, { path: at, name });
    const listing = await this.listing(parentId);
    if (listing === 'gone') return void refuse(`its folder "${parent || '.'}" is no longer in APS`);
    const there = listing.find((entry) => nameKey(entry.name) === nameKey(name));
    if (!there) return void this.newFolders.set(at, { path: at, name });
    if (there.type === 'items') return void refuse(`a file named "${there.name}" is there in APS`);
    const tracked = this.trackedFolders.get(there.id);
    if (tracked !== undefined) return void refuse(`APS has "${there.name}" there, mirrored here as "${tracked}", and compares names ignoring case: rename one of them`);
    this.newFolders.set(at, { path: at, name, existingId: there.id });
  }

  private folderIdOf(folder: string): string | undefined {
    return this.manifest.folders[folder] ?? this.newFolders.get(folder)?.existingId;
  }

  // ── Files ──────────────────────────────────────────────────────────────────────────────────────

  /** A mirrored file changed here: its next version, unless APS moved on since the mirror (or holds these very bytes). */
  private async surveyChanged(at: string, file: MirroredFile, stamp: LocalStamp): Promise<SurveyedFile> {
    const base = { path: at, folder: parentOf(at), size: stamp.localSize, mtimeMs: stamp.localMtimeMs, itemId: file.itemId, mirrored: seen(file) };
    const tip = await this.tipOf(file.itemId, parentOf(at));
    if (!tip) return { ...base, name: file.name, change: 'conflict', conflict: 'remote-removed' };
    const named = { ...base, name: tip.name || file.name, tip: tipOf(tip) };
    if (tip.id === file.versionId) return { ...named, change: 'new-version' };
    const record = await this.inAps(at, file.itemId, tip, stamp);
    return record ? { ...named, change: 'in-aps', record } : { ...named, change: 'conflict', conflict: 'remote-newer' };
  }

  /** A file the mirror did not write: a new file in its folder's APS folder, unless the name is taken there. */
  private async surveyNew(at: string, stamp: LocalStamp): Promise<SurveyedFile> {
    const folder = parentOf(at);
    const name = remoteName(baseNameOf(at));
    const base = { path: at, folder, size: stamp.localSize, mtimeMs: stamp.localMtimeMs, name };
    const refused = (reason: string): SurveyedFile => ({ ...base, change: 'refused', reason });
    const newFolder = this.newFolders.get(folder);
    if (newFolder?.reason) return refused(`its folder "${folder}" cannot be made in APS: ${newFolder.reason}`);
    if (folder === '' && this.manifest.remote.folderId === undefined) return refused('a project holds files only in its folders, not at its top');
    if (!this.claim(folder, name)) return refused('another new file here has that name when case is ignored, as APS compares names');
    if (!plansFolderAccepts(name) && (await this.inPlans(folder))) return refused(plansRefusalSentence(name));
    const folderId = this.folderIdOf(folder);
    if (folderId === undefined) return { ...base, change: 'new-file' };
    const listing = await this.listing(folderId);
    if (listing === 'gone') return refused(`its folder "${folder || '.'}" is no longer in APS`);
    const there = listing.find((entry) => nameKey(entry.name) === nameKey(name));
    if (!there) return { ...base, change: 'new-file' };
    if (there.type === 'folders') return refused(`a folder named "${there.name}" is there in APS`);
    const tracked = this.byItem.get(there.id);
    if (tracked !== undefined) return refused(`APS has "${there.name}" there, mirrored here as "${tracked}", and compares names ignoring case: rename one of them`);
    const tip = (there as Item).tip;
    const record = tip ? await this.inAps(at, there.id, tip, stamp) : undefined;
    if (record) return { ...base, change: 'in-aps', itemId: there.id, record };
    return { ...base, change: 'conflict', conflict: 'name-taken', itemId: there.id, ...(tip ? { tip: tipOf(tip) } : {}) };
  }

  /** The item's tip: from its folder's listing, else asked for (moved in APS); undefined when it is gone. */
  private async tipOf(itemId: string, folder: string): Promise<Version | undefined> {
    const folderId = this.manifest.folders[folder];
    const listing = folderId === undefined ? 'gone' : await this.listing(folderId);
    const item = listing === 'gone' ? undefined : listing.find((entry): entry is Item => entry.type === 'items' && entry.id === itemId);
    if (item?.tip) return item.tip;
    try {
      return await this.services.dm.getTip(this.manifest.remote.projectId, itemId, { signal: this.signal });
    } catch (error) {
      if (isApsError(error) && (error.status === 404 || error.status === 410)) return undefined;
      throw error;
    }
  }

  /** The record of the local file as `tip`, when the tip holds exactly its bytes. */
  private async inAps(at: string, itemId: string, tip: Version, stamp: LocalStamp): Promise<MirroredFile | undefined> {
    const sha1 = await sameBytes(this.services.signedUpload, absolutePath(this.root, at), stamp.localSize, tip, this.signal);
    if (!sha1) return undefined;
    return { itemId, name: tip.name, versionId: tip.id, ...(tip.versionNumber !== undefined ? { versionNumber: tip.versionNumber } : {}), size: stamp.localSize, sha1, ...stamp };
  }

  // ── Names ──────────────────────────────────────────────────────────────────────────────────────

  /** Claims a new name in a local folder; false when it clashes (ignoring case) with another new one there. */
  private claim(folder: string, name: string): boolean {
    let claimed = this.newNames.get(folder);
    if (!claimed) this.newNames.set(folder, (claimed = new FolderNames()));
    if (claimed.has(name)) return false;
    claimed.add(name);
    return true;
  }

  /** The first numbered name free in the file's APS folder and in its local folder, claimed. */
  private async keepBothName(file: SurveyedFile): Promise<string> {
    let taken = this.takenNames.get(file.folder);
    if (!taken) {
      const folderId = this.folderIdOf(file.folder);
      const listing = folderId === undefined ? 'gone' : await this.listing(folderId);
      const aps = listing === 'gone' ? [] : listing.map((entry) => entry.name);
      const given = this.files.filter((other) => other.folder === file.folder).map((other) => other.name);
      taken = new FolderNames([...aps, ...(this.localNames.get(file.folder) ?? []), ...given]);
      this.takenNames.set(file.folder, taken);
    }
    return taken.claimNumbered(file.name);
  }

  // ── APS ────────────────────────────────────────────────────────────────────────────────────────

  private listing(folderId: string): Promise<Listing> {
    let listing = this.listings.get(folderId);
    if (!listing) {
      listing = (async () => {
        const release = await this.limiter.acquire(this.signal);
        try {
          return await this.services.dm.listFolderContents(this.manifest.remote.projectId, folderId, { signal: this.signal });
        } catch (error) {
          if (isApsError(error) && (error.status === 404 || error.status === 410)) return 'gone' as const;
          throw error;
        } finally {
          release();
        }
      })();
      this.listings.set(folderId, listing);
    }
    return listing;
  }

  /** Whether a local folder is in a BIM 360 Plans folder (which takes only some file types). */
  private async inPlans(folder: string): Promise<boolean> {
    return (await this.projectFacts()).plans(folder);
  }

  private projectFacts(): Promise<{ kind: HubKind; plans: (folder: string) => Promise<boolean> }> {
    this.project ??= (async () => {
      const { hubId, projectId, folderId } = this.manifest.remote;
      const project = await this.services.dm.getProject(hubId, projectId, { signal: this.signal });
      if (project.kind !== 'bim360') return { kind: project.kind, plans: async () => false };
      const planIds = new Set((await this.services.dm.topFolders(hubId, projectId, { signal: this.signal })).filter((top) => top.folderType === 'plan').map((top) => top.id));
      if (folderId === undefined) return { kind: project.kind, plans: async (folder: string) => planIds.has(this.manifest.folders[folder.split('/')[0]] ?? '') };
      let top = await this.services.dm.getFolder(projectId, folderId, { signal: this.signal });
      for (let depth = 0; top.parentId && !planIds.has(top.id) && depth < 64; depth++) {
        const parent = await this.services.dm.getFolder(projectId, top.parentId, { signal: this.signal });
        if (parent.isRoot || parent.id === project.rootFolderId) break;
        top = parent;
      }
      const inPlans = planIds.has(top.id);
      return { kind: project.kind, plans: async () => inPlans };
    })();
    return this.project;
  }
}

function tipOf(tip: Version): NonNullable<SurveyedFile['tip']> {
  return { ...seen({ versionId: tip.id, versionNumber: tip.versionNumber }), name: tip.name, ...(tip.storageSize !== undefined ? { size: tip.storageSize } : {}) };
}

function seen(version: { versionId: string; versionNumber?: number }): SeenVersion {
  return { versionId: version.versionId, ...(version.versionNumber !== undefined ? { versionNumber: version.versionNumber } : {}) };
}

/** Names in each local folder (paths of files and folders, '/' between names). */
function namesByFolder(paths: readonly string[]): Map<string, string[]> {
  const names = new Map<string, string[]>();
  for (const at of paths) {
    const folder = parentOf(at);
    names.set(folder, [...(names.get(folder) ?? []), baseNameOf(at)]);
  }
  return names;
}
