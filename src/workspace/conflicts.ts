import * as path from 'node:path';
import * as vscode from 'vscode';
import { nodeFs, type ConflictPolicy } from '../core/transfer';
import type { Prompts } from '../ui/prompts';
import type { TargetRoot } from './targetFolder';

/** The question's buttons (localized titles) and the policy each one picks. */
const choices = () =>
  new Map<string, ConflictPolicy>([
    [vscode.l10n.t('Overwrite'), 'overwrite'],
    [vscode.l10n.t('Skip'), 'skip'],
    [vscode.l10n.t('Keep Both'), 'keepBoth'],
  ]);

export interface ConflictDecision {
  readonly policy: ConflictPolicy;
  /** The targets that exist already. */
  readonly existing: ReadonlySet<string>;
}

/**
 * The policy for files that exist already: the setting's, or, when it says 'ask' and some exist, the
 * user's answer (one question for all of them). Undefined when the user cancelled the question. The
 * transfer engine applies the policy.
 */
export async function decideConflicts(targets: readonly string[], where: TargetRoot, prompts: Prompts): Promise<ConflictDecision | undefined> {
  const existing = new Set<string>();
  for (const target of targets) if (await nodeFs.exists(target)) existing.add(target);
  if (where.conflictPolicy !== 'ask') return { policy: where.conflictPolicy, existing };
  if (existing.size === 0) return { policy: 'overwrite', existing };
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
  const policy = answer === undefined ? undefined : byAnswer.get(answer);
  return policy && { policy, existing };
}
