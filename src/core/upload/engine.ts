// The upload engine: plans an upload (nothing written), then runs the plan: folders first (made or reused),
// then the files, a few at a time, each one's parts in parallel, each ending as one item or one version.
import { readdir } from 'node:fs/promises';
import type { Dispatcher } from 'undici';
import type { DataManagementClient } from '../dm/dataManagement';
import type { Item } from '../dm/models';
import type { DataManagementWrites } from '../dm/writes';
import { failureReason } from '../failureReason';
import { Limiter } from '../http/limiter';
import type { ProxySettings } from '../http/proxy';
import type { SignedUpload } from '../oss/signedUpload';
import { formatNamesPath } from '../remote/address';
import { nodeFs, type TransferFs } from '../transfer/disk/fileSystem';
import { PartLock } from '../transfer/disk/partLock';
import { isTransferError, TransferError } from '../transfer/errors';
import { createStorageAgent } from '../transfer/http/agent';
import { AggregateProgressTracker, FileProgressTracker } from '../transfer/progress';
import { BufferPool } from './bufferPool';
import { DEFAULT_ENGINE_CONNECTIONS, MAX_CONNECTIONS, UPLOAD_READ_BYTES, uploadSettings, type UploadSettings } from '../transfer/settings';
import type { FileProgress, TransferLog } from '../transfer/types';
import { commitUpload, ensureFolder, type CommitContext, type CommitIntent } from './commit';
import { defaultJournalDir, JournalStore, type JournalKey } from './journal';
import { nodeUploadFs, type UploadFs } from './localFiles';
import { pathKey } from './names';
import { ObjectUpload, type UploadContext } from './objectUpload';
import { BUFFERS_PER_PART } from './partPut';
import { planUpload } from './plan';
import type { ConflictChoice, PlanOptions, UploadFile, UploadPlan, UploadRunOptions, UploadRunResult, UploadTarget } from './types';

/** The APS calls an upload makes (ApsServices has them all). */
export interface UploadServices {
  readonly dm: Pick<DataManagementClient, 'listFolderContents' | 'getTip' | 'listVersions'>;
  readonly writes: Pick<DataManagementWrites, 'createStorage' | 'createItem' | 'createVersion' | 'createFolder'>;
  readonly signedUpload: Pick<SignedUpload, 'uploadUrls' | 'complete' | 'objectDetails'>;
}

export interface UploadEngineOptions {
  /** Where the resume journals live (default `defaultJournalDir()`, shared by the extension and the command line). */
  readonly journalDir?: string;
  /** Cap on storage connections across all uploads of this engine (default 16). */
  readonly maxConnections?: number;
  /** Storage dispatcher; default an HTTP/1.1 undici Agent owned (and closed) by the engine. */
  readonly dispatcher?: Dispatcher;
  /** Proxy for that default Agent (as the API client's); undefined: no proxy. */
  readonly proxy?: ProxySettings;
  /** Local reads (a seam for tests). */
  readonly fs?: UploadFs;
  /** Where journals and locks are written (a seam for tests). */
  readonly journalFs?: TransferFs;
  readonly log?: TransferLog;
}


/** Uploads local files and folders into APS: resumable, verified, never duplicated. No VS Code dependency. */
export class UploadEngine {
  readonly dispatcher: Dispatcher;
  readonly journalDir: string;
  private readonly ownsDispatcher: boolean;
  private readonly context: UploadContext;
  private readonly journalFs: TransferFs;
  private swept = false;

  constructor(
    private readonly services: UploadServices,
    options: UploadEngineOptions = {},
  ) {
    const cap = Math.max(1, Math.floor(options.maxConnections ?? DEFAULT_ENGINE_CONNECTIONS));
    this.ownsDispatcher = options.dispatcher === undefined;
    this.dispatcher = options.dispatcher ?? createStorageAgent({ connectionsPerOrigin: Math.max(cap, MAX_CONNECTIONS), proxy: options.proxy });
    this.journalDir = options.journalDir ?? defaultJournalDir();
    this.journalFs = options.journalFs ?? nodeFs;
    this.context = {
      dispatcher: this.dispatcher,
      limiter: new Limiter(cap),
      buffers: new BufferPool(UPLOAD_READ_BYTES, BUFFERS_PER_PART * cap),
      fs: options.fs ?? nodeUploadFs,
      journals: new JournalStore(this.journalDir, this.journalFs),
      writes: services.writes,
      oss: services.signedUpload,
      log: options.log ?? (() => undefined),
    };
  }

