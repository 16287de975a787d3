import type { FileProgress } from './types';

const MIB = 1024 * 1024;

function duration(seconds: number): string {
  if (seconds < 60) return `${Math.ceil(seconds)}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m${String(Math.ceil(seconds % 60)).padStart(2, '0')}s`;
  return `${Math.floor(seconds / 3600)}h${String(Math.floor((seconds % 3600) / 60)).padStart(2, '0')}m`;
}

/** One line such as "[ 45.2%] 115.7/256.0 MiB  85.3 MiB/s  ETA 2s". */
export function progressLine(progress: FileProgress): string {
  const total = progress.totalBytes;
  const percent = total ? ((progress.transferredBytes / total) * 100).toFixed(1).padStart(5) : '  ?  ';
  const amounts = `${(progress.transferredBytes / MIB).toFixed(1)}/${total === undefined ? '?' : (total / MIB).toFixed(1)} MiB`;
  const rate = `${(progress.bytesPerSecond / MIB).toFixed(1)} MiB/s`;
  const eta = progress.etaSeconds === undefined ? '' : `  ETA ${duration(progress.etaSeconds)}`;
  return `[${percent}%] ${amounts}  ${rate}${eta}  ${progress.phase}`;
}
