import { stat } from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { reportFailure } from '../commands/errors';
import { requireSignedIn, type TransferCommandContext } from '../commands/transferContext';
import { readSettings } from '../config/settings';
import type { Folder } from '../core/dm/models';
import type { EntityPath } from '../core/remote/locate';
import { uploadTargetOf } from '../core/upload';
import type { JobRecord, UploadJobPlan } from '../jobs/jobRecord';
import type { FolderNode, ItemNode, TreeNode } from '../tree/nodes';
import { uploadConflictPolicy } from './uploadQuestions';

/** Where an upload can go in the tree: a folder (files and folders), or a file (one file, its next version). */
export type UploadDestination = FolderNode | ItemNode;

/** The destination a node stands for (a version stands for its file), or the sentence saying why there is none. */
export function uploadDestination(node: TreeNode | undefined): UploadDestination | string {
  switch (node?.kind) {
    case 'folder':
    case 'item':
      return node;
    case 'version':
      return node.parent;
    case 'hub':
      return vscode.l10n.t('{0} is a hub: upload into a folder of one of its projects.', node.hub.name);
    case 'project':
      return vscode.l10n.t('{0} is a project: upload into one of its folders, such as Project Files.', node.project.name);
    default:
      return vscode.l10n.t('Drop onto a folder of the APS view to upload into it, or onto a file to add a version of it.');
  }
}

/**
 * Starts the upload of local `sources` into `destination` as a job (planned, confirmed for BIM 360 and ACC,
 * then run by the upload runner). Resolves to the job once started, or undefined when the upload cannot start
 * (after showing why, without waiting for the message to be closed: drops finish at once).
 */
export async function startUpload(ctx: TransferCommandContext, destination: UploadDestination, sources: readonly string[], stagedIn?: string): Promise<JobRecord | undefined> {
  const services = await requireSignedIn(ctx);
  if (!services) return undefined;
  const prompts = ctx.prompts();
  if (sources.length === 0) {
    void prompts.notify('warning', vscode.l10n.t('Nothing to upload: choose or drop files or folders from the workspace or your computer.'));
    return undefined;
  }
  if (destination.kind === 'item' && !(sources.length === 1 && !(await isLocalFolder(sources[0])))) {
    void prompts.notify(
      'warning',
      vscode.l10n.t('{0} is a file: it takes one file as its next version. To upload several files or a folder, drop them onto its folder.', destination.item.name),
    );
    return undefined;
  }
  let plan: UploadJobPlan;
  try {
    const target = await uploadTargetOf(services.dm, entityPathOf(destination));
    plan = { kind: 'upload', sources: [...sources], target, conflict: uploadConflictPolicy(readSettings().uploadConflictPolicy), ...(stagedIn ? { stagedIn } : {}) };
  } catch (error) {
    void reportFailure(prompts, ctx.log, vscode.l10n.t('Cannot upload there'), error);
    return undefined;
  }
  return ctx.jobs.manager.start('upload', titleOf(destination, sources), plan);
}

function titleOf(destination: UploadDestination, sources: readonly string[]): string {
  if (destination.kind === 'item') return vscode.l10n.t('Upload new version of {0}', destination.item.name);
  return sources.length === 1
    ? vscode.l10n.t('Upload {0} to {1}', path.basename(sources[0]), destination.folder.name)
    : vscode.l10n.t('Upload {0} items to {1}', sources.length, destination.folder.name);
}

/** The node's ancestry as the core names it: hub, project, folders from the top one down, the file. */
function entityPathOf(node: UploadDestination): EntityPath {
  const folders: Folder[] = [];
  let current = node.kind === 'item' ? node.parent : node;
  for (;;) {
    folders.unshift(current.folder);
    if (current.parent.kind === 'project') break;
    current = current.parent;
  }
  const project = current.parent;
  return { hub: project.hub, project: project.project, folders, ...(node.kind === 'item' ? { item: node.item } : {}) };
}

/** False for a missing path too (the plan refuses it, naming it). */
export async function isLocalFolder(localPath: string): Promise<boolean> {
  return stat(localPath).then((found) => found.isDirectory(), () => false);
}
