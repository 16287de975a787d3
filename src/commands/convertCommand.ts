import * as vscode from 'vscode';
import type { JobRecord } from '../jobs/jobRecord';
import { safeJoin, withExtension } from '../core/download/localNames';
import { decideConflicts } from '../workspace/conflicts';
import { chooseTargetRoot } from '../workspace/targetFolder';
import { reportFailure } from './errors';
import { fileTarget, requireSignedIn, versionOf, type TransferCommandContext } from './transferContext';

/**
 * "APS: Convert…": the version's download formats in a quick pick, then a job that reuses an earlier
 * conversion of that type or starts one, polls it and downloads the result. Resolves when it settled.
 */
export function registerConvertCommand(ctx: TransferCommandContext): vscode.Disposable {
  return vscode.commands.registerCommand('apsExplorer.convert', async (node?: unknown, nodes?: unknown): Promise<JobRecord | undefined> => {
    const services = await requireSignedIn(ctx);
    if (!services) return undefined;
    const prompts = ctx.prompts();
    const target = await fileTarget(ctx, node, nodes, vscode.l10n.t('APS: Convert…'));
    if (!target) return undefined;
    if (target.project.projectType === 'ACC') {
      await prompts.notify(
        'warning',
        vscode.l10n.t("{0} cannot be converted: Autodesk's conversion (downloads) API does not support ACC projects. Download the file, or export it as PDF.", target.item.name),
      );
      return undefined;
    }
    let formats: string[];
    let version;
    try {
      version = await versionOf(target, services);
      const versionId = version.id;
      formats = await vscode.window.withProgress({ location: { viewId: 'apsExplorer.hubs' } }, () => services.dm.downloadFormats(target.project.id, versionId));
    } catch (error) {
      await reportFailure(prompts, ctx.log, vscode.l10n.t('Could not read the formats of {0}', target.item.name), error);
      return undefined;
    }
    const name = version.name || target.item.name;
    const own = version.fileType?.toLowerCase();
    const offered = formats.filter((format) => format.toLowerCase() !== own);
    if (offered.length === 0) {
      await prompts.notify('info', vscode.l10n.t('Autodesk offers no other format for {0}.', name));
      return undefined;
    }
    const picked = await prompts.quickPick(
      offered.map((fileType) => ({ label: fileType.toUpperCase(), description: withExtension(name, fileType), fileType })),
      { title: vscode.l10n.t('Convert {0} to…', name), placeHolder: vscode.l10n.t('File type') },
    );
    if (!picked) return undefined;
    const where = await chooseTargetRoot(prompts);
    if (!where) return undefined;
    const file = safeJoin(where.root, [target.project.name, ...target.path, withExtension(name, picked.fileType)]);
    const decision = await decideConflicts([file], where, prompts);
    if (!decision) return undefined;
    // Converting is slow: not for a file the policy would skip anyway.
    if (decision.policy === 'skip' && decision.existing.size > 0) {
      await prompts.notify('info', vscode.l10n.t('{0} is already there; skipped (conflict policy).', withExtension(name, picked.fileType)));
      return undefined;
    }
    const manager = ctx.jobs.manager;
    const record = manager.start(
      'convert',
      vscode.l10n.t('Convert {0} to {1}', name, picked.label),
      { kind: 'convert', where, projectId: target.project.id, versionId: version.id, fileType: picked.fileType, target: file, conflict: decision.policy },
      file,
    );
    return manager.settled(record.id);
  });
}
