import * as vscode from 'vscode';
import type { AggregateProgress } from '../core/transfer/types';
import { formatBytes } from '../tree/format';
import type { JobProgress, JobState } from './jobRecord';

/** A job state as the Jobs view says it. */
export function stateLabel(state: JobState): string {
  switch (state) {
    case 'queued':
      return vscode.l10n.t('queued');
    case 'processing':
      return vscode.l10n.t('processing');
    case 'downloading':
      return vscode.l10n.t('downloading');
    case 'uploading':
      return vscode.l10n.t('uploading');
    case 'finished':
      return vscode.l10n.t('finished');
    case 'failed':
      return vscode.l10n.t('failed');
    case 'cancelled':
      return vscode.l10n.t('cancelled');
  }
}

/** "3 of 4 files · 1.2/3.4 MiB · 2.0 MiB/s · 1s left" */
export function transferText(progress: JobProgress): string {
  const parts: string[] = [];
  if (progress.files && progress.files.total > 1) parts.push(vscode.l10n.t('{0} of {1} files', progress.files.finished, progress.files.total));
  parts.push(progress.totalBytes ? vscode.l10n.t('{0} of {1}', formatBytes(progress.doneBytes), formatBytes(progress.totalBytes)) : formatBytes(progress.doneBytes));
  if (progress.bytesPerSecond > 0) parts.push(vscode.l10n.t('{0}/s', formatBytes(progress.bytesPerSecond)));
  if (progress.etaSeconds !== undefined && progress.bytesPerSecond > 0) parts.push(vscode.l10n.t('{0} left', duration(progress.etaSeconds)));
  return parts.join(' · ');
}

/** A job's progress from an engine's overall progress, with `doneBefore` bytes finished by earlier runs of the job. */
export function jobProgress(progress: AggregateProgress, doneBefore: number, files: JobProgress['files']): JobProgress {
  return {
    doneBytes: doneBefore + progress.transferredBytes,
    totalBytes: doneBefore + progress.totalBytes,
    bytesPerSecond: progress.bytesPerSecond,
    etaSeconds: progress.etaSeconds,
    files,
  };
}

export function percentOf(progress: JobProgress | undefined): number | undefined {
  if (!progress?.totalBytes) return undefined;
  return Math.min(100, (progress.doneBytes / progress.totalBytes) * 100);
}

function duration(seconds: number): string {
  const s = Math.max(1, Math.ceil(seconds));
  if (s < 60) return vscode.l10n.t('{0}s', s);
  if (s < 3600) return vscode.l10n.t('{0}m {1}s', Math.floor(s / 60), String(s % 60).padStart(2, '0'));
  return vscode.l10n.t('{0}h {1}m', Math.floor(s / 3600), String(Math.floor((s % 3600) / 60)).padStart(2, '0'));
}
