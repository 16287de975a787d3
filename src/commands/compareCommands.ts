import * as vscode from 'vscode';
import { looksLikeText, textnessByName } from '../core/compare/textLike';
import { orderPair, pairProblem, previousVersion, versionedFileName } from '../core/compare/versionPair';
import type { Version } from '../core/dm/models';
import { factsUri } from '../details/versionFacts';
import { OPEN_SIZE_CAP } from '../fs/apsFileSystemProvider';
import { versionUri } from '../fs/apsUri';
import { formatBytes, formatDate } from '../tree/format';
import type { CapabilityProbe } from '../tree/treeItems';
import { nodeId, type ItemNode, type TreeNode, type VersionNode } from '../tree/nodes';
import { reportFailure } from './errors';
import { signedIn, type FindContext } from './findContext';
import { pickEntity } from './pickEntity';
import { targetNodes } from './transferContext';

/** What a compare did: a diff of the two files, a diff of their details (binary files), or nothing (and why, to the user). */
export type CompareOutcome = { shown: 'text' | 'details'; left: Version; right: Version } | { shown: 'nothing' };

type FileNode = ItemNode | VersionNode;

/** contextValue flags for the compare menus: hasPrevious (a version after the first), versioned (a file with several versions). */
export const compareCapabilities: CapabilityProbe = (node) => {
  if (node.kind !== 'item' && node.kind !== 'version') return [];
  const latest = Math.max(node.item.tip?.versionNumber ?? 0, node.kind === 'version' ? (node.version.versionNumber ?? 0) : 0);
  const flags = latest > 1 ? ['versioned'] : [];
  if (node.kind === 'version' && (node.version.versionNumber ?? 0) > 1) flags.push('hasPrevious');
  return flags;
};

const NOTHING: CompareOutcome = { shown: 'nothing' };

/** "Compare with Previous Version" and "Compare Versions…" on versions and files of the Hubs view. */
export function registerCompareCommands(ctx: FindContext): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('apsExplorer.compareWithPrevious', async (node?: unknown, nodes?: unknown): Promise<CompareOutcome> => {
      if (!(await signedIn(ctx, ctx.services))) return NOTHING;
      const target = targetNodes(ctx.view, node, nodes).find((candidate): candidate is VersionNode => candidate.kind === 'version') ?? (await pickVersionNode(ctx));
      if (!target) return NOTHING;
      return run(ctx, target, async (versions) => {
        const version = target.kind === 'version' ? target.version : versions[0];
        const previous = version && previousVersion(versions, version);
        if (version && previous) return [previous, version];
        await ctx.prompts().notify('info', vscode.l10n.t('{0} v{1} is the first version: there is nothing before it to compare with.', target.item.name, version?.versionNumber ?? '?'));
        return undefined;
      });
    }),
    vscode.commands.registerCommand('apsExplorer.compareVersions', async (node?: unknown, nodes?: unknown): Promise<CompareOutcome> => {
      if (!(await signedIn(ctx, ctx.services))) return NOTHING;
      const selected = targetNodes(ctx.view, node, nodes).filter((candidate): candidate is VersionNode => candidate.kind === 'version');
      if (selected.length >= 2) return compare(ctx, selected[0], selected[0].version, selected[1].version, selected[1].item.name);
      const target = targetNodes(ctx.view, node, nodes).find((candidate): candidate is FileNode => candidate.kind === 'item' || candidate.kind === 'version') ?? (await pickVersionNode(ctx));
      if (!target) return NOTHING;
      return run(ctx, target, (versions) => pickTwo(ctx, target, versions));
    }),
  ];
}

/** Lists the file's versions, lets `choose` pick two, and compares them. */
async function run(ctx: FindContext, file: FileNode, choose: (versions: Version[]) => Promise<[Version, Version] | undefined>): Promise<CompareOutcome> {
  const services = ctx.services();
  if (!services) return NOTHING;
  let versions: Version[];
  try {
    versions = await services.dm.listVersions(file.project.id, file.item.id);
  } catch (error) {
    await reportFailure(ctx.prompts(), ctx.log, vscode.l10n.t('Could not list the versions of {0}', file.item.name), error);
    return NOTHING;
  }
  const pair = await choose(versions);
  return pair ? compare(ctx, file, pair[0], pair[1]) : NOTHING;
}

async function pickTwo(ctx: FindContext, file: FileNode, versions: Version[]): Promise<[Version, Version] | undefined> {
  const picks = (exclude?: Version) =>
    versions
      .filter((version) => version.id !== exclude?.id)
      .map((version) => ({
        label: vscode.l10n.t('v{0}', version.versionNumber ?? '?'),
        description: [formatBytes(version.storageSize), formatDate(version.lastModifiedTime ?? version.createTime), version.lastModifiedUserName ?? version.createUserName].filter(Boolean).join(' · '),
        version,
      }));
  if (versions.length < 2) {
    await ctx.prompts().notify('info', vscode.l10n.t('{0} has only one version.', file.item.name));
    return undefined;
  }
  const first = file.kind === 'version' ? file.version : (await ctx.prompts().quickPick(picks(), { title: vscode.l10n.t('Compare Versions of {0}', file.item.name), placeHolder: vscode.l10n.t('The first version') }))?.version;
  if (!first) return undefined;
  const second = await ctx.prompts().quickPick(picks(first), {
    title: vscode.l10n.t('Compare Versions of {0}', file.item.name),
    placeHolder: vscode.l10n.t('Compare v{0} with…', first.versionNumber ?? '?'),
  });
  return second ? [first, second.version] : undefined;
}

