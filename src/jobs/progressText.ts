import { formatBytes } from '../tree/format';
import type { JobProgress, JobState } from './jobRecord';

export const STATE_LABELS: Record<JobState, string> = {
  queued: 'queued',
  processing: 'processing',
  downloading: 'downloading',
  finished: 'finished',
  failed: 'failed',
  cancelled: 'cancelled',
};

/** "3 of 4 files · 1.2/3.4 MiB · 2.0 MiB/s · 1s left" */
export function transferText(progress: JobProgress): string {
  const parts: string[] = [];
  if (progress.files && progress.files.total > 1) parts.push(`${progress.files.finished} of ${progress.files.total} files`);
  parts.push(progress.totalBytes ? `${formatBytes(progress.doneBytes)} of ${formatBytes(progress.totalBytes)}` : formatBytes(progress.doneBytes));
  if (progress.bytesPerSecond > 0) parts.push(`${formatBytes(progress.bytesPerSecond)}/s`);
  if (progress.etaSeconds !== undefined && progress.bytesPerSecond > 0) parts.push(`${duration(progress.etaSeconds)} left`);
  return parts.join(' · ');
}

export function percentOf(progress: JobProgress | undefined): number | undefined {
  if (!progress?.totalBytes) return undefined;
  return Math.min(100, (progress.doneBytes / progress.totalBytes) * 100);
}

function duration(seconds: number): string {
  const s = Math.max(1, Math.ceil(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
