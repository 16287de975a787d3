import * as path from 'node:path';
import type { Dispatcher } from 'undici';
import { linkedController, runWorkers } from '../http/delay';
import type { Limiter } from '../http/limiter';
import type { TransferFile, TransferFs } from './disk/fileSystem';
import { JournalKeeper, readJournal, removeJournal, type JournalData } from './disk/journal';
import { partFilesFor, type PartFiles } from './disk/partFiles';
import { numberedName, renameIntoPlace } from './disk/placement';
import { TrailingSha1 } from './disk/verify';
import { fileSystemError, RangeIgnored, RestartRequired, TransferError, VerifyMismatch } from './errors';
import { fetchSpan, type FetchContext } from './http/rangeRequest';
import { EtagBook, layoutOf, resolveSource, segmentsOf, SignedUrlState } from './http/signedUrl';
import { IntervalSet } from './plan/intervals';
import { planSpans, SpanScheduler } from './plan/scheduler';
import type { FileProgressTracker } from './progress';
import type { DownloadSettings } from './settings';
import type { DownloadResult, ObjectSource, ResolvedObject, TransferLog } from './types';

/** Share of a large object fetched in a second round when its sha1 is checked (see transfer). */
const LAST_ROUND_SHARE = 0.25;

/** What one engine shares between its downloads. */
export interface EngineContext {
  readonly dispatcher: Dispatcher;
  /** Global cap on storage connections across all downloads. */
  readonly limiter: Limiter;
  readonly fs: TransferFs;
  readonly log: TransferLog;
}

interface OpenedPart {
  readonly file: TransferFile;
  readonly done: IntervalSet;
  readonly etags: readonly (string | null)[];
}

/** Downloads one object to `target` (already checked and chosen), restarting when the object changes. */
export class ObjectDownload {
  private readonly parts: PartFiles;
  private resumedBytes = 0;
  private retries = 0;
  private urlRefreshes = 0;

  constructor(
    private readonly engine: EngineContext,
    private readonly source: ObjectSource,
    private target: string,
    private readonly settings: DownloadSettings,
    private readonly progress: FileProgressTracker,
    private readonly signal: AbortSignal | undefined,
  ) {
    this.parts = partFilesFor(target);
  }

  async run(): Promise<DownloadResult> {
    for (let restarts = 0; ; restarts++) {
      try {
        return await this.attempt(restarts);
      } catch (error) {
        if (!(error instanceof RestartRequired)) throw error;
        if (restarts >= this.settings.maxRestarts) {
          await this.discardParts();
          const code = error instanceof VerifyMismatch ? 'verify-failed' : 'object-changed';
          throw new TransferError(code, `${error.message}; gave up after ${restarts} restarts.`, { cause: error });
        }
        this.engine.log('warn', `Restarting ${this.source.identity}: ${error.reason}`);
      }
    }
  }

