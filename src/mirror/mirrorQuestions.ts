import * as path from 'node:path';
import * as vscode from 'vscode';
import type { MirrorConflict, MirrorDecisions } from '../core/mirror';
import type { ConflictPolicy } from '../core/transfer';
import type { Prompts } from '../ui/prompts';
import type { TargetRoot } from '../workspace/targetFolder';

/** The mirror's questions, asked as modal dialogs (conflicts only when the conflict setting says "ask"). */
export function mirrorQuestions(prompts: Prompts, where: TargetRoot): MirrorDecisions {
  const shown = (root: string) => path.relative(where.folder, root) || path.basename(root);
  return {
    async adoptNonEmpty(root) {
      const mirror = vscode.l10n.t('Mirror Into It');
      const answer = await prompts.warning(
        vscode.l10n.t('{0} already holds files, and no mirror wrote them. Mirror into it?', shown(root)),
        { modal: true, detail: vscode.l10n.t('Files with the bytes APS has (same size and SHA-1) are kept as mirrored; any other file in the way is a conflict. Nothing else here is touched.') },
        mirror,
      );
      return answer === mirror;
    },
    async rebuildDamaged(root, reason) {
      const rebuild = vscode.l10n.t('Rebuild');
      const answer = await prompts.warning(
        vscode.l10n.t('The mirror record in {0} is damaged ({1}). Rebuild it?', shown(root), reason),
        { modal: true, detail: vscode.l10n.t('Each file is compared with APS (size and SHA-1): files that match are kept, files that differ are conflicts. Nothing is overwritten without asking.') },
        rebuild,
      );
      return answer === rebuild;
    },
    async conflicts(conflicts) {
      if (where.conflictPolicy !== 'ask') return where.conflictPolicy;
      return askConflicts(prompts, conflicts);
    },
    async deleteRemoved(paths) {
      const remove = vscode.l10n.t('Delete Them');
      const keep = vscode.l10n.t('Keep Them');
      const message =
        paths.length === 1
          ? vscode.l10n.t('"{0}" was removed from APS. Delete its copy here?', paths[0])
          : vscode.l10n.t('{0} files were removed from APS. Delete their copies here?', paths.length);
      const answer = await prompts.warning(message, { modal: true, detail: vscode.l10n.t('Only files the mirror wrote and nobody changed since are deleted.') }, remove, keep);
      return answer === remove;
    },
  };
}

async function askConflicts(prompts: Prompts, conflicts: readonly MirrorConflict[]): Promise<ConflictPolicy | undefined> {
  const choices = new Map<string, ConflictPolicy>([
    [vscode.l10n.t('Keep Both'), 'keepBoth'],
    [vscode.l10n.t('Skip'), 'skip'],
    [vscode.l10n.t('Overwrite'), 'overwrite'],
  ]);
  const [first] = conflicts;
  const message =
    conflicts.length === 1
      ? first.kind === 'occupied'
        ? vscode.l10n.t('"{0}" in the mirror is not the file APS has.', first.path)
        : vscode.l10n.t('"{0}" was changed here, and APS has a newer version.', first.path)
      : vscode.l10n.t('{0} files were changed here and in APS, or are in the way of a file from APS.', conflicts.length);
  const answer = await prompts.warning(
    message,
    { modal: true, detail: vscode.l10n.t("Keep both (APS's version gets a numbered name beside yours), skip them for now, or overwrite them with APS's version?") },
    ...choices.keys(),
  );
  return answer === undefined ? undefined : choices.get(answer);
}
