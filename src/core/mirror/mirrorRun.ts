// One run of a mirror: list the remote tree while downloading what changed, then settle conflicts, then
// what APS no longer has. The manifest follows every file that lands and is saved as the run goes.
import { setMaxListeners } from 'node:events';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { failureReason } from '../failureReason';
import { isTransferError, type ConflictPolicy, type ResolvedObject } from '../transfer';
import { decide, type Base, type ConflictKind, type FetchReason, type Occupant } from './decide';
import { localState, occupied, sha1OfFile, stampOf, type LocalState } from './localFiles';
import { absolutePath, relativePath, type MirroredFile, type MirrorManifest } from './manifest';
import { ManifestKeeper } from './manifestKeeper';
import { MirrorProgressTracker, TaskQueue } from './progress';
import { walkRemote, type RemoteFile, type RemoteListing, type WalkResult } from './remoteTree';
import { MirrorSigner } from './signer';
import type { MirrorCounts, MirrorFileEvent, MirrorFileStatus, MirrorOptions, MirrorReport } from './types';

/** Files downloaded at once by default: a small file is mostly round trips (signing, then storage), so many overlap; storage connections stay capped by the engine. */
export const MIRROR_FILES_AT_ONCE = 32;

type Task =
  | { kind: 'fetch'; remote: RemoteFile; reason: FetchReason; conflict?: { kind: ConflictKind; policy: ConflictPolicy; base?: Base } }
  | { kind: 'check'; remote: RemoteFile };

interface Conflict {
  remote: RemoteFile;
  kind: ConflictKind;
  base?: Base;
}

const STATUSES: ReadonlyArray<MirrorFileStatus | 'unchanged'> = [
  'fetched', 'updated', 'restored', 'adopted', 'moved', 'renamed', 'changed-locally', 'conflict', 'removed-remotely', 'deleted', 'no-file', 'failed', 'unchanged',
];

export class MirrorRun {
  private readonly started = performance.now();
  private readonly startedAt = new Date().toISOString();
  private readonly files: Map<string, MirroredFile>;
  private readonly byItem = new Map<string, string>();
  private readonly folderPaths = new Map<string, string>();
  private readonly previousFolders: Record<string, string>;
  private readonly seen = new Set<string>();
  private readonly counts = Object.fromEntries(STATUSES.map((status) => [status, 0])) as MirrorCounts;
  private readonly events: MirrorFileEvent[] = [];
  private readonly conflicts: Conflict[] = [];
  private readonly stop = new AbortController();
  private readonly signal: AbortSignal;
  private readonly signer: MirrorSigner;
  private readonly keeper: ManifestKeeper;
  private readonly progress: MirrorProgressTracker;
  private stopped?: 'cancelled' | 'no-space';
  private bytes = 0;
  private unlisted: WalkResult['failures'] = [];

  constructor(
    private readonly root: string,
    private readonly manifest: MirrorManifest,
    private readonly options: MirrorOptions,
  ) {
    this.files = new Map(Object.entries(manifest.files));
    this.previousFolders = manifest.folders;
    for (const [file, entry] of this.files) this.byItem.set(entry.itemId, file);
    for (const [folder, id] of Object.entries(manifest.folders)) this.folderPaths.set(id, folder);
    this.signal = options.signal ? AbortSignal.any([options.signal, this.stop.signal]) : this.stop.signal;
    // Every download and listing of the run listens to it.
    setMaxListeners(0, this.signal);
    this.signer = new MirrorSigner(options.services.oss);
    this.keeper = new ManifestKeeper(root, () => this.snapshot(), options.saveIntervalMs);
    this.progress = new MirrorProgressTracker(options.onProgress, options.progressIntervalMs);
  }

  /** The report; throws when the mirror could not start (the root would not list), keeping what landed before. */
  async run(): Promise<MirrorReport> {
    this.progress.start();
    let failure: { error: unknown } | undefined;
    try {
      await this.listAndFetch();
      this.progress.listing = false;
      if (!this.stopped) await this.settleConflicts();
      if (!this.stopped && this.unlisted.length === 0) await this.handleRemoved();
    } catch (error) {
      if (this.signal.aborted) this.stopped ??= 'cancelled';
      else failure = { error };
    } finally {
      this.progress.listing = false;
      this.progress.stop();
    }
    if (this.options.signal?.aborted) this.stopped ??= 'cancelled';
    const manifestError = await this.keeper.flush(failure ? undefined : this.summary()).then(
      () => undefined,
      (error: unknown) => (error as Error).message,
    );
    if (failure) throw failure.error;
    return this.report(manifestError);
  }

