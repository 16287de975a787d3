import * as path from 'node:path';
import { chooseTarget, nodeFs } from '../core/transfer';
import type { ConflictPolicy } from '../core/transfer/types';
import type { TargetRoot } from '../jobs/jobRecord';
import type { Prompts } from '../ui/prompts';

export interface ResolvedTarget {
  target: string;
  skip: boolean;
}

const CHOICES: Record<string, ConflictPolicy> = { Overwrite: 'overwrite', Skip: 'skip', 'Keep Both': 'keepBoth' };

/**
 * Applies the conflict policy to files that already exist, asking once (for all of them) when the
 * setting says 'ask'. Undefined when the user cancelled the question.
 */
export async function resolveConflicts(targets: readonly string[], where: TargetRoot, prompts: Prompts): Promise<ResolvedTarget[] | undefined> {
  const existing = new Set<string>();
  for (const target of targets) if (await nodeFs.exists(target)) existing.add(target);
  let policy: ConflictPolicy = where.conflictPolicy === 'ask' ? 'overwrite' : where.conflictPolicy;
  if (where.conflictPolicy === 'ask' && existing.size > 0) {
    const [first] = existing;
    const message =
      existing.size === 1
        ? `"${path.basename(first)}" already exists in ${path.relative(where.folder, path.dirname(first)) || 'the workspace folder'}.`
        : `${existing.size} of ${targets.length} files already exist under ${path.relative(where.folder, where.root) || 'the workspace folder'}.`;
    const answer = await prompts.warning(message, { modal: true, detail: 'Overwrite them, skip them, or keep both (the new file gets a numbered name)?' }, ...Object.keys(CHOICES));
    if (!answer || !CHOICES[answer]) return undefined;
    policy = CHOICES[answer];
  }
  const resolved: ResolvedTarget[] = [];
  for (const target of targets) {
    if (!existing.has(target) || policy === 'overwrite') resolved.push({ target, skip: false });
    else if (policy === 'skip') resolved.push({ target, skip: true });
    else resolved.push({ target: (await chooseTarget(nodeFs, target, 'keepBoth')).path, skip: false });
  }
  return resolved;
}
