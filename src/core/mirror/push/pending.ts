// The push a user accepted, kept beside the mirror record while it runs (`.aps-mirror.push.json`), with the
// state of each file: a cancelled or killed push resumes from it, and a mirror waits until it has finished.
import { randomUUID } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
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
  let text: string;
  try {
    text = await fsp.readFile(pendingPath(root), 'utf8');
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return { kind: 'none' };
    return { kind: 'damaged', reason: `it cannot be read (${(error as Error).message})` };
  }
  let plan: Partial<PushPlan>;
  try {
    plan = JSON.parse(text) as Partial<PushPlan>;
  } catch (error) {
    return { kind: 'damaged', reason: `it is not valid JSON (${(error as Error).message})` };
  }
  if (plan.format !== PUSH_FORMAT || plan.version !== 1) return { kind: 'damaged', reason: 'it is not an APS Explorer push' };
  if (plan.root !== root) return { kind: 'damaged', reason: `it was made for ${String(plan.root)}` };
  const lists = [plan.upload?.files, plan.upload?.folders, plan.files, plan.inAps, plan.behind, plan.preview];
  if (!plan.upload || !lists.every(Array.isArray)) {
    return { kind: 'damaged', reason: 'it is incomplete' };
  }
  return { kind: 'ok', plan: plan as PushPlan };
}

/** Written beside the old one and renamed into place: a crash leaves one of them, whole. */
export async function savePendingPush(root: string, plan: PushPlan): Promise<void> {
  const target = pendingPath(root);
  const temp = `${target}.${randomUUID().slice(0, 8)}.tmp`;
  await fsp.writeFile(temp, JSON.stringify(plan), 'utf8');
  try {
    await fsp.rename(temp, target);
  } catch (error) {
    await fsp.unlink(temp).catch(() => undefined);
    throw error;
  }
}

export async function removePendingPush(root: string): Promise<void> {
  await fsp.rm(pendingPath(root), { force: true });
}

/** A pending push that cannot be used is kept aside for whoever wants to look at it. */
export async function setAsidePendingPush(root: string): Promise<void> {
  await fsp.rename(pendingPath(root), `${pendingPath(root)}.damaged`).catch(() => undefined);
}
