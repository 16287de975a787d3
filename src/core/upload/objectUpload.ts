// The bytes of one local file into one storage object: POST storage, parts in parallel from disk under one
// OSS upload session (resumed from the journal), completion, and the object's size and SHA-1 checked against
// the local file before anything in APS points at it.
import type { Dispatcher } from 'undici';
import type { DataManagementWrites } from '../dm/writes';
import { uploadRefusalOf } from '../dm/uploadRefusals';
import { isApsError } from '../http/apsError';
import { delay, linkedController, runWorkers } from '../http/delay';
import type { Limiter } from '../http/limiter';
import { backoffDelay, errorCodeOf } from '../http/retryPolicy';
import { MIN_PART_BYTES, planParts, type ObjectDetails, type SignedUpload } from '../oss/signedUpload';
import type { TransferFile } from '../transfer/disk/fileSystem';
import type { BufferPool } from './bufferPool';
import { TrailingSha1 } from '../transfer/disk/verify';
import { RestartRequired, TransferError } from '../transfer/errors';
import type { FileProgressTracker } from '../transfer/progress';
import { MIB, type UploadSettings } from '../transfer/settings';
import type { TransferLog } from '../transfer/types';
import type { JournalKey, JournalStore, UploadJournalData } from './journal';
import { localProblem, type UploadFs } from './localFiles';
import { LocalFileShrank, PartRetry, PartUrlRefused, putPart, UploadSessionGone } from './partPut';
import { PartUrls, type UploadSession } from './partUrls';
import { isUncertain, tryAgain } from './uncertain';

/** A part's signed URL refused this many times in a row (each time signed afresh) ends the upload. */
const MAX_URL_REFUSALS = 3;

/** What the uploads of one engine share. */
export interface UploadContext {
  readonly dispatcher: Dispatcher;
  /** Storage connections across all uploads. */
  readonly limiter: Limiter;
  /** Read buffers for part bodies (UPLOAD_READ_BYTES each). */
  readonly buffers: BufferPool;
  readonly fs: UploadFs;
  readonly journals: JournalStore;
  readonly writes: Pick<DataManagementWrites, 'createStorage'>;
  readonly oss: Pick<SignedUpload, 'uploadUrls' | 'complete' | 'objectDetails'>;
  readonly log: TransferLog;
}

export interface StoredObject {
  readonly journal: UploadJournalData & { readonly completed: { size: number; sha1: string } };
  /** Bytes an earlier run had sent. */
  readonly resumedBytes: number;
}

/**
 * Parts that its connections share evenly (so they end together), each at most `maxPartBytes` and, but the
 * last, at least 5 MiB, in whole MiB; grown when 10,000 parts would not hold the file.
 */
export function partLayout(size: number, connections: number, maxPartBytes: number): { partSize: number; count: number } {
  const fewest = Math.max(1, Math.ceil(size / Math.max(MIN_PART_BYTES, maxPartBytes)));
  const count = Math.ceil(fewest / connections) * connections;
  return planParts(size, Math.ceil(size / count / MIB) * MIB);
}

/** The upload must begin again: under a new session (`fresh: false`) or into new storage (`fresh: true`). */
class StartOver extends Error {
  constructor(
    readonly reason: string,
    readonly fresh: boolean,
  ) {
    super(reason);
  }
}

/** One file's bytes into storage reserved for it in `key.folderId`, resumed from its journal when there is one. */
export class ObjectUpload {
  private journal?: UploadJournalData;
  private journalWrites: Promise<void> = Promise.resolve();
  private resumedBytes = 0;

  constructor(
    private readonly context: UploadContext,
    private readonly key: JournalKey,
    private readonly settings: UploadSettings,
    private readonly progress: FileProgressTracker,
    private readonly signal: AbortSignal,
  ) {}

  private get name(): string {
    return this.key.name;
  }

