import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { ApsExplorerApi } from '../../../src/extension';
import type { JobRecord } from '../../../src/jobs/jobRecord';
import type { TreeNode } from '../../../src/tree/nodes';
import type { RunningEmulator } from '../../emulator';
import { children, setSetting, walk } from '../support/harness';

export function workspaceFolder(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the test window has no workspace folder');
  return folder.uri.fsPath;
}

export function sha1File(path: string): string {
  return createHash('sha1').update(readFileSync(path)).digest('hex');
}

/** Every file below `dir`, relative, with '/' separators. */
export function filesBelow(dir: string, prefix = ''): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesBelow(join(dir, entry.name), `${prefix}${entry.name}/`) : [`${prefix}${entry.name}`],
  );
}

export function seedItem(emu: RunningEmulator, itemId: string) {
  const found = emu.seed.items.find((candidate) => candidate.id === itemId);
  if (!found) throw new Error(`no seed item ${itemId}`);
  return found;
}

function folderPath(emu: RunningEmulator, folderId: string): string[] {
  const names: string[] = [];
  let folder = emu.seed.folders.find((f) => f.id === folderId);
  while (folder?.parentId) {
    names.unshift(folder.name);
    folder = emu.seed.folders.find((f) => f.id === folder!.parentId);
  }
  return names;
}

function projectLabels(emu: RunningEmulator, projectId: string): string[] {
  const project = emu.seed.projects.find((p) => p.id === projectId)!;
  const hub = emu.seed.hubs.find((h) => h.id === project.hubId)!;
  return [hub.name, project.name];
}

export async function folderNode(emu: RunningEmulator, ext: ApsExplorerApi, folderId: string): Promise<TreeNode> {
  const folder = emu.seed.folders.find((f) => f.id === folderId)!;
  return walk(ext, ...projectLabels(emu, folder.projectId), ...folderPath(emu, folderId));
}

export async function itemNode(emu: RunningEmulator, ext: ApsExplorerApi, itemId: string): Promise<TreeNode> {
  const item = seedItem(emu, itemId);
  return walk(ext, ...projectLabels(emu, item.projectId), ...folderPath(emu, item.folderId), item.versions.at(-1)!.name);
}

/** The tip version's node (versions are listed newest first). */
export async function tipNode(emu: RunningEmulator, ext: ApsExplorerApi, itemId: string): Promise<TreeNode> {
  const [tip] = await children(ext, await itemNode(emu, ext, itemId));
  if (tip?.kind !== 'version') throw new Error(`no versions under ${itemId}`);
  return tip;
}

export function contextFlags(ext: ApsExplorerApi, node: TreeNode): string[] {
  return (ext.hubs.provider.getTreeItem(node) as vscode.TreeItem).contextValue?.split(' ') ?? [];
}

/** sha1 of a seeded storage object ('bucket/key'). */
export async function objectSha1(emu: RunningEmulator, storageKey: string): Promise<string> {
  const slash = storageKey.indexOf('/');
  return (await emu.describeObject(storageKey.slice(0, slash), storageKey.slice(slash + 1))).sha1;
}

/** Waits (without asserting on time) until `check` returns a value. */
export async function eventually<T>(check: () => T | undefined, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The job a command just started (commands resolve only when their job settled). */
export function newestJob(ext: ApsExplorerApi, title: string, after: number): JobRecord | undefined {
  return ext.jobs.manager.list().find((job) => job.title === title && job.createdAt >= after);
}

/**
 * What a window reload does to a running job: the job manager stops (the job stays `state` in workspaceState), the
 * emulator's faults go, and a new manager reads the job back and resumes it. Resolves with the job once settled,
 * and the emulator's time at the reload (for its request log).
 */
export async function reloadDuring(ext: ApsExplorerApi, emu: RunningEmulator, job: JobRecord, state: JobRecord['state']): Promise<{ settled: JobRecord; reloadedAt: number }> {
  await ext.jobs.host.manager.shutdown();
  assert.equal(ext.jobs.manager.get(job.id)?.state, state, 'the stopped job stays running in workspaceState');
  emu.faults.clear();
  const reloadedAt = emu.clock.now();
  const manager = await ext.jobs.host.reload();
  const resumed = manager.get(job.id);
  assert.ok(resumed && resumed !== job, 'the new manager read the job back from workspaceState');
  return { settled: await manager.settled(job.id), reloadedAt };
}

/** Records each state the Jobs view shows for a job, with its icon and description. */
export function watchJobView(ext: ApsExplorerApi, title: string): { seen: Array<{ state: string; icon: string; description: string }>; dispose(): void } {
  const seen: Array<{ state: string; icon: string; description: string }> = [];
  const look = () => {
    const job = ext.jobs.provider.getChildren().find((node) => 'title' in node && node.title === title) as JobRecord | undefined;
    if (!job) return;
    const item = ext.jobs.provider.getTreeItem(job);
    const icon = (item.iconPath as vscode.ThemeIcon).id;
    if (seen.at(-1)?.state !== job.state) seen.push({ state: job.state, icon, description: String(item.description ?? '') });
  };
  const subscription = ext.jobs.host.onDidChange(look);
  return { seen, dispose: () => subscription.dispose() };
}

export const TRANSFER_SETTINGS = ['downloadFolder', 'conflictPolicy', 'connections', 'chunkSizeMiB', 'userId'];

export async function resetTransferSettings(): Promise<void> {
  for (const key of TRANSFER_SETTINGS) await setSetting(key, undefined);
}
