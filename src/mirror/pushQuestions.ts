import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ConflictPolicySetting } from '../config/settings';
import type { PushConflictPolicy, PushPlan, PushSurvey } from '../core/mirror';
import type { Prompts } from '../ui/prompts';
import { previewText } from './pushPreview';

/** Lines of the preview shown in the dialog; the rest are in the log. */
const SHOWN_LINES = 15;

const POLICIES: Record<Exclude<ConflictPolicySetting, 'ask'>, PushConflictPolicy> = { skip: 'skip', keepBoth: 'keep-both', overwrite: 'overwrite' };

export type PushDecision = { kind: 'push'; plan: PushPlan } | { kind: 'nothing'; plan: PushPlan } | { kind: 'declined' };

/**
 * The push's one confirmation: exactly what it will make, file by file, in a modal dialog; nothing is written
 * before it is accepted. Conflicts follow the conflict setting; under "ask" the dialog's buttons settle them
 * (skip them, keep both, or overwrite APS's newer versions). `log` receives the whole preview.
 */
export async function confirmPush(
  prompts: Prompts,
  survey: PushSurvey,
  plan: (policy: PushConflictPolicy) => PushPlan,
  setting: ConflictPolicySetting,
  shownRoot: string,
  log: (line: string) => void,
): Promise<PushDecision> {
  const asking = setting === 'ask';
  const first = plan(asking ? 'skip' : POLICIES[setting]);
  const { summary } = first;
  const work = summary.newVersions + summary.newFiles + summary.newFolders + summary.inAps;
  const conflicts = survey.files.filter((file) => file.change === 'conflict').length;
  if (work === 0 && (!asking || conflicts === 0)) return { kind: 'nothing', plan: first };

  const lines = first.preview.map((entry) => previewText(entry, survey.source.names));
  for (const line of lines) log(line);
  const shown = lines.length > SHOWN_LINES ? [...lines.slice(0, SHOWN_LINES), vscode.l10n.t('… and {0} more (all of them in APS: Show Log).', lines.length - SHOWN_LINES)] : lines;
  const notes: string[] = [];
  if (asking && conflicts > 0) notes.push(vscode.l10n.t('Conflicts are skipped unless you choose: Keep Both uploads yours as a new file with a numbered name (and renames it here to match), Overwrite puts yours on top of the version APS has.'));
  if (summary.deletedHere > 0) notes.push(vscode.l10n.t('Files deleted here are not deleted in APS.'));
  const detail = [...shown, ...(notes.length ? ['', ...notes] : [])].join('\n');

  const changes = work - summary.inAps;
  const message =
    changes === 0
      ? vscode.l10n.t('Push from {0}: {1} files changed here and in APS.', shownRoot, conflicts)
      : changes === 1
        ? vscode.l10n.t('Push 1 change from {0} to APS?', shownRoot)
        : vscode.l10n.t('Push {0} changes from {1} to APS?', changes, shownRoot);
  const push = vscode.l10n.t('Push');
  const buttons = new Map<string, PushConflictPolicy>();
  if (asking && conflicts > 0) {
    if (work > 0) buttons.set(vscode.l10n.t('Push, Skip Conflicts'), 'skip');
    buttons.set(vscode.l10n.t('Push, Keep Both'), 'keep-both');
    buttons.set(vscode.l10n.t('Push and Overwrite'), 'overwrite');
  } else buttons.set(push, first.policy);
  const answer = await prompts.warning(message, { modal: true, detail }, ...buttons.keys());
  const policy = answer === undefined ? undefined : buttons.get(answer);
  if (policy === undefined) return { kind: 'declined' };
  return { kind: 'push', plan: policy === first.policy ? first : plan(policy) };
}

/** The mirror's folder as the dialog names it: relative to its workspace folder. */
export function shownRootOf(root: string, workspaceFolder: string): string {
  return path.relative(workspaceFolder, root) || path.basename(root);
}
