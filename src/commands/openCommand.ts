import * as vscode from 'vscode';
import { OPEN_SIZE_CAP } from '../fs/apsFileSystemProvider';
import { versionUri } from '../fs/apsUri';
import { formatBytes } from '../tree/format';
import { reportFailure } from './errors';
import { fileTarget, requireSignedIn, versionOf, type TransferCommandContext } from './transferContext';

/** "Open": the version in an editor tab through the read-only `aps:` file system, nothing saved to the workspace. */
export function registerOpenCommand(ctx: TransferCommandContext): vscode.Disposable {
  return vscode.commands.registerCommand('apsExplorer.open', async (node?: unknown, nodes?: unknown): Promise<vscode.Uri | undefined> => {
    const services = await requireSignedIn(ctx);
    if (!services) return undefined;
    const prompts = ctx.prompts();
    const target = await fileTarget(ctx, node, nodes, vscode.l10n.t('APS: Open'));
    if (!target) return undefined;
    try {
      const version = await versionOf(target, services);
      const name = version.name || target.item.name;
      if (!version.storage) {
        await prompts.notify('warning', vscode.l10n.t('{0} has no file of its own (it is a sheet). Use "Export as PDF" to get it as a PDF.', name));
        return undefined;
      }
      if ((version.storageSize ?? 0) > OPEN_SIZE_CAP) {
        const download = vscode.l10n.t('Download');
        const choice = await prompts.notify(
          'warning',
          vscode.l10n.t('{0} is {1}; files above {2} do not open in the editor. Download it into the workspace instead?', name, formatBytes(version.storageSize), formatBytes(OPEN_SIZE_CAP)),
          download,
        );
        if (choice === download) await vscode.commands.executeCommand('apsExplorer.download', target);
        return undefined;
      }
      const uri = versionUri({ projectId: target.project.id, versionId: version.id, name });
      await vscode.commands.executeCommand('vscode.open', uri, { preview: true });
      return uri;
    } catch (error) {
      await reportFailure(prompts, ctx.log, vscode.l10n.t('Could not open {0}', target.item.name), error);
      return undefined;
    }
  });
}
