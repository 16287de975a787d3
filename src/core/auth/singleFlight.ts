import { raceAbort } from '../http/delay';

/**
 * Runs at most one `task` at a time; concurrent callers share the running promise.
 * The shared task runs without any caller's signal (one caller giving up must not fail the others);
 * each caller stops waiting when its own signal aborts.
 */
export class SingleFlight<T> {
  private running?: Promise<T>;

  run(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (!this.running) {
      const started = task();
      this.running = started;
      const clear = (): void => {
        if (this.running === started) this.running = undefined;
      };
      started.then(clear, clear);
    }
    return raceAbort(this.running, signal);
  }

  get busy(): boolean {
    return this.running !== undefined;
  }
}
