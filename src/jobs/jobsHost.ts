import * as vscode from 'vscode';
import type { JobRecord } from './jobRecord';
import type { JobManager } from './jobManager';

/**
 * Holds the current JobManager so the view and status bar survive its replacement: `reload()` does
 * what a window reload does to jobs (stop, keep their state, start a new manager that resumes them).
 */
export class JobsHost implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<JobRecord | undefined>();
  readonly onDidChange = this.changed.event;
  private current: JobManager;
  private subscription: vscode.Disposable;

  constructor(private readonly create: () => JobManager) {
    this.current = create();
    this.subscription = this.current.onDidChange((job) => this.changed.fire(job));
  }

  get manager(): JobManager {
    return this.current;
  }

  async reload(): Promise<JobManager> {
    this.subscription.dispose();
    await this.current.shutdown();
    this.current = this.create();
    this.subscription = this.current.onDidChange((job) => this.changed.fire(job));
    this.current.restore();
    this.changed.fire(undefined);
    return this.current;
  }

  dispose(): void {
    this.subscription.dispose();
    this.current.dispose();
    this.changed.dispose();
  }
}
