import * as path from 'node:path';
import * as vscode from 'vscode';
import { readSettings } from '../config/settings';
import { safeJoin } from '../core/download/localNames';
import { loadManifest, type MirrorSource } from '../core/mirror';
import type { JobRecord, MirrorPlan, PushJobPlan } from '../jobs/jobRecord';
import type { MirrorStatusBar } from '../mirror/mirrorStatusBar';
import type { FolderNode, ProjectNode, TreeNode } from '../tree/nodes';
import { chooseTargetRoot, type TargetRoot } from '../workspace/targetFolder';
import { pickEntity } from './pickEntity';
import { requireSignedIn, targetNodes, type TransferCommandContext } from './transferContext';

const mirrorable = (node: TreeNode): node is ProjectNode | FolderNode => node.kind === 'project' || node.kind === 'folder';

/**
 * "Mirror to Workspace…" on projects and folders (context menu, or the palette on the selection or a folder
 * picked in quick picks): the folder's tree into `<download folder>/<project>/<folder path>`, kept in step by
 * running it again. "Mirror Again" runs the mirror of a folder in the workspace (the status bar's action), and
 * "Push Local Changes…" pushes what changed in it into APS (the Explorer's menu on the mirror's folder, the
 * status bar's tooltip, the palette). All resolve when their job settled.
 */
export function registerMirrorCommands(ctx: TransferCommandContext, status: () => MirrorStatusBar | undefined, rootOf: (file: string) => string | undefined = () => undefined): vscode.Disposable[] {
  /** The mirror a command is about: the one named, the one holding a file or folder given, else the status bar's. */
  const mirrorRoot = (arg: unknown): string | undefined => {
    const given = typeof arg === 'string' ? arg : arg instanceof vscode.Uri && arg.scheme === 'file' ? arg.fsPath : undefined;
    return given === undefined ? status()?.current() : (rootOf(given) ?? given);
  };
  /** The mirror's record, or a notice saying why there is none to use. */
  const mirrorAt = async (root: string | undefined): Promise<{ root: string; source: MirrorSource } | undefined> => {
    if (!root) {
      await ctx.prompts().notify('info', vscode.l10n.t('No mirror in this workspace yet: right-click a folder or project in the APS view and choose Mirror to Workspace….'));
      return undefined;
    }
    if (!(await requireSignedIn(ctx))) return undefined;
    const loaded = await loadManifest(root);
    if (loaded.kind === 'ok') return { root, source: loaded.manifest.remote };
    const message =
      loaded.kind === 'damaged'
        ? vscode.l10n.t('The mirror record in {0} is damaged: mirror its folder again from the APS view (Mirror to Workspace…), which rebuilds it by comparing the files with APS.', root)
        : vscode.l10n.t('{0} is not a mirror: mirror a folder from the APS view (Mirror to Workspace…).', root);
    await ctx.prompts().notify('warning', message);
    return undefined;
  };
  return [
    vscode.commands.registerCommand('apsExplorer.mirror', async (node?: unknown, nodes?: unknown): Promise<JobRecord | undefined> => {
      if (!(await requireSignedIn(ctx))) return undefined;
      const given = targetNodes(ctx.view, node, nodes);
      let target = given.find(mirrorable);
      if (!target && given.some((candidate) => candidate.kind === 'item' || candidate.kind === 'version')) {
        await ctx.prompts().notify('warning', vscode.l10n.t('A mirror copies a folder or a project, and this is a file: mirror its folder, or download the file.'));
        return undefined;
      }
      if (!target) {
        const picked = await pickEntity(ctx.model, ctx.prompts(), vscode.l10n.t('APS: Mirror to Workspace'), mirrorable);
        if (!picked || !mirrorable(picked)) return undefined;
        target = picked;
      }
      const where = await chooseTargetRoot(ctx.prompts());
      if (!where) return undefined;
      const project = projectNodeOf(target);
      const folders = target.kind === 'folder' ? target.path : [];
      const source: MirrorSource = {
        hubId: project.hub.id,
        projectId: project.project.id,
        ...(target.kind === 'folder' ? { folderId: target.folder.id } : {}),
        names: [project.hub.name, project.project.name, ...folders],
      };
      return start(ctx, { kind: 'mirror', where, source, root: safeJoin(where.root, [project.project.name, ...folders]) });
    }),
    vscode.commands.registerCommand('apsExplorer.mirrorAgain', async (arg?: unknown): Promise<JobRecord | undefined> => {
      const mirror = await mirrorAt(mirrorRoot(arg));
      if (!mirror) return undefined;
      return start(ctx, { kind: 'mirror', where: whereOf(mirror.root), source: mirror.source, root: mirror.root });
    }),
    vscode.commands.registerCommand('apsExplorer.mirrorPush', async (arg?: unknown): Promise<JobRecord | undefined> => {
      const mirror = await mirrorAt(mirrorRoot(arg));
      if (!mirror) return undefined;
      const plan: PushJobPlan = { kind: 'push', where: whereOf(mirror.root), source: mirror.source, root: mirror.root };
      const record = ctx.jobs.manager.start('push', vscode.l10n.t('Push {0}', mirror.source.names.at(-1) ?? ''), plan, mirror.root);
      return ctx.jobs.manager.settled(record.id);
    }),
  ];
}

function start(ctx: TransferCommandContext, plan: MirrorPlan): Promise<JobRecord> {
  const manager = ctx.jobs.manager;
  const record = manager.start('mirror', vscode.l10n.t('Mirror {0}', plan.source.names.at(-1) ?? ''), plan, plan.root);
  return manager.settled(record.id);
}

function projectNodeOf(node: ProjectNode | FolderNode): ProjectNode {
  let current: ProjectNode | FolderNode = node;
  while (current.kind === 'folder') current = current.parent;
  return current;
}

/** Where a mirror already in the workspace writes: its workspace folder, and the conflict setting there. */
function whereOf(root: string): TargetRoot {
  const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(root))?.uri ?? vscode.Uri.file(path.dirname(root));
  return { folder: folder.fsPath, root: path.dirname(root), conflictPolicy: readSettings(folder).conflictPolicy };
}
