// A push of a mirror's local changes into APS, start to end under the mirror's lock: survey, plan (shown and
// accepted by the caller), run through the upload engine, and the mirror record brought in step with what
// was made, so the next mirror fetches none of it. A stopped push resumes from its pending plan.
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import type { DataManagementClient } from '../../dm/dataManagement';
import type { Version } from '../../dm/models';
import { sanitizeFileName } from '../../download/localNames';
import { failureReason } from '../../failureReason';
import type { PartLock } from '../../transfer/disk/partLock';
import type { AggregateProgress, RetryPolicy } from '../../transfer/types';
import type { UploadEngine, UploadServices } from '../../upload/engine';
import { nameKey, pathKey } from '../../upload/names';
import type { UploadFile, UploadFolder } from '../../upload/types';
import { localState, sha1OfFile, stampOf } from '../localFiles';
import { absolutePath, baseNameOf, loadManifest, MANIFEST_FILE, parentOf, relativePath, type LocalStamp, type MirroredFile, type MirrorManifest } from '../manifest';
import { ManifestKeeper } from '../manifestKeeper';
import { lockMirror, MirrorError } from '../runMirror';
import { loadPendingPush, removePendingPush, savePendingPush, setAsidePendingPush } from './pending';
import { planPush } from './plan';
import { sameBytes } from './sameBytes';
import { surveyPush, type SurveyServices } from './survey';
import type { PushConflictPolicy, PushFileEvent, PushPlan, PushReport, PushSurvey } from './types';

/** The APS calls a push makes (ApsServices has them all). */
export type PushServices = SurveyServices &
  UploadServices & {
    readonly dm: Pick<DataManagementClient, 'getProject' | 'topFolders' | 'getFolder' | 'listFolderContents' | 'getTip' | 'listVersions'>;
  };

export interface PushRunOptions {
  /** The upload engine the files go through (its journals make a stopped push resume). */
  readonly engine: UploadEngine;
  readonly signal?: AbortSignal;
  /** Parts of one file in flight, 1-16 (the engine's default 8). */
  readonly connections?: number;
  readonly onProgress?: (progress: AggregateProgress) => void;
  /** Each file once settled: pushed, recorded (APS held it already), skipped (a conflict at the last moment) or failed. */
  readonly onFile?: (event: PushFileEvent) => void;
  readonly progressIntervalMs?: number;
  readonly retry?: Partial<RetryPolicy>;
  /** How often the record and the pending plan are saved while files land (default 2 s). */
  readonly saveIntervalMs?: number;
}


export class MirrorPush {
  /** A push accepted earlier that stopped before it finished: run it (again) before anything else. */
  readonly pending?: PushPlan;
  /** Said once: a pending push that could not be used was set aside. */
  readonly notes: string[] = [];
  private readonly byItem = new Map<string, string>();
  private closed = false;

  private constructor(
    readonly root: string,
    private readonly manifest: MirrorManifest,
    private readonly services: PushServices,
    private readonly lock: PartLock,
    pending: PushPlan | undefined,
  ) {
    this.pending = pending;
    for (const [at, file] of Object.entries(manifest.files)) this.byItem.set(file.itemId, at);
  }

  /** Takes the mirror's lock and reads its record (a push needs a whole one) and any pending push. */
  static async open(root: string, services: PushServices, signal?: AbortSignal): Promise<MirrorPush> {
    const resolved = path.resolve(root);
    const lock = await lockMirror(resolved, signal);
    try {
      const loaded = await loadManifest(resolved);
      if (loaded.kind === 'missing') throw new MirrorError('not-a-mirror', `${resolved} is not a mirror (it has no ${MANIFEST_FILE}): mirror a folder into it first.`);
      if (loaded.kind === 'damaged') throw new MirrorError('damaged', `The mirror record in ${resolved} is damaged (${loaded.reason}): mirror the folder again, which rebuilds it, then push.`);
      const pending = await loadPendingPush(resolved);
      const push = new MirrorPush(resolved, loaded.manifest, services, lock, pending.kind === 'ok' ? pending.plan : undefined);
      if (pending.kind === 'damaged') {
        await setAsidePendingPush(resolved);
        push.notes.push(`The push left unfinished in ${resolved} was set aside (${pending.reason}); the changes are looked at afresh.`);
      }
      return push;
    } catch (error) {
      await lock.release();
      throw error;
    }
  }

