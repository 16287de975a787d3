// The push a user accepted, kept beside the mirror record while it runs (`.aps-mirror.push.json`), with the
// state of each file: a cancelled or killed push resumes from it, and a mirror waits until it has finished.
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { readJsonFile, writeAtomically } from '../manifest';
import { PUSH_FORMAT, type PushPlan } from './types';

export const PENDING_PUSH_FILE = '.aps-mirror.push.json';

const pendingPath = (root: string) => path.join(root, PENDING_PUSH_FILE);

export async function pendingPushIn(root: string): Promise<boolean> {
  return fsp.access(pendingPath(root)).then(
    () => true,
    () => false,
  );
}

export type LoadedPending = { kind: 'none' } | { kind: 'ok'; plan: PushPlan } | { kind: 'damaged'; reason: string };

/** The pending push of `root`, checked: it must be whole and belong to this folder. */
export async function loadPendingPush(root: string): Promise<LoadedPending> {
  const read = await readJsonFile(pendingPath(root));
  if (read.kind === 'missing') return { kind: 'none' };
  if (read.kind === 'damaged') return read;
  const plan = read.value as Partial<PushPlan>;
  if (plan.format !== PUSH_FORMAT || plan.version !== 1) return { kind: 'damaged', reason: 'it is not an APS Explorer push' };
  if (plan.root !== root) return { kind: 'damaged', reason: `it was made for ${String(plan.root)}` };
  const lists = [plan.upload?.files, plan.upload?.folders, plan.files, plan.inAps, plan.behind, plan.preview];
  if (!plan.upload || !lists.every(Array.isArray)) return { kind: 'damaged', reason: 'it is incomplete' };
  return { kind: 'ok', plan: plan as PushPlan };
}

export async function savePendingPush(root: string, plan: PushPlan): Promise<void> {
  await writeAtomically(pendingPath(root), JSON.stringify(plan));
}

export async function removePendingPush(root: string): Promise<void> {
  await fsp.rm(pendingPath(root), { force: true });
}

/** A pending push that cannot be used is kept aside for whoever wants to look at it. */
export async function setAsidePendingPush(root: string): Promise<void> {
  await fsp.rename(pendingPath(root), `${pendingPath(root)}.damaged`).catch(() => undefined);
}
