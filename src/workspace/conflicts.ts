import * as path from 'node:path';
import * as vscode from 'vscode';
import { chooseTarget, nodeFs } from '../core/transfer';
import type { ConflictPolicy } from '../core/transfer/types';
import type { TargetRoot } from '../jobs/jobRecord';
import type { Prompts } from '../ui/prompts';

export interface ResolvedTarget {
  target: string;
  skip: boolean;
}

/** The question's buttons (localized titles) and the policy each one picks. */
const choices = () =>
  new Map<string, ConflictPolicy>([
    [vscode.l10n.t('Overwrite'), 'overwrite'],
    [vscode.l10n.t('Skip'), 'skip'],
    [vscode.l10n.t('Keep Both'), 'keepBoth'],
  ]);

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
    const byAnswer = choices();
    const inFolder = path.relative(where.folder, path.dirname(first));
    const underFolder = path.relative(where.folder, where.root);
    const message =
      existing.size === 1
        ? inFolder
          ? vscode.l10n.t('"{0}" already exists in {1}.', path.basename(first), inFolder)
          : vscode.l10n.t('"{0}" already exists in the workspace folder.', path.basename(first))
        : underFolder
          ? vscode.l10n.t('{0} of {1} files already exist under {2}.', existing.size, targets.length, underFolder)
          : vscode.l10n.t('{0} of {1} files already exist under the workspace folder.', existing.size, targets.length);
    const answer = await prompts.warning(message, { modal: true, detail: vscode.l10n.t('Overwrite them, skip them, or keep both (the new file gets a numbered name)?') }, ...byAnswer.keys());
    const picked = answer === undefined ? undefined : byAnswer.get(answer);
    if (!picked) return undefined;
    policy = picked;
  }
  const resolved: ResolvedTarget[] = [];
  for (const target of targets) {
    if (!existing.has(target) || policy === 'overwrite') resolved.push({ target, skip: false });
    else if (policy === 'skip') resolved.push({ target, skip: true });
    else resolved.push({ target: (await chooseTarget(nodeFs, target, 'keepBoth')).path, skip: false });
  }
  return resolved;
}
