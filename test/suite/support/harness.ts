import * as vscode from 'vscode';
import type { ApsExplorerApi } from '../../../src/extension';
import type { TreeNode } from '../../../src/tree/nodes';
import { ScriptedPrompts } from '../../../src/ui/prompts';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../../emulator';

export const EXTENSION_ID = 'aps-explorer.aps-explorer';

let running: Promise<RunningEmulator> | undefined;

/**
 * One emulator for the whole extension-host run, in this (extension host) process: strict and with APS's
 * per-endpoint rate limits on, so every flow is proven within them.
 */
export function emulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  running ??= startEmulator({ strictness: 'strict', rateLimits: true, jobSteps: { queuedPolls: 1, processingPolls: 1 }, ...options } as EmulatorOptions);
  return running;
}

export async function closeEmulator(): Promise<void> {
  const current = running;
  running = undefined;
  await (await current)?.close();
}

export async function api(): Promise<ApsExplorerApi> {
  const extension = vscode.extensions.getExtension<ApsExplorerApi>(EXTENSION_ID);
  if (!extension) throw new Error(`${EXTENSION_ID} is not loaded`);
  return extension.activate();
}

const config = () => vscode.workspace.getConfiguration('apsExplorer');

export async function setSetting(key: string, value: unknown): Promise<void> {
  await config().update(key, value, vscode.ConfigurationTarget.Global);
}

/** Points the extension at the emulator's demo app, signed out, with fresh scripted prompts. */
export async function useEmulator(overrides: Record<string, unknown> = {}, target?: RunningEmulator): Promise<{ emu: RunningEmulator; ext: ApsExplorerApi; prompts: ScriptedPrompts }> {
  const emu = target ?? (await emulator());
  const ext = await api();
  await ext.accounts.signOut();
  const settings: Record<string, unknown> = {
    apiBaseUrl: emu.baseUrl,
    clientId: emu.seed.credentials.clientId,
    userId: '',
    callbackMode: 'loopback',
    callbackPort: 0,
    pageSize: 50,
    ...overrides,
  };
  for (const [key, value] of Object.entries(settings)) await setSetting(key, value);
  await ext.accounts.reconnect();
  const prompts = new ScriptedPrompts();
  ext.setPrompts(prompts);
  return { emu, ext, prompts };
}

/**
 * Runs `test` with the extension pointed at an emulator of its own (another form, a scenario switch),
 * then signs out and points it back at the shared one.
 */
export async function withOwnEmulator(options: EmulatorOptions, test: (own: { emu: RunningEmulator; ext: ApsExplorerApi; prompts: ScriptedPrompts }) => Promise<void>, overrides: Record<string, unknown> = {}): Promise<void> {
  const own = await startEmulator({ strictness: 'strict', rateLimits: true, jobSteps: { queuedPolls: 1, processingPolls: 1 }, ...options });
  try {
    await test(await useEmulator(overrides, own));
  } finally {
    await useEmulator();
    await own.close();
  }
}

/** 2-legged sign-in through the real command, answering its input box. */
export async function signInWithApp(ext: ApsExplorerApi, prompts: ScriptedPrompts, secret: string): Promise<void> {
  prompts.answer(secret);
  await vscode.commands.executeCommand('apsExplorer.useAppCredentials');
  if (!ext.accounts.account) throw new Error(`app sign-in failed: ${prompts.notifications.map((n) => n.message).join(' | ')}`);
}

export async function children(ext: ApsExplorerApi, node?: TreeNode): Promise<TreeNode[]> {
  return (await ext.hubs.provider.getChildren(node)) ?? [];
}

export function item(ext: ApsExplorerApi, node: TreeNode): vscode.TreeItem {
  return ext.hubs.provider.getTreeItem(node) as vscode.TreeItem;
}

export function label(ext: ApsExplorerApi, node: TreeNode): string {
  const value = item(ext, node).label;
  return typeof value === 'string' ? value : (value?.label ?? '');
}

/** Walks the tree by labels from the root, failing with what was there instead. */
export async function walk(ext: ApsExplorerApi, ...labels: string[]): Promise<TreeNode> {
  let node: TreeNode | undefined;
  for (const wanted of labels) {
    const nodes = await children(ext, node);
    const next = nodes.find((candidate) => label(ext, candidate) === wanted);
    if (!next) throw new Error(`'${wanted}' not found; children are: ${nodes.map((n) => label(ext, n)).join(', ')}`);
    node = next;
  }
  return node!;
}

/** Plays the browser: loads the emulator's consent page, clicks Allow, follows the redirect to the callback. */
export async function allowInBrowser(authorizeUrl: string, userId: string): Promise<void> {
  const page = await (await fetch(authorizeUrl)).text();
  const form = new URLSearchParams();
  for (const match of page.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) form.set(match[1], decodeHtml(match[2]));
  form.set('user_id', userId);
  form.set('decision', 'allow');
  const action = new URL('/authentication/v2/authorize', authorizeUrl);
  const answer = await fetch(action, { method: 'POST', body: form, redirect: 'manual' });
  const location = answer.headers.get('location');
  if (answer.status !== 302 || !location) throw new Error(`consent answered ${answer.status}: ${await answer.text()}`);
  const callback = await fetch(location);
  if (!callback.ok) throw new Error(`callback answered ${callback.status}`);
}

export function decodeHtml(text: string): string {
  return text.replace(/&(lt|gt|amp|#39|quot);/g, (_m, name: string) => ({ lt: '<', gt: '>', amp: '&', '#39': "'", quot: '"' })[name]!);
}

/** 3-legged sign-in through the real command as `userId`, with the emulator's public app and its consent page. */
export async function signInAsUser(emu: RunningEmulator, ext: ApsExplorerApi, prompts: ScriptedPrompts, userId: string): Promise<void> {
  await setSetting('clientId', emu.seed.publicApp.clientId);
  await ext.accounts.reconnect();
  prompts.onOpenExternal = async (url) => {
    void allowInBrowser(url, userId).catch((error: unknown) => console.error('browser step failed', error));
    return true;
  };
  await vscode.commands.executeCommand('apsExplorer.signIn');
  if (ext.accounts.account?.mode !== 'user') throw new Error(`sign-in failed: ${prompts.notifications.map((n) => n.message).join(' | ')}`);
}