  private async attempt(restarts: number): Promise<DownloadResult> {
    // Aborts on cancel, and on this attempt's failure.
    const { controller, unlink } = linkedController(this.signal);
    let part: OpenedPart | undefined;
    let keeper: JournalKeeper | undefined;
    let hasher: TrailingSha1 | undefined;
    let closed = false;
    try {
      this.progress.setPhase('resolving');
      // Read while the source answers; a restart begins afresh whatever the journal says.
      const journal = restarts > 0 ? undefined : readJournal(this.engine.fs, this.parts.journal);
      const resolved = await resolveSource(this.source, controller.signal, 'get a download link for');
      checkResolved(resolved);
      this.progress.setTotal(resolved.size);
      part = await this.openPart(resolved, await journal);
      if (restarts === 0) this.resumedBytes = part.done.size;
      this.progress.startAttempt(part.done.size);
      const { file, done } = part;
      if (this.settings.verifySha1 && resolved.sha1) hasher = new TrailingSha1(file, resolved.size, controller.signal);
      const trailing = hasher;
      trailing?.advance(done.firstMissingFrom(0));

      const segmentCount = segmentsOf(resolved).length;
      const knownEtags = segmentCount === 1 && !part.etags[0] && resolved.etag ? [resolved.etag] : part.etags;
      const etags = new EtagBook(segmentCount, knownEtags);
      const urls = new SignedUrlState(this.source, resolved, controller.signal, this.engine.log);
      const describe = (): Omit<JournalData, 'done'> => ({
        version: 1,
        identity: this.source.identity,
        size: resolved.size,
        sha1: resolved.sha1,
        chunkSize: this.settings.chunkSize,
        layout: layoutOf(resolved),
        etags: etags.toArray(),
      });
      const activeKeeper = new JournalKeeper(this.engine.fs, this.parts.journal, file, done, describe, this.settings.journalIntervalMs, this.engine.log);
      keeper = activeKeeper;
      const stats = { retries: 0 };
      const fetchContext = (signal: AbortSignal, singleStream: boolean): FetchContext => ({
        dispatcher: this.engine.dispatcher,
        urls,
        etags,
        file,
        filePath: this.parts.data,
        signal,
        retry: this.settings.retry,
        stallTimeoutMs: this.settings.stallTimeoutMs,
        singleStream,
        log: this.engine.log,
        stats,
        onWritten: (start, end) => {
          const added = done.add(start, end);
          this.progress.addWritten(added);
          activeKeeper.markDirty(end - start);
          if (added < end - start) trailing?.invalidate();
          trailing?.advance(done.firstMissingFrom(0));
        },
      });

      this.progress.setPhase('downloading');
      activeKeeper.start();
      try {
        await this.transfer(resolved, done, trailing !== undefined, controller.signal, fetchContext);
      } finally {
        this.retries += stats.retries;
        this.urlRefreshes += urls.refreshes;
      }
      await activeKeeper.stop();

      this.progress.setPhase('verifying');
      // The data goes to the disk while it is read back for the hash.
      const synced = this.fileStep('sync', () => file.sync());
      let sha1: string | undefined;
      try {
        sha1 = await this.verify(file, resolved, trailing);
      } catch (error) {
        await synced.catch(() => undefined);
        throw error;
      }
      this.progress.setPhase('finalizing');
      await synced;
      await activeKeeper.flush(true);
      closed = true;
      await this.fileStep('close', () => file.close());
      await this.moveIntoPlace();
      await removeJournal(this.engine.fs, this.parts.journal).catch(() => undefined);
      return {
        status: 'downloaded',
        path: this.target,
        size: resolved.size,
        sha1,
        resumedBytes: this.resumedBytes,
        restarts,
        urlRefreshes: this.urlRefreshes,
        retries: this.retries,
      };
    } catch (error) {
      controller.abort(error);
      await Promise.all([keeper?.stop(), hasher?.stop()]);
      await this.afterFailure(error, part, keeper, closed);
      throw error;
    } finally {
      unlink();
      if (part && !closed) await part.file.close().catch(() => undefined);
    }
  }

  /** Continues from a matching journal, or starts a fresh temp file. */
  private async openPart(resolved: ResolvedObject, journal: JournalData | undefined): Promise<OpenedPart> {
    const fs = this.engine.fs;
    if (journal && journalMatches(journal, this.source.identity, resolved)) {
      const done = IntervalSet.from(journal.done);
      const onDisk = await fs.size(this.parts.data).catch(() => undefined);
      if (onDisk !== undefined && onDisk >= done.maxEnd()) {
        const file = await this.fileStep('open', () => fs.open(this.parts.data, 'r+'));
        this.engine.log('info', `Resuming ${this.source.identity}: ${done.size} of ${resolved.size} bytes already on disk.`);
        return { file, done, etags: journal.etags };
      }
    }
    if (journal) this.engine.log('info', `Starting ${this.source.identity} over: the journal does not match the object or the partial file.`);
    await removeJournal(fs, this.parts.journal).catch(() => undefined);
    const file = await this.fileStep('create', () => fs.open(this.parts.data, 'w+'));
    return { file, done: new IntervalSet(), etags: [] };
  }

  /** Fetches the missing bytes: one span per connection, or over one connection when storage ignores Range. */
  private async transfer(resolved: ResolvedObject, done: IntervalSet, hashing: boolean, signal: AbortSignal, context: (signal: AbortSignal, singleStream: boolean) => FetchContext): Promise<void> {
    const segments = segmentsOf(resolved);
    const single = resolved.size < this.settings.singleRequestThreshold;
    const connections = single ? 1 : this.settings.connections;
    const minSplit = single ? Infinity : this.settings.chunkSize;
    // The hash can only read a contiguous start. With one span per connection, all but the first span
    // land together at the end and are hashed after it. In two rounds, the first three quarters are
    // hashed while the last quarter arrives, which leaves a quarter to hash at the end. Worth one
    // request wait per connection only when the last round still has a chunk for every connection.
    const missing = resolved.size - done.size;
    const lastRound = hashing && missing >= 4 * connections * minSplit ? LAST_ROUND_SHARE : undefined;
    try {
      await runSpanWorkers(new SpanScheduler(planSpans(segments, done, connections, minSplit, lastRound), minSplit), connections, this.engine.limiter, signal, (group) => context(group, false));
    } catch (error) {
      if (!(error instanceof RangeIgnored)) throw error;
      this.engine.log('warn', `Storage ignores Range for ${this.source.identity}; continuing over a single connection.`);
      await runSpanWorkers(new SpanScheduler(planSpans(segments, done, 1, Infinity), Infinity), 1, this.engine.limiter, signal, (group) => context(group, true));
    }
  }