  // ── Phase 1: list, and download what changed while the listing goes on ──────────────────────────

  private async listAndFetch(): Promise<void> {
    const queue = new TaskQueue<Task>();
    const workers = queue.drain(this.options.concurrentFiles ?? MIRROR_FILES_AT_ONCE, (task) => this.execute(task));
    try {
      const walked = await walkRemote(this.options.services.dm, this.options.source, {
        signal: this.signal,
        previousPath: (id) => this.byItem.get(id) ?? this.folderPaths.get(id),
        onListing: (listing) => this.plan(listing, queue),
      });
      this.unlisted = walked.failures;
      this.manifest.folders = this.unlisted.length ? { ...this.manifest.folders, ...Object.fromEntries(walked.folders) } : Object.fromEntries(walked.folders);
    } finally {
      queue.close(this.signal.aborted);
      await workers;
    }
  }

  private async plan(listing: RemoteListing, queue: TaskQueue<Task>): Promise<void> {
    // Every remote folder has its local one, empty ones too.
    await fsp.mkdir(absolutePath(this.root, listing.path || '.'), { recursive: true });
    for (const collision of listing.collisions) this.emit({ status: 'renamed', path: collision.path, remotePath: collision.remotePath, other: collision.collidesWith });
    // A listing's files are decided first and queued together, so a batch can sign up to 25 of them at once.
    const tasks: Task[] = [];
    for (const remote of listing.files) {
      this.signal.throwIfAborted();
      this.seen.add(remote.itemId);
      this.progress.listedFiles++;
      const base = await this.baseOf(this.byItem.get(remote.itemId));
      const occupant = base?.path === remote.path ? ({ kind: 'free' } as const) : await this.occupantOf(remote.path);
      const decision = decide(remote, base, occupant);
      switch (decision.kind) {
        case 'unchanged':
          this.counts.unchanged++;
          this.restamp(base as Base);
          break;
        case 'fetch':
          this.schedule(tasks, { kind: 'fetch', remote, reason: decision.reason });
          break;
        case 'move':
          await this.move(remote, base as Base, decision.fetch, tasks);
          break;
        case 'check':
          this.schedule(tasks, { kind: 'check', remote });
          break;
        case 'changed-locally':
          this.emit({ status: 'changed-locally', path: remote.path, remotePath: remote.remotePath, versionNumber: remote.versionNumber });
          break;
        case 'conflict':
          this.conflicts.push({ remote, kind: decision.conflict, base: decision.conflict === 'occupied' && occupant.kind === 'tracked' ? occupant.base : base });
          break;
        case 'kept-both':
          this.emit({ status: 'conflict', path: remote.path, remotePath: remote.remotePath, conflict: 'edited', settled: 'kept-both-before', versionNumber: remote.versionNumber, other: base?.file.pending?.copy?.path });
          break;
        case 'no-file':
          this.emit({ status: 'no-file', path: remote.path, remotePath: remote.remotePath });
      }
    }
    for (const task of tasks) queue.push(task);
  }

  /** A download (or a check) to do: announced to the signer, so a batch can include it, and to the progress. */
  private schedule(tasks: Task[], task: Task): void {
    if (task.remote.storage) this.signer.expect(task.remote.storage);
    if (task.kind === 'fetch') this.progress.planned(task.remote.size);
    tasks.push(task);
  }

  private async baseOf(at: string | undefined): Promise<Base | undefined> {
    const file = at === undefined ? undefined : this.files.get(at);
    if (at === undefined || !file) return undefined;
    return { path: at, file, local: await this.stateOf(at, file) };
  }

  private stateOf(at: string, file: MirroredFile): Promise<LocalState> {
    return localState(absolutePath(this.root, at), { localSize: file.localSize, localMtimeMs: file.localMtimeMs, sha1: file.sha1 }, this.signal);
  }

