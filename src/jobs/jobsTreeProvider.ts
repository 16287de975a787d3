import * as vscode from 'vscode';
import { formatBytes, md } from '../tree/format';
import { isActive, type FileFailure, type JobRecord, type JobState } from './jobRecord';
import type { JobsHost } from './jobsHost';
import { percentOf, stateLabel } from './progressText';

export interface FailureNode {
  kind: 'failure';
  job: JobRecord;
  index: number;
  failure: FileFailure;
}

export type JobsNode = JobRecord | FailureNode;

const ICONS: Record<JobState, [string, string?]> = {
  queued: ['clock'],
  processing: ['sync~spin'],
  downloading: ['cloud-download', 'progressBar.background'],
  uploading: ['cloud-upload', 'progressBar.background'],
  finished: ['pass', 'testing.iconPassed'],
  failed: ['error', 'errorForeground'],
  cancelled: ['circle-slash'],
};

/** The Jobs view: running and recent jobs with state icons and progress; failed files below their job. */
export class JobsTreeProvider implements vscode.TreeDataProvider<JobsNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<JobsNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly jobs: JobsHost) {
    this.subscription = jobs.onDidChange(() => this.changed.fire(undefined));
  }

  getChildren(node?: JobsNode): JobsNode[] {
    if (!node) return [...this.jobs.manager.list()];
    if ('kind' in node && node.kind === 'failure') return [];
    const job = node as JobRecord;
    return (job.failures ?? []).map((failure, index) => ({ kind: 'failure', job, index, failure }));
  }

  getParent(node: JobsNode): JobsNode | undefined {
    return 'kind' in node && node.kind === 'failure' ? node.job : undefined;
  }

  getTreeItem(node: JobsNode): vscode.TreeItem {
    if ('kind' in node && node.kind === 'failure') {
      const item = new vscode.TreeItem(node.failure.name, vscode.TreeItemCollapsibleState.None);
      item.id = `${node.job.id}/failure/${node.index}`;
      item.description = node.failure.reason;
      item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
      item.contextValue = 'aps.jobFailure';
      return item;
    }
    return jobItem(node as JobRecord, this.jobs.manager.isRunning((node as JobRecord).id));
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

function jobItem(job: JobRecord, running: boolean): vscode.TreeItem {
  const failures = job.failures?.length ?? 0;
  const item = new vscode.TreeItem(job.title, failures ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
  item.id = job.id;
  const percent = percentOf(job.progress);
  item.description = (job.state === 'downloading' || job.state === 'uploading') && percent !== undefined ? `${Math.floor(percent)}% · ${job.detail}` : job.detail;
  const [icon, color] = job.state === 'finished' && failures ? ['warning', 'problemsWarningIcon.foreground'] : ICONS[job.state];
  item.iconPath = new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
  const flags = [`aps.job`, job.state];
  if (running || isActive(job.state)) flags.push('cancellable');
  if (!running && (job.state === 'failed' || job.state === 'cancelled' || failures > 0)) flags.push('retryable');
  if (job.state === 'finished' && job.target) flags.push('openable');
  if (job.target) flags.push('revealable');
  if (job.remote) flags.push('remote');
  item.contextValue = flags.join(' ');
  item.tooltip = tooltip(job);
  if (job.state === 'finished' && job.target) item.command = { command: 'apsExplorer.jobs.open', title: vscode.l10n.t('Open'), arguments: [job] };
  else if (job.state === 'finished' && job.remote) item.command = { command: 'apsExplorer.jobs.revealInAps', title: vscode.l10n.t('Reveal in APS'), arguments: [job] };
  return item;
}

function tooltip(job: JobRecord): vscode.MarkdownString {
  const rows: Array<[string, string | undefined]> = [
    [vscode.l10n.t('State'), stateLabel(job.state)],
    [vscode.l10n.t('Now'), job.detail],
    [vscode.l10n.t('Size'), job.progress?.totalBytes ? vscode.l10n.t('{0} of {1}', formatBytes(job.progress.doneBytes), formatBytes(job.progress.totalBytes)) : undefined],
    [vscode.l10n.t('Files'), job.progress?.files && job.progress.files.total > 1 ? vscode.l10n.t('{0} of {1}', job.progress.files.finished, job.progress.files.total) : undefined],
    [vscode.l10n.t('Target'), job.target],
    [vscode.l10n.t('Error'), job.error],
    [vscode.l10n.t('Started'), new Date(job.createdAt).toLocaleString()],
    [vscode.l10n.t('Finished'), job.finishedAt ? new Date(job.finishedAt).toLocaleString() : undefined],
  ];
  const body = rows.filter(([, value]) => value).map(([name, value]) => `| ${name} | ${md(value)} |`);
  return new vscode.MarkdownString(`**${md(job.title)}**\n\n| | |\n|---|---|\n${body.join('\n')}`);
}