  private async verify(file: TransferFile, resolved: ResolvedObject, hasher: TrailingSha1 | undefined): Promise<string | undefined> {
    const { size } = await this.fileStep('check', () => file.stat());
    if (size !== resolved.size) throw new RestartRequired(`the file has ${size} bytes, expected ${resolved.size}`);
    if (!hasher || !resolved.sha1) return undefined;
    const actual = await this.fileStep('read back', () => hasher.digest());
    if (actual !== resolved.sha1.toLowerCase()) throw new VerifyMismatch(`sha1 ${actual} does not match the expected ${resolved.sha1}`);
    return actual;
  }

  private async moveIntoPlace(): Promise<void> {
    const fs = this.engine.fs;
    if (this.settings.conflict === 'keepBoth' && (await fs.exists(this.target))) {
      const folder = path.dirname(this.target);
      const name = path.basename(this.target);
      for (let n = 1; await fs.exists(this.target); n++) this.target = path.join(folder, numberedName(name, n));
      this.progress.setPath(this.target);
    }
    await renameIntoPlace(fs, this.parts.data, this.target);
  }

  /** Keeps the partial download for a resume when that can help; removes it otherwise. */
  private async afterFailure(error: unknown, part: OpenedPart | undefined, keeper: JournalKeeper | undefined, closed: boolean): Promise<void> {
    const cancelled = this.signal?.aborted === true;
    if (error instanceof RestartRequired) {
      await removeJournal(this.engine.fs, this.parts.journal).catch(() => undefined);
      return;
    }
    const keep = cancelled
      ? !this.settings.deleteOnCancel()
      : !(error instanceof TransferError) || ['retries-exhausted', 'url-expired', 'access-denied', 'http', 'rename-failed', 'io', 'bad-source'].includes(error.code);
    if (keep) {
      if (part && keeper && !closed) await keeper.flush();
      return;
    }
    if (part && !closed) await part.file.close().catch(() => undefined);
    await this.discardParts();
  }

  private async discardParts(): Promise<void> {
    await removeJournal(this.engine.fs, this.parts.journal).catch(() => undefined);
    await this.engine.fs.remove(this.parts.data).catch(() => undefined);
  }

  private async fileStep<T>(action: string, step: () => Promise<T>): Promise<T> {
    try {
      return await step();
    } catch (error) {
      if (error instanceof TransferError || error instanceof RestartRequired) throw error;
      if ((error as { name?: string } | null)?.name === 'AbortError') throw error;
      throw fileSystemError(action, this.parts.data, error);
    }
  }
}

function checkResolved(resolved: ResolvedObject): void {
  if (!Number.isSafeInteger(resolved.size) || resolved.size < 0) {
    throw new TransferError('bad-source', `The source reported an invalid size (${String(resolved.size)}).`);
  }
  const segments = segmentsOf(resolved);
  let expected = 0;
  for (const segment of segments) {
    if (segment.start !== expected || segment.end < segment.start) {
      throw new TransferError('bad-source', 'The source returned storage parts that do not cover the object exactly.');
    }
    expected = segment.end + 1;
  }
  if (expected !== resolved.size) throw new TransferError('bad-source', 'The source returned storage parts that do not add up to its size.');
}

function journalMatches(journal: JournalData, identity: string, resolved: ResolvedObject): boolean {
  if (journal.identity !== identity || journal.size !== resolved.size || journal.layout !== layoutOf(resolved)) return false;
  if (journal.sha1 && resolved.sha1 && journal.sha1.toLowerCase() !== resolved.sha1.toLowerCase()) return false;
  const knownEtag = journal.etags[0];
  if (resolved.etag && knownEtag && knownEtag !== resolved.etag) return false;
  return true;
}

/**
 * Up to `connections` workers take spans from the scheduler, each holding one slot of the global
 * connection cap per span; the first failure stops all of them. Resolves once every worker settled.
 */
async function runSpanWorkers(
  scheduler: SpanScheduler,
  connections: number,
  limiter: Limiter,
  parent: AbortSignal,
  contextFor: (signal: AbortSignal) => FetchContext,
): Promise<void> {
  const { controller: group, unlink } = linkedController(parent);
  const ctx = contextFor(group.signal);
  const worker = async () => {
    while (!group.signal.aborted) {
      const release = await limiter.acquire(group.signal);
      try {
        const span = scheduler.next();
        if (!span) return;
        try {
          await fetchSpan(ctx, span);
        } finally {
          scheduler.finish(span);
        }
      } finally {
        release();
      }
    }
  };
  try {
    await runWorkers(Math.max(1, Math.min(connections, scheduler.pending)), group, worker);
  } finally {
    unlink();
    // A cancel wins over the failure it may have caused.
    parent.throwIfAborted();
  }
}