  private async occupantOf(at: string): Promise<Occupant> {
    const base = await this.baseOf(at);
    if (base) return { kind: 'tracked', base };
    return (await occupied(absolutePath(this.root, at))) ? { kind: 'untracked' } : { kind: 'free' };
  }

  /** A file saved again without a change (or copied back) gets its new stamp, so it is not hashed again. */
  private restamp(base: Base): void {
    if (base.local.kind !== 'unchanged') return;
    const { stamp } = base.local;
    if (stamp.localSize === base.file.localSize && stamp.localMtimeMs === base.file.localMtimeMs && !base.file.pending) return;
    const { pending: _dropped, ...file } = base.file;
    this.record(base.path, { ...file, ...stamp });
  }

  private async move(remote: RemoteFile, base: Base, fetch: boolean, tasks: Task[]): Promise<void> {
    const to = absolutePath(this.root, remote.path);
    try {
      await fsp.mkdir(path.dirname(to), { recursive: true });
      await fsp.rename(absolutePath(this.root, base.path), to);
    } catch {
      this.schedule(tasks, { kind: 'fetch', remote, reason: 'new' });
      return;
    }
    const stamp = (await stampOf(to)) ?? { localSize: base.file.localSize, localMtimeMs: base.file.localMtimeMs };
    this.record(remote.path, { ...base.file, name: remote.name, ...stamp });
    this.emit({ status: 'moved', path: remote.path, remotePath: remote.remotePath, other: base.path });
    if (fetch) this.schedule(tasks, { kind: 'fetch', remote, reason: 'updated' });
    else this.counts.unchanged++;
  }

  // ── Work: downloads and checks ───────────────────────────────────────────────────────────────

  private async execute(task: Task): Promise<void> {
    if (this.signal.aborted) return;
    try {
      if (task.kind === 'check') await this.check(task.remote);
      else await this.fetch(task);
    } catch (error) {
      this.failed(task.remote, error);
    }
  }

  private async fetch(task: Extract<Task, { kind: 'fetch' }>): Promise<void> {
    const { remote, conflict } = task;
    const target = absolutePath(this.root, remote.path);
    let resolved: ResolvedObject | undefined;
    const inner = this.signer.source(remote.storage!);
    const source = { identity: inner.identity, resolve: async (signal: AbortSignal) => (resolved = await inner.resolve(signal)) };
    const tracker = this.progress.begin();
    let size = 0;
    let ok = false;
    try {
      const result = await this.options.engine.download(source, target, {
        root: this.root,
        conflict: conflict?.policy === 'keepBoth' ? 'keepBoth' : 'overwrite',
        connections: this.options.connections,
        chunkSize: this.options.chunkSize,
        verifySha1: this.options.verifySha1,
        signal: this.signal,
        deleteOnCancel: this.options.deleteOnCancel,
        onProgress: (progress) => tracker.bytes(progress.transferredBytes),
      });
      size = result.size;
      ok = true;
      const stamp = (await stampOf(result.path)) ?? { localSize: result.size, localMtimeMs: Date.now() };
      const version = { versionId: remote.versionId, ...versionNumberOf(remote), size: result.size, ...sha1Of(result.sha1 ?? resolved?.sha1) };
      const written = relativePath(this.root, result.path);
      this.bytes += result.size;
      if (conflict?.kind === 'edited' && conflict.base && written !== remote.path) {
        this.record(conflict.base.path, { ...conflict.base.file, pending: { ...version, copy: { path: written, ...stamp } } });
      } else {
        this.record(written, { itemId: remote.itemId, name: remote.name, ...version, ...stamp });
      }
      this.emit({
        status: conflict ? 'conflict' : task.reason === 'new' ? 'fetched' : task.reason === 'restored' ? 'restored' : 'updated',
        path: conflict && written !== remote.path ? remote.path : written,
        remotePath: remote.remotePath,
        versionNumber: remote.versionNumber,
        size: result.size,
        ...sha1Of(version.sha1),
        ...(conflict ? { conflict: conflict.kind, settled: conflict.policy, ...(written !== remote.path ? { other: written } : conflict.kind === 'moved' && conflict.base ? { other: conflict.base.path } : {}) } : {}),
      });
    } finally {
      tracker.settle(ok, size);
    }
  }

