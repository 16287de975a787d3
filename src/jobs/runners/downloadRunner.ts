import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DataManagementClient } from '../../core/dm/dataManagement';
import type { StorageLocation } from '../../core/dm/ids';
import type { Version } from '../../core/dm/models';
import type { TransferEngine } from '../../core/transfer';
import { resolveConflicts } from '../../workspace/conflicts';
import { layoutPath, unclaimed } from '../../workspace/layout';
import type { ApsServices } from '../apsServices';
import { JobDeclined, type JobRunner, type RunContext } from '../jobManager';
import type { DownloadEntry, DownloadPlan, FileTask, ProjectRef } from '../jobRecord';
import { transferFiles } from './transferFiles';

interface ListedFile {
  project: ProjectRef;
  /** Folder names below the project. */
  folders: string[];
  fileName: string;
  storage?: StorageLocation;
  size?: number;
  /** Why there is nothing to download (a sheet has no file of its own). */
  missing?: string;
}

const FOLDER_LISTINGS_AT_ONCE = 4;

/** Versions, items (their tip) and folders (recursively) into `<download folder>/<project>/<folder path>/<file>`. */
export function downloadRunner(services: () => ApsServices, engine: TransferEngine): JobRunner {
  return async (context) => {
    const plan = context.record.plan as DownloadPlan;
    const aps = services();
    if (!plan.files) await planFiles(context, plan, aps.dm);
    const files = plan.files!;
    context.update({ target: commonTarget(plan) });
    const sourced = files.filter((task) => task.storage).map((task) => ({ task, source: aps.objectSource(task.storage!) }));
    await transferFiles(context, engine, plan.where, files, sourced);
    const done = files.filter((task) => task.state === 'done').length;
    const skipped = files.filter((task) => task.state === 'skipped').length;
    const where = path.relative(plan.where.folder, context.record.target!) || '.';
    const downloaded =
      files.length === 1 ? vscode.l10n.t('Downloaded {0} to {1}.', path.basename(files[0].target), where) : vscode.l10n.t('Downloaded {0} of {1} files to {2}.', done, files.length, where);
    return { message: skipped ? vscode.l10n.t('{0} {1} already there, skipped.', downloaded, skipped) : downloaded };
  };
}

async function planFiles(context: RunContext, plan: DownloadPlan, dm: DataManagementClient): Promise<void> {
  context.update({ state: 'processing', detail: vscode.l10n.t('listing files') });
  const listed: ListedFile[] = [];
  for (const entry of plan.entries) {
    listed.push(...(await expand(entry, dm, context)));
    context.update({ detail: vscode.l10n.t('listing files: {0} found', listed.length) });
  }
  const claimed = new Set<string>();
  const targets = listed.map((file) => unclaimed(layoutPath(plan.where, file.project.name, file.folders, file.fileName), claimed));
  const resolved = await resolveConflicts(targets, plan.where, context.prompts());
  if (!resolved) throw new JobDeclined();
  plan.files = listed.map((file, index): FileTask => ({
    name: [...file.folders, file.fileName].join('/'),
    ...(file.storage ? { storage: file.storage } : {}),
    target: resolved[index].target,
    ...(file.size !== undefined ? { size: file.size } : {}),
    state: file.missing ? 'failed' : resolved[index].skip ? 'skipped' : 'pending',
    ...(file.missing ? { error: file.missing } : {}),
  }));
  await context.savePlan();
}

async function expand(entry: DownloadEntry, dm: DataManagementClient, context: RunContext): Promise<ListedFile[]> {
  const { signal } = context;
  switch (entry.type) {
    case 'version': {
      const storage = entry.storage ?? (await dm.getVersion(entry.project.id, entry.versionId, { signal })).storage;
      return [fileOf(entry.project, entry.path, entry.name, storage, entry.size)];
    }
    case 'item': {
      const tip = await dm.getTip(entry.project.id, entry.itemId, { signal });
      return [fromVersion(entry.project, entry.path, tip, entry.name)];
    }
    case 'folder': {
      const files: ListedFile[] = [];
      await walkFolder(dm, entry.project, entry.folderId, entry.path, files, context);
      return files;
    }
  }
}

async function walkFolder(dm: DataManagementClient, project: ProjectRef, folderId: string, folders: string[], into: ListedFile[], context: RunContext): Promise<void> {
  const entries = await dm.listFolderContents(project.id, folderId, { signal: context.signal });
  const subfolders: Array<{ id: string; path: string[] }> = [];
  for (const entry of entries) {
    if (entry.type === 'folders') subfolders.push({ id: entry.id, path: [...folders, entry.name] });
    else if (entry.tip) into.push(fromVersion(project, folders, entry.tip, entry.name));
    else into.push(fromVersion(project, folders, await dm.getTip(project.id, entry.id, { signal: context.signal }), entry.name));
  }
  context.update({ detail: vscode.l10n.t('listing files: {0} found', into.length) });
  for (let index = 0; index < subfolders.length; index += FOLDER_LISTINGS_AT_ONCE) {
    await Promise.all(subfolders.slice(index, index + FOLDER_LISTINGS_AT_ONCE).map((sub) => walkFolder(dm, project, sub.id, sub.path, into, context)));
  }
}

function fromVersion(project: ProjectRef, folders: string[], version: Version, fallbackName: string): ListedFile {
  return fileOf(project, folders, version.name || fallbackName, version.storage, version.storageSize);
}

function fileOf(project: ProjectRef, folders: string[], fileName: string, storage: StorageLocation | undefined, size: number | undefined): ListedFile {
  return {
    project,
    folders,
    fileName,
    ...(storage ? { storage } : { missing: vscode.l10n.t('it has no file of its own (a sheet): use Export as PDF') }),
    ...(size !== undefined ? { size } : {}),
  };
}

/** The file itself for a single file, else the deepest folder holding everything. */
function commonTarget(plan: DownloadPlan): string {
  const targets = (plan.files ?? []).map((task) => task.target);
  if (plan.entries.length === 1 && plan.entries[0].type === 'folder') {
    const entry = plan.entries[0];
    return layoutFolder(plan, entry.project.name, entry.path);
  }
  if (targets.length === 1) return targets[0];
  let common = targets.length ? path.dirname(targets[0]) : plan.where.root;
  for (const target of targets) while (!(target + path.sep).startsWith(common + path.sep) && common !== plan.where.root) common = path.dirname(common);
  return common;
}

function layoutFolder(plan: DownloadPlan, projectName: string, folders: string[]): string {
  return path.dirname(layoutPath(plan.where, projectName, folders, 'x'));
}
