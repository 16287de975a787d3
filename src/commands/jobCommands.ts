import { promises as fsp } from 'node:fs';
import * as vscode from 'vscode';
import type { RemoteIds } from '../core/remote/address';
import type { JobRecord } from '../jobs/jobRecord';
import type { JobsHost } from '../jobs/jobsHost';
import type { ExtensionLog } from '../log/logChannel';

/**
 * The Jobs view's actions: Cancel, Retry, Open, Reveal in Explorer, Reveal in APS, Show Log, Clear Finished. They take a
 * job or its id; from a keybinding (no argument) they act on the job selected in the view.
 */
export function registerJobCommands(jobs: JobsHost, log: ExtensionLog, selection: () => readonly unknown[] = () => []): vscode.Disposable[] {
  const job = (arg: unknown): JobRecord | undefined => {
    const id = typeof arg === 'string' ? arg : ((arg ?? selection()[0]) as JobRecord | undefined)?.id;
    return id ? jobs.manager.get(id) : undefined;
  };
  return [
    vscode.commands.registerCommand('apsExplorer.jobs.cancel', (arg: unknown) => {
      const record = job(arg);
      if (record) jobs.manager.cancel(record.id);
    }),
    vscode.commands.registerCommand('apsExplorer.jobs.retry', async (arg: unknown) => {
      const record = job(arg);
      const retried = record && jobs.manager.retry(record.id);
      return retried ? jobs.manager.settled(retried.id) : undefined;
    }),
    vscode.commands.registerCommand('apsExplorer.jobs.open', async (arg: unknown) => {
      const target = job(arg)?.target;
      if (target) await openTarget(target);
    }),
    vscode.commands.registerCommand('apsExplorer.jobs.reveal', async (arg: unknown) => {
      const target = job(arg)?.target;
      if (target) await revealTarget(target);
    }),
    vscode.commands.registerCommand('apsExplorer.jobs.revealInAps', async (arg: unknown) => {
      const remote = job(arg)?.remote;
      if (remote) await revealRemote(remote);
    }),
    vscode.commands.registerCommand('apsExplorer.jobs.showLog', () => log.show()),
    vscode.commands.registerCommand('apsExplorer.jobs.clearFinished', () => jobs.manager.clearFinished()),
  ];
}

/** A file opens in an editor; a folder is revealed in the Explorer. */
export async function openTarget(target: string): Promise<void> {
  const isFolder = await fsp.stat(target).then((stat) => stat.isDirectory(), () => false);
  if (isFolder) await revealTarget(target);
  else await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(target));
}

export async function revealTarget(target: string): Promise<void> {
  await vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(target));
}

/** An upload's folder or file, opened in the Hubs tree. */
export async function revealRemote(remote: RemoteIds): Promise<void> {
  await vscode.commands.executeCommand('apsExplorer.revealById', remote);
}