  /** An untracked file at the path: the mirror's own when its size and SHA-1 are APS's, else a conflict. */
  private async check(remote: RemoteFile): Promise<void> {
    const file = absolutePath(this.root, remote.path);
    const stamp = await stampOf(file);
    if (!stamp && !(await occupied(file))) {
      this.progress.planned(remote.size);
      return this.fetch({ kind: 'fetch', remote, reason: 'new' });
    }
    if (stamp && (remote.size === undefined || stamp.localSize === remote.size)) {
      const resolved = await this.signer.source(remote.storage!).resolve(this.signal);
      if (resolved.sha1 && resolved.size === stamp.localSize && (await sha1OfFile(file, this.signal)) === resolved.sha1) {
        this.record(remote.path, { itemId: remote.itemId, name: remote.name, versionId: remote.versionId, ...versionNumberOf(remote), size: resolved.size, sha1: resolved.sha1, ...stamp });
        this.emit({ status: 'adopted', path: remote.path, remotePath: remote.remotePath, versionNumber: remote.versionNumber, size: resolved.size, sha1: resolved.sha1 });
        return;
      }
    }
    this.conflicts.push({ remote, kind: 'occupied' });
  }

  /**
   * A file that could not be mirrored; a full disk stops the run (every other file would fail the same way).
   * A file the mirror holds an older version of is marked as behind APS.
   */
  private failed(remote: RemoteFile, error: unknown): void {
    const diskFull = isTransferError(error, 'no-space') && !this.stopped;
    if (diskFull) {
      this.stopped = 'no-space';
      this.stop.abort(error);
    } else if (this.signal.aborted) return;
    const at = this.byItem.get(remote.itemId);
    const file = at === undefined ? undefined : this.files.get(at);
    if (at !== undefined && file && file.versionId !== remote.versionId && !file.pending) {
      this.record(at, { ...file, pending: { versionId: remote.versionId, ...versionNumberOf(remote), size: remote.size ?? 0 } });
    }
    // The engine names its partial file; the reason names what the user can act on.
    this.emit({ status: 'failed', path: remote.path, remotePath: remote.remotePath, error: diskFull ? 'not enough disk space' : failureReason(error), ...(diskFull ? { diskFull } : {}) });
  }

  // ── Phase 2: conflicts, settled by one answer ────────────────────────────────────────────────

  private async settleConflicts(): Promise<void> {
    if (this.conflicts.length === 0) return;
    const policy =
      (await this.options.decisions.conflicts(this.conflicts.map(({ remote, kind }) => ({ path: remote.path, remotePath: remote.remotePath, kind, versionNumber: remote.versionNumber })))) ?? 'skip';
    const tasks: Task[] = [];
    for (const conflict of this.conflicts) {
      const { remote, kind, base } = conflict;
      if (policy !== 'skip') {
        this.schedule(tasks, { kind: 'fetch', remote, reason: 'updated', conflict: { kind, policy, base } });
        continue;
      }
      if (kind === 'edited' && base) {
        this.record(base.path, { ...base.file, pending: { versionId: remote.versionId, ...versionNumberOf(remote), size: remote.size ?? 0 } });
      }
      this.emit({ status: 'conflict', path: remote.path, remotePath: remote.remotePath, conflict: kind, settled: 'skip', versionNumber: remote.versionNumber });
    }
    const queue = new TaskQueue<Task>();
    for (const task of tasks) queue.push(task);
    queue.close();
    await queue.drain(this.options.concurrentFiles ?? MIRROR_FILES_AT_ONCE, (task) => this.execute(task));
  }

  // ── Phase 3: files APS no longer has ──────────────────────────────────────────────────────────

  private async handleRemoved(): Promise<void> {
    await this.removeGoneFolders();
    const deletable: Array<{ at: string; file: MirroredFile }> = [];
    for (const [at, file] of [...this.files]) {
      if (this.seen.has(file.itemId)) continue;
      const state = await this.stateOf(at, file);
      if (state.kind === 'missing') {
        this.forget(at);
        this.emit({ status: 'removed-remotely', path: at });
      } else if (state.kind === 'changed') {
        this.emit({ status: 'removed-remotely', path: at, error: 'changed here: kept' });
      } else deletable.push({ at, file });
    }
    if (deletable.length === 0) return;
    if (!(await this.options.decisions.deleteRemoved(deletable.map(({ at }) => at)))) {
      for (const { at } of deletable) this.emit({ status: 'removed-remotely', path: at });
      return;
    }
    for (const { at, file } of deletable) {
      const copy = file.pending?.copy;
      if (copy && (await localState(absolutePath(this.root, copy.path), { ...copy, sha1: file.pending?.sha1 })).kind === 'unchanged') await this.remove(copy.path);
      await this.remove(at);
      this.forget(at);
      this.emit({ status: 'deleted', path: at });
    }
  }