  async run(): Promise<StoredObject> {
    this.journal = await this.context.journals.read(this.key);
    if (this.journal) this.resumedBytes = this.sentBefore(this.journal);
    for (let restarts = 0; ; restarts++) {
      try {
        return await this.attempt();
      } catch (error) {
        if (!(error instanceof StartOver)) throw error;
        if (restarts >= this.settings.maxRestarts) {
          throw new TransferError(error.fresh ? 'object-changed' : 'retries-exhausted', `"${this.key.localPath}" was not uploaded: ${error.reason} (gave up after ${restarts} restarts).`);
        }
        this.context.log('warn', `Starting the upload of ${this.key.localPath} again: ${error.reason}`);
        const journal = this.journal;
        this.resumedBytes = 0;
        if (error.fresh || !journal) await this.forgetJournal();
        else await this.record({ ...journal, uploadKey: undefined, uploadExpiresAt: undefined, parts: [] });
      }
    }
  }

  private async attempt(): Promise<StoredObject> {
    const { fs } = this.context;
    this.progress.setPhase('resolving');
    const local = await this.localStep(() => fs.stat(this.key.localPath));
    let journal = this.journal;
    if (journal && (journal.local.size !== local.size || journal.local.mtimeMs !== local.mtimeMs)) {
      this.context.log('info', `${this.key.localPath} changed since its upload began: sending it afresh.`);
      await this.forgetJournal();
      journal = undefined;
    }
    this.progress.setTotal(local.size);
    if (journal?.completed) {
      this.progress.startAttempt(local.size);
      return { journal: journal as StoredObject['journal'], resumedBytes: this.resumedBytes };
    }
    if (!journal) {
      this.resumedBytes = 0;
      const storage = await tryAgain(this.settings.retry, this.signal, isUncertain, () =>
        this.context.writes.createStorage(this.key.projectId, { folderId: this.key.folderId, name: this.name }, { signal: this.signal }),
      );
      const { partSize, count } = partLayout(local.size, this.settings.connections, this.settings.maxPartBytes);
      journal = {
        version: 1,
        key: this.key,
        local: { size: local.size, mtimeMs: local.mtimeMs },
        storage: { bucketKey: storage.bucketKey, objectKey: storage.objectKey, urn: storage.urn },
        partSize,
        partCount: count,
        parts: [],
      };
      await this.record(journal);
    } else if (journal.parts.length > 0) {
      this.context.log('info', `Resuming ${this.key.localPath}: ${journal.parts.length} of ${journal.partCount} parts are in storage already.`);
    }
    const file = await this.localStep(() => fs.open(this.key.localPath));
    const hasher = new TrailingSha1(file, local.size, this.signal);
    try {
      hasher.advance(local.size);
      await this.sendParts(file, journal, local.size);
      await this.expectUnchanged(local);
      this.progress.setPhase('verifying');
      const details = await this.complete(this.journal as UploadJournalData);
      const sha1 = await hasher.digest().catch((error: unknown) => {
        throw error instanceof RestartRequired ? new StartOver(`${this.key.localPath} changed while it was sent`, true) : error;
      });
      await this.expectUnchanged(local);
      if (details.size !== local.size || (details.sha1 !== undefined && details.sha1.toLowerCase() !== sha1)) {
        throw new StartOver(`Autodesk holds ${details.size} bytes with SHA-1 ${details.sha1 ?? '(not given)'} for it, the file has ${local.size} bytes with SHA-1 ${sha1}`, true);
      }
      const completed = { ...(this.journal as UploadJournalData), completed: { size: local.size, sha1 } };
      await this.record(completed);
      return { journal: completed, resumedBytes: this.resumedBytes };
    } finally {
      await hasher.stop();
      await file.close().catch(() => undefined);
    }
  }

