import * as vscode from 'vscode';
import type { DownloadEntry } from '../core/download/plan';
import type { JobRecord } from '../jobs/jobRecord';
import type { FolderNode, ItemNode, TreeNode, VersionNode } from '../tree/nodes';
import { chooseTargetRoot } from '../workspace/targetFolder';
import { pickEntity } from './pickEntity';
import { requireSignedIn, targetNodes, type TransferCommandContext } from './transferContext';

const downloadable = (node: TreeNode): node is FolderNode | ItemNode | VersionNode => node.kind === 'version' || node.kind === 'item' || node.kind === 'folder';

/**
 * "APS: Download" on versions, items (their tip), folders (recursively) and multi-selections, or from the
 * palette on the tree selection or a file found through quick picks. Resolves when the job settled.
 */
export function registerDownloadCommand(ctx: TransferCommandContext): vscode.Disposable {
  return vscode.commands.registerCommand('apsExplorer.download', async (node?: unknown, nodes?: unknown): Promise<JobRecord | undefined> => {
    if (!(await requireSignedIn(ctx))) return undefined;
    let targets = targetNodes(ctx.view, node, nodes).filter(downloadable);
    if (targets.length === 0) {
      const picked = await pickEntity(ctx.model, ctx.prompts(), vscode.l10n.t('APS: Download'), downloadable);
      if (!picked || !downloadable(picked)) return undefined;
      targets = [picked];
    }
    const where = await chooseTargetRoot(ctx.prompts());
    if (!where) return undefined;
    const entries = targets.map(entryOf);
    const title = targets.length === 1 ? vscode.l10n.t('Download {0}', nameOf(targets[0])) : vscode.l10n.t('Download {0} selected', entries.length);
    const manager = ctx.jobs.manager;
    const record = manager.start('download', title, { kind: 'download', where, entries });
    return manager.settled(record.id);
  });
}

function nameOf(node: FolderNode | ItemNode | VersionNode): string {
  return node.kind === 'folder' ? node.folder.name : node.kind === 'item' ? node.item.name : node.version.name || node.item.name;
}

/** What to download, landing in `<download folder>/<project>/<folder path>/`. */
function entryOf(node: FolderNode | ItemNode | VersionNode): DownloadEntry {
  const where = { projectId: node.project.id, path: [node.project.name, ...node.path] };
  switch (node.kind) {
    case 'version': {
      const { version } = node;
      return {
        type: 'version',
        ...where,
        versionId: version.id,
        name: nameOf(node),
        ...(version.storage ? { storage: version.storage } : {}),
        ...(version.storageSize !== undefined ? { size: version.storageSize } : {}),
      };
    }
    case 'item':
      return { type: 'item', ...where, itemId: node.item.id, name: node.item.name };
    case 'folder':
      return { type: 'folder', ...where, folderId: node.folder.id };
  }
}