  /**
   * What uploading `sources` (local files and folders) into `target` will do, asking `onConflict` about each
   * taken name under 'ask'. Lists the target folder and its existing subfolders; writes nothing.
   */
  plan(sources: readonly string[], target: UploadTarget, options: PlanOptions = {}): Promise<UploadPlan> {
    return planUpload(this.services.dm, this.context.fs, sources, target, options);
  }

  /**
   * Runs a plan: its folders, then its files (`concurrentFiles` at a time). A failing file is recorded in the
   * plan (state, error) and the rest go on. Running the plan again (after a cancel, a failure or a reload) leaves
   * the uploaded and skipped files alone and tries the others again, each resumed from its journal.
   */
  async run(plan: UploadPlan, options: UploadRunOptions = {}): Promise<UploadRunResult> {
    const settings = uploadSettings(options);
    const signal = options.signal ?? new AbortController().signal;
    await this.sweepOnce();
    for (const folder of plan.folders) delete folder.error;
    try {
      await this.makeFolders(plan, settings, options, signal);
    } catch (error) {
      if (!signal.aborted) throw error;
    }

    const sending = (file: UploadFile) => file.action === 'new-item' || file.action === 'new-version';
    for (const file of plan.files) {
      if (file.state === 'failed' && sending(file)) {
        file.state = 'pending';
        delete file.error;
      }
      if (file.state !== 'pending') continue;
      if (file.action === 'skip') settle(file, 'skipped', options);
      else if (file.action === 'refused') settle(file, 'failed', options, file.reason);
      else {
        const blocked = plan.folders.find((folder) => (folder.refused ?? folder.error) && pathKey(folder.path) === pathKey(file.folder.slice(0, folder.path.length)));
        if (blocked) settle(file, 'failed', options, `"${file.localPath}" was not uploaded: ${blocked.refused ?? blocked.error}`);
      }
    }
    const queue = plan.files.filter((file) => file.state === 'pending');
    const aggregate = new AggregateProgressTracker(queue.length, options.onProgress, settings.progressIntervalMs);
    // The overall total is known from the start: each file's size as planned, until it is read again.
    queue.forEach((file, index) => aggregate.update(index, { identity: file.localPath, path: file.name, phase: 'queued', totalBytes: file.size, transferredBytes: 0, bytesPerSecond: 0 }));
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < queue.length && !signal.aborted) {
        const index = next++;
        await this.runFile(plan, queue[index], settings, options, signal, (progress) => {
          aggregate.update(index, progress.totalBytes === undefined ? { ...progress, totalBytes: queue[index].size } : progress);
          options.onFileProgress?.(queue[index], progress);
        });
      }
    };
    aggregate.start();
    try {
      await Promise.all(Array.from({ length: Math.min(settings.concurrentFiles, Math.max(1, queue.length)) }, worker));
    } finally {
      aggregate.stop();
    }
    const having = (state: UploadFile['state']) => plan.files.filter((file) => file.state === state);
    return { plan, uploaded: having('uploaded'), skipped: having('skipped'), failed: having('failed'), cancelled: signal.aborted };
  }

  async close(): Promise<void> {
    if (this.ownsDispatcher) await this.dispatcher.close();
  }

  /** New folders, parents first; one that cannot be made is refused with its reason, and so are its files. */
  private async makeFolders(plan: UploadPlan, settings: UploadSettings, options: UploadRunOptions, signal: AbortSignal): Promise<void> {
    const ctx = this.commitContext(plan.target, settings, signal);
    const byPath = new Map(plan.folders.map((folder) => [pathKey(folder.path), folder]));
    for (const folder of plan.folders) {
      signal.throwIfAborted();
      if (folder.refused || folder.id) continue;
      const parent = folder.path.length > 1 ? byPath.get(pathKey(folder.path.slice(0, -1))) : undefined;
      if (parent && !parent.id) {
        folder.error = parent.refused ?? parent.error ?? `its folder "${parent.path.at(-1)}" could not be made.`;
        continue;
      }
      const name = folder.path.at(-1) as string;
      try {
        const made = await ensureFolder(ctx, parent?.id ?? plan.target.folderId, name);
        folder.id = made.id;
        options.onFolderReady?.(folder);
      } catch (error) {
        if (signal.aborted) throw signal.reason;
        folder.error = `the folder "${formatNamesPath([...plan.target.names, ...folder.path])}" could not be made: ${failureReason(error)}`;
      }
    }
  }

  private async runFile(plan: UploadPlan, file: UploadFile, settings: UploadSettings, options: UploadRunOptions, signal: AbortSignal, onProgress: (progress: FileProgress) => void): Promise<void> {
    const { target } = plan;
    const folderId = file.folder.length === 0 ? target.folderId : (plan.folders.find((folder) => pathKey(folder.path) === pathKey(file.folder))?.id as string);
    const remote = formatNamesPath([...target.names.slice(0, target.item ? -1 : undefined), ...file.folder, file.name]);
    const progress = new FileProgressTracker(file.localPath, remote, onProgress, settings.progressIntervalMs);
    const key: JournalKey = { localPath: file.localPath, projectId: target.projectId, folderId, name: file.name };
    let lock: PartLock | undefined;
    try {
      await this.journalFs.mkdir(this.journalDir);
      lock = await this.lock(key, remote, settings.lockWaitMs, signal);
      const stored = await new ObjectUpload(this.context, key, settings, progress, signal).run();
      const { journal } = stored;
      progress.setPhase('finalizing');
      const intent: CommitIntent = {
        action: file.action as CommitIntent['action'],
        folderId,
        name: file.name,
        storageUrn: journal.storage.urn,
        ...(file.itemId ? { itemId: file.itemId } : {}),
        ...(file.basedOn ? { basedOn: file.basedOn } : {}),
      };
      const posted = journal.commit ? { ...intent, ...journal.commit } : undefined;
      const committed = await commitUpload(this.commitContext(target, settings, signal), intent, {
        beforePost: (next) => this.context.journals.write({ ...journal, commit: { action: next.action, name: next.name, ...(next.itemId ? { itemId: next.itemId } : {}) } }),
        onConflict: (existing) => this.lateConflict(plan, file, existing, options, signal),
      }, posted);
      await this.context.journals.remove(key).catch(() => undefined);
      if (!committed) {
        progress.setPhase('skipped');
        settle(file, 'skipped', options);
        return;
      }
      const { action, ...made } = committed;
      file.name = made.name;
      file.action = action;
      if (action === 'new-version') file.itemId = made.itemId;
      else delete file.itemId;
      file.result = { ...made, size: journal.completed.size, sha1: journal.completed.sha1, resumedBytes: stored.resumedBytes };
      progress.setPhase('done');
      this.context.log('info', `Uploaded ${file.localPath} to ${remote} (${journal.completed.size} bytes, version ${committed.versionNumber ?? '?'}${committed.adopted ? ', found already made' : ''}).`);
      settle(file, 'uploaded', options);
    } catch (error) {
      if (signal.aborted) {
        progress.setPhase('cancelled');
        return;
      }
      progress.setPhase('failed');
      this.context.log('error', `Upload of ${file.localPath} failed: ${failureReason(error)}`);
      settle(file, 'failed', options, failureReason(error));
    } finally {
      progress.dispose();
      await lock?.release();
    }
  }

  /** A name taken after the plan: the file's decision, the plan's policy, or (for 'ask') the callback. */
  private async lateConflict(plan: UploadPlan, file: UploadFile, existing: Item, options: UploadRunOptions, signal: AbortSignal): Promise<ConflictChoice> {
    const policy = file.conflict ?? plan.conflict;
    if (policy !== 'ask') return policy;
    if (!options.onConflict) return 'skip';
    const tip = existing.tip;
    return options.onConflict(
      {
        file,
        existing: { id: existing.id, name: existing.name, ...(tip?.versionNumber !== undefined ? { versionNumber: tip.versionNumber } : {}), ...(tip?.storageSize !== undefined ? { size: tip.storageSize } : {}) },
        folderNames: [...plan.target.names, ...file.folder],
      },
      signal,
    );
  }

  /** One run at a time per file and place, across processes (the extension, the command line). */
  private async lock(key: JournalKey, remote: string, waitMs: number, signal: AbortSignal): Promise<PartLock> {
    try {
      return await PartLock.acquire(this.journalFs, `${this.context.journals.pathOf(key)}.lock`, key.localPath, waitMs, signal);
    } catch (error) {
      if (!isTransferError(error, 'busy')) throw error;
      throw new TransferError('busy', `"${key.localPath}" is already being uploaded to ${remote} by another run; try again when it has finished.`, { cause: error });
    }
  }

  private commitContext(target: UploadTarget, settings: UploadSettings, signal: AbortSignal): CommitContext {
    return { dm: this.services.dm, writes: this.services.writes, projectId: target.projectId, kind: target.kind, retry: settings.retry, signal };
  }

  private async sweepOnce(): Promise<void> {
    if (this.swept) return;
    this.swept = true;
    await this.context.journals.sweep((dir) => readdir(dir));
  }
}

function settle(file: UploadFile, state: 'uploaded' | 'skipped' | 'failed', options: UploadRunOptions, error?: string): void {
  file.state = state;
  if (error !== undefined) file.error = error;
  try {
    options.onFileSettled?.(file);
  } catch {
    // A failing listener must not stop the upload.
  }
}