  /** Sends every part the journal does not have, `connections` at a time, each recorded as storage takes it. */
  private async sendParts(file: TransferFile, journal: UploadJournalData, size: number): Promise<void> {
    const done = new Map(journal.parts);
    const missing = Array.from({ length: journal.partCount }, (_, index) => index + 1).filter((part) => !done.has(part));
    const lengthOf = (part: number) => Math.max(0, Math.min(journal.partSize, size - (part - 1) * journal.partSize));
    let confirmed = [...done.keys()].reduce((sum, part) => sum + lengthOf(part), 0);
    let inFlight = 0;
    this.progress.startAttempt(confirmed);
    this.progress.setPhase('uploading');
    if (missing.length === 0) return;

    const { controller: group, unlink } = linkedController(this.signal);
    const urls = new PartUrls(this.context.oss, journal.storage, this.name, journal.partCount, journal.uploadKey ? { uploadKey: journal.uploadKey, uploadExpiresAt: journal.uploadExpiresAt } : undefined, (session) => this.openedSession(session), group.signal);
    let next = 0;
    const worker = async () => {
      while (next < missing.length && !group.signal.aborted) {
        const release = await this.context.limiter.acquire(group.signal);
        try {
          const part = missing[next++];
          if (part === undefined) return;
          let sent = 0;
          const etag = await this.sendPart(urls, file, part, (part - 1) * journal.partSize, lengthOf(part), group.signal, {
            sent: (bytes) => {
              sent += bytes;
              inFlight += bytes;
              this.progress.addWritten(bytes);
            },
            lost: () => {
              // A part sent again counts again from zero; the shown progress holds meanwhile.
              inFlight -= sent;
              sent = 0;
              this.progress.startAttempt(confirmed + inFlight);
            },
          });
          inFlight -= sent;
          confirmed += lengthOf(part);
          done.set(part, etag ?? '');
          await this.record({ ...(this.journal as UploadJournalData), parts: [...done].sort((a, b) => a[0] - b[0]) });
        } finally {
          release();
        }
      }
    };
    try {
      await runWorkers(Math.max(1, Math.min(this.settings.connections, missing.length)), group, worker);
    } finally {
      unlink();
      // A cancel wins over the failure it may have caused.
      this.signal.throwIfAborted();
    }
  }

  /** One part, sent again after resets, stalls, 5xx and 429 (with backoff) and after a refused URL (signed afresh). */
  private async sendPart(urls: PartUrls, file: TransferFile, part: number, start: number, length: number, signal: AbortSignal, count: { sent(bytes: number): void; lost(): void }): Promise<string | undefined> {
    let failures = 0;
    let refusals = 0;
    for (;;) {
      signal.throwIfAborted();
      let url: string | undefined;
      try {
        url = await urls.urlFor(part);
        const { dispatcher, buffers } = this.context;
        return await putPart({ dispatcher, buffers, url, file, start, length, partNumber: part, name: this.name, signal, stallTimeoutMs: this.settings.stallTimeoutMs, onSent: count.sent });
      } catch (error) {
        count.lost();
        if (signal.aborted) throw signal.reason;
        if (error instanceof UploadSessionGone) throw new StartOver(error.message, false);
        if (error instanceof LocalFileShrank) throw new StartOver(error.message, true);
        if (error instanceof PartUrlRefused && url !== undefined) {
          if (++refusals > MAX_URL_REFUSALS) throw new TransferError(error.expired ? 'url-expired' : 'access-denied', `${error.message} It was signed again ${MAX_URL_REFUSALS} times, in vain.`);
          this.context.log('info', `Signing part ${part} of ${this.name} again: ${error.message}`);
          urls.forget(part, url);
          continue;
        }
        if (!(error instanceof PartRetry)) throw error;
        if (++failures > this.settings.retry.attempts) {
          throw new TransferError('retries-exhausted', `Part ${part} of "${this.name}" failed ${failures} times: ${error.message}`, { cause: error });
        }
        const wait = error.retryAfterMs !== undefined ? Math.min(error.retryAfterMs, this.settings.retry.maxRetryAfterMs) : backoffDelay(failures - 1, this.settings.retry);
        this.context.log('debug', `Sending part ${part} of ${this.name} again in ${wait} ms: ${error.message}`);
        await delay(wait, signal);
      }
    }
  }

