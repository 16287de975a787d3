// Saves a running mirror's manifest every few seconds while files land (never two saves at once), and once
// at the end. A file that lands after the last save is found again by the next run (size and SHA-1). A push
// saves its pending plan right after each manifest save (`thenSave`), so the plan never runs ahead of the record.
import { saveManifest, type MirrorManifest } from './manifest';

const SAVE_INTERVAL_MS = 2_000;

export class ManifestKeeper {
  private timer?: NodeJS.Timeout;
  private saving: Promise<void> = Promise.resolve();
  private dirty = false;

  constructor(
    private readonly root: string,
    private readonly current: () => MirrorManifest,
    private readonly intervalMs = SAVE_INTERVAL_MS,
    private readonly thenSave?: () => Promise<void>,
  ) {}

  changed(): void {
    this.dirty = true;
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      // A periodic save that fails is tried again at the next change and at the end (whose failure is reported).
      void this.save().catch(() => undefined);
    }, this.intervalMs);
    this.timer.unref();
  }

  /** The final save: with the run's summary, or only when something changed (a run that failed early). */
  async flush(lastRun?: MirrorManifest['lastRun']): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (lastRun) {
      this.current().lastRun = lastRun;
      this.dirty = true;
    }
    await this.save();
  }

  private save(): Promise<void> {
    this.saving = this.saving
      .catch(() => undefined)
      .then(async () => {
        if (!this.dirty) return;
        this.dirty = false;
        try {
          await saveManifest(this.root, this.current());
          await this.thenSave?.();
        } catch (error) {
          this.dirty = true;
          throw error;
        }
      });
    return this.saving;
  }
}
