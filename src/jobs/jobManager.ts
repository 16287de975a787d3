import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import type { ExtensionLog } from '../log/logChannel';
import type { Prompts } from '../ui/prompts';
import { failureDetail, failureReason } from '../core/failureReason';
import type { RemoteIds } from '../core/remote/address';
import { isActive, type JobKind, type JobPlan, type JobRecord } from './jobRecord';
import type { JobStore } from './jobStore';
import { percentOf, transferText } from './progressText';

export type JobPatch = Partial<Pick<JobRecord, 'state' | 'detail' | 'progress' | 'target' | 'remote' | 'failures'>>;

/** What a runner gets: the job (its plan may be updated and saved), a cancel signal, and a way to report. */
export interface RunContext {
  readonly record: JobRecord;
  readonly signal: AbortSignal;
  update(patch: JobPatch): void;
  /** Persists plan changes at once (job ids, listed files), so a reload resumes from them. */
  savePlan(): Promise<void>;
  prompts(): Prompts;
  /** True when the job stops because the window goes away: keep partial files for the resume. */
  shuttingDown(): boolean;
}

export interface JobOutcome {
  /** The completion notification. */
  message: string;
  /** What "Open" and "Reveal in Explorer" act on. */
  target?: string;
}

export type JobRunner = (context: RunContext) => Promise<JobOutcome>;

/** Thrown by a runner when the user declined a question it had to ask: the job ends as cancelled. */
export class JobDeclined extends Error {
  constructor() {
    super('cancelled');
    this.name = 'JobDeclined';
  }
}

export interface JobManagerDeps {
  store: JobStore;
  runners: Record<JobKind, JobRunner>;
  prompts: () => Prompts;
  log: ExtensionLog;
  open(target: string): Thenable<unknown>;
  reveal(target: string): Thenable<unknown>;
  /** Shows what a job wrote to APS (an upload's folder or file) in the Hubs tree. */
  revealRemote?(remote: RemoteIds): Thenable<unknown>;
}

interface Running {
  abort: AbortController;
  done: Promise<void>;
}

// Progress alone is saved at most this often (a bulk plan can be large); state changes are saved at once.
const SAVE_INTERVAL_MS = 3_000;

/**
 * Runs downloads, conversions and exports as jobs: each under a cancellable progress notification,
 * listed (running and recent) for the Jobs view, kept in workspaceState so a reload resumes them.
 */
export class JobManager implements vscode.Disposable {
  private readonly records: JobRecord[];
  private readonly running = new Map<string, Running>();
  private readonly waiters = new Map<string, Array<(record: JobRecord) => void>>();
  private readonly changed = new vscode.EventEmitter<JobRecord | undefined>();
  readonly onDidChange = this.changed.event;
  private stopping = false;
  private stopped?: Promise<void>;
  private saveTimer?: NodeJS.Timeout;

  constructor(private readonly deps: JobManagerDeps) {
    this.records = deps.store.load();
  }

  /** Newest first. */
  list(): readonly JobRecord[] {
    return this.records;
  }

  get(id: string): JobRecord | undefined {
    return this.records.find((record) => record.id === id);
  }

  isRunning(id: string): boolean {
    return this.running.has(id);
  }

  start(kind: JobKind, title: string, plan: JobPlan, target?: string): JobRecord {
    const record: JobRecord = { id: randomUUID(), kind, title, state: 'queued', detail: vscode.l10n.t('queued'), createdAt: Date.now(), plan, ...(target ? { target } : {}) };
    this.records.unshift(record);
    this.changed.fire(undefined);
    void this.save();
    this.run(record);
    return record;
  }

  /** Resolves once the job reached a final state (at once when it already has). */
  settled(id: string): Promise<JobRecord> {
    const record = this.get(id);
    if (!record) return Promise.reject(new Error(`No job ${id}`));
    if (!isActive(record.state) && !this.running.has(id)) return Promise.resolve(record);
    return new Promise((resolve) => this.waiters.set(id, [...(this.waiters.get(id) ?? []), resolve]));
  }

  /** Picks up jobs a previous window left running: polling restarts, downloads resume from their journals. */
  restore(): void {
    for (const record of this.records) {
      if (!isActive(record.state) || this.running.has(record.id)) continue;
      this.deps.log.info(`Resuming "${record.title}" after a reload`);
      record.detail = vscode.l10n.t('resuming');
      this.run(record);
    }
  }

  cancel(id: string): void {
    this.running.get(id)?.abort.abort();
  }

  /** Runs a failed or cancelled job again (a bulk download only retries the files that did not arrive). */
  retry(id: string): JobRecord | undefined {
    const record = this.get(id);
    if (!record || this.running.has(id)) return undefined;
    if (record.plan.kind === 'download') {
      for (const file of record.plan.files ?? []) if (file.state === 'failed') file.state = 'pending';
    }
    Object.assign(record, { state: 'queued', detail: vscode.l10n.t('queued'), error: undefined, failures: undefined, progress: undefined, finishedAt: undefined });
    this.records.splice(this.records.indexOf(record), 1);
    this.records.unshift(record);
    this.changed.fire(undefined);
    this.run(record);
    return record;
  }

