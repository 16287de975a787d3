import * as vscode from 'vscode';
import { isActive } from './jobRecord';
import type { JobsHost } from './jobsHost';

/** "$(sync~spin) APS 2 jobs 45%" while anything runs; hidden otherwise. Click: the Jobs view. */
export class JobsStatusBar implements vscode.Disposable {
  readonly item = vscode.window.createStatusBarItem('apsExplorer.jobs', vscode.StatusBarAlignment.Left, 10);
  private readonly subscription: vscode.Disposable;

  constructor(private readonly jobs: JobsHost) {
    this.item.name = vscode.l10n.t('APS Jobs');
    this.item.command = 'apsExplorer.jobs.focus';
    this.subscription = jobs.onDidChange(() => this.render());
    this.render();
  }

  private render(): void {
    const active = this.jobs.manager.list().filter((job) => isActive(job.state));
    if (active.length === 0) {
      this.item.hide();
      return;
    }
    const total = active.reduce((sum, job) => sum + (job.progress?.totalBytes ?? 0), 0);
    const done = active.reduce((sum, job) => sum + (job.progress?.doneBytes ?? 0), 0);
    const percent = total > 0 ? ` ${Math.floor((done / total) * 100)}%` : '';
    this.item.text = `$(sync~spin) ${active.length === 1 ? vscode.l10n.t('APS 1 job') : vscode.l10n.t('APS {0} jobs', active.length)}${percent}`;
    this.item.tooltip = active.map((job) => vscode.l10n.t('{0}: {1}', job.title, job.detail)).join('\n');
    this.item.show();
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}
