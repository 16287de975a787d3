import * as vscode from 'vscode';
import type { ExportVersion } from '../core/exports/pdfExports';
import { isApsError } from '../core/http/apsError';
import type { JobRecord } from '../jobs/jobRecord';
import { safeJoin, withExtension } from '../core/download/localNames';
import { decideConflicts } from '../workspace/conflicts';
import { chooseTargetRoot } from '../workspace/targetFolder';
import { reportFailure } from './errors';
import { fileTarget, requireSignedIn, versionOf, type TransferCommandContext } from './transferContext';

const markupChoices = () => [
  { label: vscode.l10n.t('With markups'), description: vscode.l10n.t('published and unpublished markups'), markups: { includeMarkups: true, includeHyperlinks: false } },
  { label: vscode.l10n.t('With markups and hyperlinks'), description: vscode.l10n.t('markups plus their links'), markups: { includeMarkups: true, includeHyperlinks: true } },
  { label: vscode.l10n.t('Without markups'), description: vscode.l10n.t('the sheet or file alone'), markups: { includeMarkups: false, includeHyperlinks: false } },
];

/**
 * "APS: Export as PDF" (BIM 360 sheets through Docs exports, ACC files through Files exports): says why
 * when the version cannot be exported, asks about markups, then exports, polls and downloads.
 */
export function registerExportPdfCommand(ctx: TransferCommandContext): vscode.Disposable {
  return vscode.commands.registerCommand('apsExplorer.exportPdf', async (node?: unknown, nodes?: unknown): Promise<JobRecord | undefined> => {
    const services = await requireSignedIn(ctx);
    if (!services) return undefined;
    const prompts = ctx.prompts();
    const target = await fileTarget(ctx, node, nodes, vscode.l10n.t('APS: Export as PDF'));
    if (!target) return undefined;
    let version;
    try {
      version = await versionOf(target, services);
    } catch (error) {
      await reportFailure(prompts, ctx.log, vscode.l10n.t('Could not read {0}', target.item.name), error);
      return undefined;
    }
    const name = version.name || target.item.name;
    const project = { id: target.project.id, projectType: target.project.projectType, name: target.project.name, kind: target.project.kind };
    const exportVersion: ExportVersion = { id: version.id, extensionType: version.extensionType, fileType: version.fileType, isSheet: version.isSheet, name };
    const plan = services.exports.planExport(project, exportVersion);
    if (isApsError(plan)) {
      await prompts.notify('warning', vscode.l10n.t('{0} cannot be exported to PDF: {1}', name, plan.userMessage));
      return undefined;
    }
    const markup = await prompts.quickPick(markupChoices(), { title: vscode.l10n.t('Export {0} as PDF', name), placeHolder: vscode.l10n.t('Markups') });
    if (!markup) return undefined;
    const where = await chooseTargetRoot(prompts);
    if (!where) return undefined;
    const zip = plan === 'acc-files' && !version.isSheet && ['dwg', 'rvt'].includes(version.fileType?.toLowerCase() ?? '');
    // A sheet's name is a title ("A-1.01 PLAN"), not a file name: the extension is added, not swapped.
    const fileName = version.isSheet ? `${name}.${zip ? 'zip' : 'pdf'}` : withExtension(name, zip ? 'zip' : 'pdf');
    const file = safeJoin(where.root, [target.project.name, ...target.path, fileName]);
    const decision = await decideConflicts([file], where, prompts);
    if (!decision) return undefined;
    // Exporting is slow: not for a file the policy would skip anyway.
    if (decision.policy === 'skip' && decision.existing.size > 0) {
      await prompts.notify('info', vscode.l10n.t('{0} is already there; skipped (conflict policy).', fileName));
      return undefined;
    }
    const manager = ctx.jobs.manager;
    const record = manager.start(
      'export',
      vscode.l10n.t('Export {0} as PDF', name),
      { kind: 'export', where, project, version: exportVersion, markups: markup.markups, target: file, conflict: decision.policy },
      file,
    );
    return manager.settled(record.id);
  });
}