  /** Local folders of APS folders that are gone, when nothing is left in them. */
  private async removeGoneFolders(): Promise<void> {
    const listed = new Set(Object.keys(this.manifest.folders));
    const gone = Object.keys(this.previousFolders).filter((folder) => folder !== '' && !listed.has(folder));
    for (const folder of gone.sort((a, b) => b.length - a.length)) await fsp.rmdir(absolutePath(this.root, folder)).catch(() => undefined);
  }

  /** Deletes a file the mirror wrote, and the folders that leaves empty (never the root). */
  private async remove(at: string): Promise<void> {
    const file = absolutePath(this.root, at);
    await fsp.unlink(file).catch(() => undefined);
    for (let folder = path.dirname(file); folder !== this.root && folder.startsWith(this.root); folder = path.dirname(folder)) {
      if (!(await fsp.rmdir(folder).then(() => true, () => false))) break;
    }
  }

  // ── The record ───────────────────────────────────────────────────────────────────────────────

  private record(at: string, file: MirroredFile): void {
    const previous = this.byItem.get(file.itemId);
    if (previous !== undefined && previous !== at) this.files.delete(previous);
    const occupant = this.files.get(at);
    if (occupant && occupant.itemId !== file.itemId) this.byItem.delete(occupant.itemId);
    this.files.set(at, file);
    this.byItem.set(file.itemId, at);
    this.keeper.changed();
  }

  private forget(at: string): void {
    const file = this.files.get(at);
    if (!file) return;
    this.files.delete(at);
    if (this.byItem.get(file.itemId) === at) this.byItem.delete(file.itemId);
    this.keeper.changed();
  }

  private snapshot(): MirrorManifest {
    this.manifest.files = Object.fromEntries(this.files);
    return this.manifest;
  }

  private emit(event: MirrorFileEvent): void {
    this.counts[event.status]++;
    this.events.push(event);
    try {
      this.options.onFile?.(event);
    } catch {
      // A failing consumer must not stop the mirror.
    }
  }

  private summary(): MirrorManifest['lastRun'] {
    const { counts } = this;
    return {
      startedAt: this.startedAt,
      finishedAt: new Date().toISOString(),
      complete: this.isComplete(),
      fetched: counts.fetched + counts.updated + counts.restored,
      bytes: this.bytes,
      unchanged: counts.unchanged + counts.adopted + counts.moved,
      changedLocally: counts['changed-locally'],
      conflicts: counts.conflict,
      removedRemotely: counts['removed-remotely'],
      deleted: counts.deleted,
      failed: counts.failed,
    };
  }

  private isComplete(): boolean {
    return !this.stopped && this.unlisted.length === 0 && this.counts.failed === 0;
  }

  private report(manifestError: string | undefined): MirrorReport {
    return {
      root: this.root,
      source: this.options.source,
      counts: this.counts,
      bytes: this.bytes,
      events: this.events,
      complete: this.isComplete(),
      unlisted: this.unlisted.map(({ path: at, error }) => ({ path: at, reason: failureReason(error) })),
      ...(this.stopped ? { stopped: this.stopped } : {}),
      batches: { signed: this.signer.stats.batches, refused: this.signer.stats.refused },
      seconds: (performance.now() - this.started) / 1000,
      ...(manifestError ? { manifestError } : {}),
    };
  }
}

function versionNumberOf(remote: RemoteFile): { versionNumber?: number } {
  return remote.versionNumber !== undefined ? { versionNumber: remote.versionNumber } : {};
}

function sha1Of(sha1: string | undefined): { sha1?: string } {
  return sha1 ? { sha1: sha1.toLowerCase() } : {};
}