  get source(): MirrorManifest['remote'] {
    return this.manifest.remote;
  }

  /** What changed here since the last mirror, checked against APS. Writes nothing. */
  survey(signal?: AbortSignal): Promise<PushSurvey> {
    return surveyPush(this.root, this.manifest, this.services, signal);
  }

  plan(survey: PushSurvey, policy: PushConflictPolicy): PushPlan {
    return planPush(survey, policy);
  }

  /**
   * Runs an accepted plan (or the pending one): keeps it beside the record until it has run, sends the files,
   * and records each one that arrived. Cancelled, it keeps the plan for the next run.
   */
  async run(plan: PushPlan, options: PushRunOptions): Promise<PushReport> {
    const started = performance.now();
    const resumed = plan.acceptedAt !== undefined;
    plan.acceptedAt ??= new Date().toISOString();
    const events: PushFileEvent[] = [];
    const emit = (event: PushFileEvent) => {
      events.push(event);
      try {
        options.onFile?.(event);
      } catch {
        // A failing listener must not stop the push.
      }
    };
    const keeper = new ManifestKeeper(this.root, () => this.manifest, options.saveIntervalMs, () => savePendingPush(this.root, plan));
    await savePendingPush(this.root, plan);

    for (const folder of plan.upload.folders) if (folder.id) this.folderReady(folder, keeper);
    for (const { path: at, record } of plan.inAps) {
      if (this.manifest.files[at]?.versionId === record.versionId) continue;
      this.record(at, record, keeper);
      emit({ status: 'recorded', path: at, ...(record.versionNumber !== undefined ? { versionNumber: record.versionNumber } : {}), size: record.size, sha1: record.sha1 });
    }
    for (const { path: at, version } of plan.behind) {
      const file = this.manifest.files[at];
      // A file with a copy of an earlier newer version beside it keeps that record (and shows as in conflict already).
      if (!file || file.pending?.versionId === version.versionId || file.pending?.copy) continue;
      this.manifest.files[at] = { ...file, pending: version };
      keeper.changed();
    }
    let result: { cancelled: boolean } = { cancelled: true };
    let manifestError: string | undefined;
    try {
      if (resumed) await this.adoptArrived(plan, options.signal);
      // Files an earlier run sent (or that were found in APS just now) and did not get to record.
      const recorded = (event: PushFileEvent) => emit({ ...event, status: 'recorded' });
      for (const file of plan.upload.files) if (file.state === 'uploaded') await this.uploaded(plan, file, keeper, recorded);

      let applying = Promise.resolve();
      const settled = (file: UploadFile) => {
        applying = applying.then(async () => {
          if (file.state === 'uploaded') await this.uploaded(plan, file, keeper, emit);
          else {
            keeper.changed();
            emit({ status: file.state === 'skipped' ? 'skipped' : 'failed', path: relativePath(this.root, file.localPath), action: file.action, ...(file.error ? { error: file.error } : {}) });
          }
        });
      };
      try {
        result = await options.engine.run(plan.upload, {
          signal: options.signal,
          connections: options.connections,
          onProgress: options.onProgress,
          progressIntervalMs: options.progressIntervalMs,
          retry: options.retry,
          onFileSettled: settled,
          onFolderReady: (folder) => this.folderReady(folder, keeper),
        });
      } finally {
        await applying;
      }
    } finally {
      if (!result.cancelled) this.manifest.lastPush = pushSummary(plan, events, this.madeFolders(plan).length);
      keeper.changed();
      try {
        await keeper.flush();
        if (!result.cancelled) await removePendingPush(this.root);
      } catch (error) {
        manifestError = failureReason(error);
      }
    }
    return {
      root: this.root,
      source: this.manifest.remote,
      plan,
      events,
      folders: this.madeFolders(plan),
      bytes: events.reduce((sum, event) => sum + (event.status === 'pushed' ? (event.size ?? 0) : 0), 0),
      cancelled: result.cancelled,
      resumed,
      seconds: (performance.now() - started) / 1000,
      ...(manifestError ? { manifestError } : {}),
    };
  }