  /** Forgets finished, failed and cancelled jobs. */
  clearFinished(): void {
    for (let index = this.records.length - 1; index >= 0; index--) {
      if (!isActive(this.records[index].state) && !this.running.has(this.records[index].id)) this.records.splice(index, 1);
    }
    this.changed.fire(undefined);
    void this.save();
  }

  /** Stops every job as a window reload would: their state stays "running" in workspaceState and partial files stay for the resume. */
  shutdown(): Promise<void> {
    this.stopped ??= (async () => {
      this.stopping = true;
      for (const { abort } of this.running.values()) abort.abort();
      await Promise.allSettled([...this.running.values()].map((running) => running.done));
      clearTimeout(this.saveTimer);
      await this.save();
      this.changed.dispose();
    })();
    return this.stopped;
  }

  dispose(): void {
    void this.shutdown();
  }

  private run(record: JobRecord): void {
    const abort = new AbortController();
    const runner = this.deps.runners[record.kind];
    const done = Promise.resolve(
      vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: record.title, cancellable: true }, async (progress, token) => {
        token.onCancellationRequested(() => abort.abort());
        let reported = 0;
        const context: RunContext = {
          record,
          signal: abort.signal,
          prompts: this.deps.prompts,
          shuttingDown: () => this.stopping,
          savePlan: () => this.save(),
          update: (patch) => {
            if (this.stopping) return;
            const stateChanged = patch.state !== undefined && patch.state !== record.state;
            Object.assign(record, patch);
            if (patch.progress && patch.detail === undefined) record.detail = transferText(patch.progress);
            const percent = percentOf(record.progress);
            const increment = percent === undefined ? undefined : Math.max(0, percent - reported);
            if (increment) reported += increment;
            progress.report({ message: record.detail, increment });
            this.changed.fire(record);
            if (stateChanged) void this.save();
            else this.scheduleSave();
          },
        };
        progress.report({ message: record.detail });
        try {
          const outcome = await runner(context);
          if (this.stopping) return;
          this.finish(record, 'finished', outcome.target ?? record.target);
          this.announce(record, outcome);
        } catch (error) {
          if (this.stopping) return;
          if (abort.signal.aborted || error instanceof JobDeclined) {
            this.finish(record, 'cancelled', record.target);
            record.detail = vscode.l10n.t('cancelled');
            this.deps.log.info(`"${record.title}" was cancelled`);
          } else {
            this.finish(record, 'failed', record.target);
            record.error = failureReason(error);
            record.detail = record.error;
            this.deps.log.error(`${record.title} failed`, failureDetail(error));
            const showLog = vscode.l10n.t('Show Log');
            void this.deps.prompts().notify('error', vscode.l10n.t('{0} failed: {1}', record.title, record.error), showLog).then((choice) => {
              if (choice === showLog) this.deps.log.show();
            });
          }
        }
      }),
    ).finally(() => {
      this.running.delete(record.id);
      if (this.stopping) return;
      this.changed.fire(record);
      void this.save();
      for (const resolve of this.waiters.get(record.id) ?? []) resolve(record);
      this.waiters.delete(record.id);
    });
    this.running.set(record.id, { abort, done });
  }

  private finish(record: JobRecord, state: JobRecord['state'], target: string | undefined): void {
    record.state = state;
    record.finishedAt = Date.now();
    if (target) record.target = target;
  }

  private announce(record: JobRecord, outcome: JobOutcome): void {
    const failures = record.failures ?? [];
    record.detail = failures.length ? vscode.l10n.t('finished, {0} failed', failures.length) : vscode.l10n.t('finished');
    this.deps.log.info(outcome.message);
    const target = record.target;
    const [showLog, open, reveal, revealInAps] = [vscode.l10n.t('Show Log'), vscode.l10n.t('Open'), vscode.l10n.t('Reveal in Explorer'), vscode.l10n.t('Reveal in APS')];
    const { remote } = record;
    const buttons = remote ? (failures.length ? [showLog, revealInAps] : [revealInAps]) : failures.length ? [showLog, reveal] : target ? [open, reveal] : [];
    const listed = failures.slice(0, 3).map((failure) => `${failure.name} (${failure.reason})`).join('; ');
    const message =
      failures.length > 3
        ? vscode.l10n.t('{0} {1} failed: {2} and {3} more.', outcome.message, failures.length, listed, failures.length - 3)
        : failures.length
          ? vscode.l10n.t('{0} {1} failed: {2}.', outcome.message, failures.length, listed)
          : outcome.message;
    void this.deps.prompts().notify(failures.length ? 'warning' : 'info', message, ...buttons).then((choice) => {
      if (choice === showLog) this.deps.log.show();
      else if (choice === open && target) void this.deps.open(target);
      else if (choice === reveal && target) void this.deps.reveal(target);
      else if (choice === revealInAps && remote) void this.deps.revealRemote?.(remote);
    });
  }

  private scheduleSave(): void {
    this.saveTimer ??= setTimeout(() => {
      this.saveTimer = undefined;
      void this.save();
    }, SAVE_INTERVAL_MS);
  }

  private async save(): Promise<void> {
    await this.deps.store.save(this.records);
  }
}