/** Compares two versions of `file`: a text diff when both are text, else their details side by side. */
async function compare(ctx: FindContext, file: FileNode, a: Version, b: Version, otherName?: string): Promise<CompareOutcome> {
  const prompts = ctx.prompts();
  const name = file.item.name;
  const problem = pairProblem(a, b);
  if (problem?.kind === 'different-items') {
    await prompts.notify('warning', vscode.l10n.t('{0} and {1} are different files. Compare works on two versions of one file: select two versions under the same file.', name, otherName ?? vscode.l10n.t('the other file')));
    return NOTHING;
  }
  if (problem?.kind === 'same-version') {
    await prompts.notify('info', vscode.l10n.t('That is the same version twice: pick two different versions of {0}.', name));
    return NOTHING;
  }
  if (problem?.kind === 'no-storage') {
    await prompts.notify('warning', vscode.l10n.t('{0} v{1} has no file of its own (it is a sheet), so there is nothing to compare. Use "Export as PDF" to get it as a PDF.', name, problem.version.versionNumber ?? '?'));
    return NOTHING;
  }
  const [left, right] = orderPair(a, b);
  const title = vscode.l10n.t('{0} (v{1} ↔ v{2})', name, left.versionNumber ?? '?', right.versionNumber ?? '?');
  if (textnessByName(left.name) === 'binary' && textnessByName(right.name) === 'binary') return showFacts(file, left, right, title);

  const larger = Math.max(left.storageSize ?? 0, right.storageSize ?? 0);
  if (larger > OPEN_SIZE_CAP) {
    const download = vscode.l10n.t('Download Both');
    const choice = await prompts.notify(
      'warning',
      vscode.l10n.t('{0} v{1} and v{2} are {3} and {4}; files above {5} do not open in the editor. Download both into the workspace?', name, left.versionNumber ?? '?', right.versionNumber ?? '?', formatBytes(left.storageSize ?? 0), formatBytes(right.storageSize ?? 0), formatBytes(OPEN_SIZE_CAP)),
      download,
    );
    if (choice === download) {
      const nodes = [left, right].map((version) => downloadNode(file, version));
      await vscode.commands.executeCommand('apsExplorer.download', nodes[0], nodes);
    }
    return NOTHING;
  }

  const uris = [left, right].map((version) => versionUri({ projectId: file.project.id, versionId: version.id, name: version.name || name }));
  let contents: Uint8Array[];
  try {
    contents = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Fetching {0} v{1} and v{2}…', name, left.versionNumber ?? '?', right.versionNumber ?? '?') }, () =>
      Promise.all(uris.map((uri) => vscode.workspace.fs.readFile(uri))),
    );
  } catch (error) {
    await reportFailure(prompts, ctx.log, vscode.l10n.t('Could not compare {0}', name), error);
    return NOTHING;
  }
  if (!contents.every(looksLikeText)) return showFacts(file, left, right, title);
  await vscode.commands.executeCommand('vscode.diff', uris[0], uris[1], title, { preview: true });
  return { shown: 'text', left, right };
}

async function showFacts(file: FileNode, left: Version, right: Version, title: string): Promise<CompareOutcome> {
  const uri = (version: Version) => factsUri(file.project.id, version.id, versionedFileName(version.name || file.item.name, version.versionNumber));
  await vscode.commands.executeCommand('vscode.diff', uri(left), uri(right), vscode.l10n.t('{0}: details', title), { preview: true });
  return { shown: 'details', left, right };
}

/** A version as the Download command takes it, named "name (vN).ext" so that both versions fit in one folder. */
function downloadNode(file: FileNode, version: Version): VersionNode {
  const item = file.kind === 'item' ? file : file.parent;
  return {
    kind: 'version',
    id: nodeId.version(version.id),
    project: file.project,
    item: file.item,
    version: { ...version, name: versionedFileName(version.name || file.item.name, version.versionNumber) },
    isTip: false,
    path: file.path,
    parent: item,
  };
}

async function pickVersionNode(ctx: FindContext): Promise<FileNode | undefined> {
  const picked = await pickEntity(ctx.model, ctx.prompts(), vscode.l10n.t('APS: Compare Versions…'), (node: TreeNode) => node.kind === 'version' || node.kind === 'item');
  return picked?.kind === 'version' || picked?.kind === 'item' ? picked : undefined;
}