  private madeFolders(plan: PushPlan): string[] {
    return plan.upload.folders.filter((folder) => !folder.existing && folder.id).map((folder) => relativePath(this.root, folder.localPath));
  }

  /** Releases the mirror's lock. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.lock.release();
  }

  // ── The record ─────────────────────────────────────────────────────────────────────────────────

  private folderReady(folder: UploadFolder, keeper: ManifestKeeper): void {
    const at = relativePath(this.root, folder.localPath);
    if (!folder.id || this.manifest.folders[at] === folder.id) return;
    this.manifest.folders[at] = folder.id;
    keeper.changed();
  }

  /**
   * A file that arrived in APS, in the record: a new version of its mirrored item, or a new item (a file kept
   * both is renamed here to its numbered name in APS, so the next mirror brings APS's file back beside it).
   * Done once per file: a resumed push finds it recorded.
   */
  private async uploaded(plan: PushPlan, file: UploadFile, keeper: ManifestKeeper, emit: (event: PushFileEvent) => void): Promise<void> {
    const result = file.result;
    const entry = plan.files.find((candidate) => candidate.path === relativePath(this.root, file.localPath));
    if (!result || !entry) return;
    const recordedAt = this.byItem.get(result.itemId);
    if (recordedAt !== undefined && this.manifest.files[recordedAt]?.versionId === result.versionId) return;
    const event: PushFileEvent = { status: 'pushed', path: entry.path, action: file.action, ...(result.versionNumber !== undefined ? { versionNumber: result.versionNumber } : {}), size: result.size, sha1: result.sha1 };
    const version = { versionId: result.versionId, ...(result.versionNumber !== undefined ? { versionNumber: result.versionNumber } : {}), size: result.size, sha1: result.sha1 };
    const tracked = entry.itemId ? this.manifest.files[entry.path] : undefined;
    if (tracked && tracked.itemId === result.itemId) {
      const { pending, ...kept } = tracked;
      this.record(entry.path, { ...kept, name: result.name, ...version, ...(await this.stampAfter(entry.path, file)) }, keeper);
      if (pending?.copy) await this.removeCopy(pending);
      return emit(event);
    }
    let at = entry.path;
    const local = sanitizeFileName(result.name);
    if (local !== baseNameOf(at)) {
      const to = parentOf(at) ? `${parentOf(at)}/${local}` : local;
      // Something is at the numbered name: the file stays, and the next mirror brings APS's copy of it.
      if (!(await this.moveLocal(at, to))) return emit({ ...event, error: `kept as ${at}; "${to}" is taken here` });
      at = to;
    }
    this.record(at, { itemId: result.itemId, name: result.name, ...version, ...(await this.stampAfter(at, file)) }, keeper);
    emit(at === entry.path ? event : { ...event, movedTo: at });
  }

  /** The local file's stamp now, when it still holds what was sent; else one that makes the next run compare SHA-1s. */
  private async stampAfter(at: string, sent: UploadFile): Promise<LocalStamp> {
    const result = sent.result!;
    const file = absolutePath(this.root, at);
    const now = await stampOf(file);
    if (now && now.localSize === result.size && now.localSize === sent.size && now.localMtimeMs === sent.mtimeMs) return now;
    if (now && now.localSize === result.size && (await sha1OfFile(file)) === result.sha1) return now;
    return { localSize: result.size, localMtimeMs: 0 };
  }