  /**
   * POST signeds3upload, needed even for one part. Its answer may be lost: then, and when OSS no longer knows the
   * key, the object's details say whether it was assembled; sent again only when it was not.
   */
  private async complete(journal: UploadJournalData): Promise<ObjectDetails> {
    const { oss } = this.context;
    const location = journal.storage;
    const size = journal.local.size;
    const tags = journal.parts.map(([, etag]) => etag);
    const request = { uploadKey: journal.uploadKey as string, size, ...(tags.every((tag) => tag !== '') ? { eTags: tags } : {}) };
    const assembled = async (): Promise<ObjectDetails | undefined> => {
      const details = await tryAgain(this.settings.retry, this.signal, isUncertain, () => oss.objectDetails(location, { signal: this.signal, name: this.name })).catch((error: unknown) => {
        if (isApsError(error) && error.status === 404) return undefined;
        throw error;
      });
      return details && details.size === size ? details : undefined;
    };
    return tryAgain(this.settings.retry, this.signal, (error) => error instanceof CompletionUnknown, async () => {
      try {
        await oss.complete(location, request, { signal: this.signal, name: this.name });
      } catch (error) {
        const refusal = uploadRefusalOf(error);
        if (!isUncertain(error) && refusal !== 'UPLOAD_EXPIRED') {
          if (isApsError(error) && error.status === 400 && refusal !== 'PART_TOO_SMALL') throw new StartOver(`Autodesk would not assemble the parts: ${error.userMessage}`, false);
          throw error;
        }
        const found = await assembled();
        if (found) return found;
        if (refusal === 'UPLOAD_EXPIRED') throw new StartOver(`the upload session expired before it was completed`, false);
        throw new CompletionUnknown(error);
      }
      const details = await assembled();
      if (!details) throw new StartOver('the completed object is not in storage with its size', false);
      return details;
    }).catch((error: unknown) => {
      throw error instanceof CompletionUnknown ? error.cause : error;
    });
  }

  /** A read of the local file; its failure as a sentence naming the file (gone, unreadable). */
  private async localStep<T>(step: () => Promise<T>): Promise<T> {
    try {
      return await step();
    } catch (error) {
      const code = errorCodeOf(error) === 'ENOENT' ? 'not-found' : errorCodeOf(error) === 'EACCES' || errorCodeOf(error) === 'EPERM' ? 'file-access-denied' : 'io';
      throw new TransferError(code, localProblem(this.key.localPath, error), { cause: error });
    }
  }

  private async openedSession(session: UploadSession): Promise<void> {
    await this.record({ ...(this.journal as UploadJournalData), uploadKey: session.uploadKey, uploadExpiresAt: session.uploadExpiresAt, parts: [] });
  }

  private async expectUnchanged(before: { size: number; mtimeMs: number }): Promise<void> {
    const now = await this.context.fs.stat(this.key.localPath);
    if (now.size !== before.size || now.mtimeMs !== before.mtimeMs) throw new StartOver(`${this.key.localPath} changed while it was sent`, true);
  }

  /** The journal as it is now, written in order (a failed write is logged: it only costs a resume some parts). */
  private record(journal: UploadJournalData): Promise<void> {
    this.journal = journal;
    this.journalWrites = this.journalWrites.then(() =>
      this.context.journals.write(journal).catch((error: unknown) => this.context.log('warn', `Could not update the upload journal of ${this.key.localPath}: ${(error as Error).message}`)),
    );
    return this.journalWrites;
  }

  private async forgetJournal(): Promise<void> {
    this.journal = undefined;
    this.resumedBytes = 0;
    await this.journalWrites;
    await this.context.journals.remove(this.key).catch(() => undefined);
  }

  private sentBefore(journal: UploadJournalData): number {
    if (journal.completed) return journal.completed.size;
    return journal.parts.reduce((sum, [part]) => sum + Math.max(0, Math.min(journal.partSize, journal.local.size - (part - 1) * journal.partSize)), 0);
  }
}

/** The completion's answer was lost and the object is not (yet) there: ask again. */
class CompletionUnknown extends Error {
  constructor(cause: unknown) {
    super('the completion of the upload is not confirmed', { cause });
  }
}
