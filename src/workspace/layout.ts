import { numberedName, safeJoin } from '../core/transfer';
import * as path from 'node:path';
import type { TargetRoot } from '../jobs/jobRecord';

/** `<download folder>/<project>/<folder path>/<file name>`, every name sanitized, always inside the root. */
export function layoutPath(where: TargetRoot, projectName: string, folderPath: readonly string[], fileName: string): string {
  return safeJoin(where.root, [projectName, ...folderPath, fileName]);
}

/** The target, renamed `name (n).ext` while another file of the same job already claimed it. */
export function unclaimed(target: string, claimed: Set<string>): string {
  let candidate = target;
  for (let n = 1; claimed.has(candidate.toLowerCase()); n++) candidate = path.join(path.dirname(target), numberedName(path.basename(target), n));
  claimed.add(candidate.toLowerCase());
  return candidate;
}

/** `Tower.rvt` → `Tower.dwf`. */
export function withExtension(fileName: string, extension: string): string {
  const dot = fileName.lastIndexOf('.');
  const stem = dot > 0 ? fileName.slice(0, dot) : fileName;
  return `${stem}.${extension}`;
}