  /** Renames a local file within its folder, unless something is at the new name. */
  private async moveLocal(from: string, to: string): Promise<boolean> {
    const target = absolutePath(this.root, to);
    if (await fsp.lstat(target).then(() => true, () => false)) return false;
    return fsp.rename(absolutePath(this.root, from), target).then(() => true, () => false);
  }

  /** The copy of APS's newer version a mirror kept beside the file, now superseded: deleted when nobody changed it. */
  private async removeCopy(pending: NonNullable<MirroredFile['pending']>): Promise<void> {
    const copy = pending.copy!;
    const file = absolutePath(this.root, copy.path);
    if ((await localState(file, { ...copy, sha1: pending.sha1 })).kind === 'unchanged') await fsp.unlink(file).catch(() => undefined);
  }

  private record(at: string, file: MirroredFile, keeper: ManifestKeeper): void {
    const previous = this.byItem.get(file.itemId);
    if (previous !== undefined && previous !== at) delete this.manifest.files[previous];
    const occupant = this.manifest.files[at];
    if (occupant && occupant.itemId !== file.itemId) this.byItem.delete(occupant.itemId);
    this.manifest.files[at] = file;
    this.byItem.set(file.itemId, at);
    keeper.changed();
  }

  // ── Resume ─────────────────────────────────────────────────────────────────────────────────────

  /**
   * Files of a resumed push that reached APS before the push could record them (it was killed in between):
   * found by their bytes (the item's tip, or the file of that name) and taken as uploaded, never sent twice.
   */
  private async adoptArrived(plan: PushPlan, signal?: AbortSignal): Promise<void> {
    const { projectId, folderId: rootFolder } = plan.upload.target;
    for (const file of plan.upload.files) {
      if (file.state === 'uploaded' || file.state === 'skipped') continue;
      signal?.throwIfAborted();
      let found: { itemId: string; tip: Version } | undefined;
      if (file.action === 'new-version' && file.itemId) {
        const tip = await this.services.dm.getTip(projectId, file.itemId, { signal }).catch(() => undefined);
        if (tip && tip.id !== file.basedOn) found = { itemId: file.itemId, tip };
      } else if (file.action === 'new-item') {
        const folderId = file.folder.length === 0 ? rootFolder : plan.upload.folders.find((folder) => pathKey(folder.path) === pathKey(file.folder))?.id;
        const entries = folderId ? await this.services.dm.listFolderContents(projectId, folderId, { nameContains: file.name, signal }).catch(() => []) : [];
        const item = entries.find((entry) => entry.type === 'items' && nameKey(entry.name) === nameKey(file.name));
        if (item?.type === 'items' && item.tip) found = { itemId: item.id, tip: item.tip };
      }
      const now = found && (await stampOf(file.localPath));
      const sha1 = found && now ? await sameBytes(this.services.signedUpload, file.localPath, now.localSize, found.tip, signal) : undefined;
      if (!found || !now || !sha1) continue;
      const { tip } = found;
      file.state = 'uploaded';
      delete file.error;
      file.result = { itemId: found.itemId, versionId: tip.id, ...(tip.versionNumber !== undefined ? { versionNumber: tip.versionNumber } : {}), name: tip.name, size: now.localSize, sha1, resumedBytes: now.localSize, adopted: true };
    }
  }
}

function pushSummary(plan: PushPlan, events: readonly PushFileEvent[], newFolders: number): NonNullable<MirrorManifest['lastPush']> {
  const count = (status: PushFileEvent['status']) => events.filter((event) => event.status === status).length;
  const pushed = plan.upload.files.filter((file) => file.state === 'uploaded');
  return {
    finishedAt: new Date().toISOString(),
    newVersions: pushed.filter((file) => file.action === 'new-version').length,
    newFiles: pushed.filter((file) => file.action === 'new-item').length,
    newFolders,
    recorded: count('recorded'),
    conflicts: plan.summary.conflicts + count('skipped'),
    failed: plan.upload.files.filter((file) => file.state === 'failed').length + plan.summary.refused,
  };
}
