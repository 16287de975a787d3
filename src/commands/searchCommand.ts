import * as vscode from 'vscode';
import { FolderSearch, isEmptyQuery, parseSearchText, searchFailure, type SearchHit, type SearchPage } from '../core/dm/folderSearch';
import { isApsError } from '../core/http/apsError';
import { formatBytes, formatDate } from '../tree/format';
import type { FolderNode, ProjectNode, TreeNode } from '../tree/nodes';
import { projectNodeOf, signedIn, type FindContext } from './findContext';
import { pickEntity } from './pickEntity';

type Scope = ProjectNode | FolderNode;

interface SearchPick extends vscode.QuickPickItem {
  hit?: SearchHit;
}

/**
 * "Search in Project…" and "Search in Folder…": APS folder search as the user types (`type:`, `after:`,
 * `before:`, `by:`), results shown page by page; the chosen file is revealed in the Hubs tree.
 * Resolves to the revealed node.
 */
export function registerSearchCommands(ctx: FindContext): vscode.Disposable[] {
  const scopeOf = async (node: unknown, kind: Scope['kind']): Promise<Scope | undefined> => {
    const given = (node as TreeNode | undefined) ?? ctx.view.selection[0];
    if (kind === 'folder' && given?.kind === 'folder') return given;
    if (kind === 'project' && given) {
      const project = projectNodeOf(given);
      if (project) return project;
    }
    const title = kind === 'project' ? vscode.l10n.t('APS: Search in Project…') : vscode.l10n.t('APS: Search in Folder…');
    const picked = await pickEntity(ctx.model, ctx.prompts(), title, (candidate) => candidate.kind === kind);
    return picked?.kind === kind ? picked : undefined;
  };
  const command = (kind: Scope['kind']) => async (node?: unknown, text?: unknown) => {
    if (!(await signedIn(ctx, ctx.http))) return undefined;
    const scope = await scopeOf(node, kind);
    return scope ? search(ctx, scope, typeof text === 'string' ? text : undefined) : undefined;
  };
  return [vscode.commands.registerCommand('apsExplorer.searchProject', command('project')), vscode.commands.registerCommand('apsExplorer.searchFolder', command('folder'))];
}

async function search(ctx: FindContext, scope: Scope, text: string | undefined): Promise<TreeNode | undefined> {
  const services = ctx.services();
  const http = ctx.http();
  if (!services || !http) return undefined;
  if (!ctx.hasUser()) return offerFolderFilter(ctx, scope);
  const where = scope.kind === 'project' ? scope.project.name : scope.folder.name;
  const finder = new FolderSearch(http);
  const picked = await ctx.prompts().liveQuickPick<SearchPick>({
    title: vscode.l10n.t('Search in {0}', where),
    placeholder: vscode.l10n.t('Part of a file name, and any of type:rvt,dwg after:2024-01-31 before:2024-12-31 by:name'),
    value: text,
    canPick: (item) => item.hit !== undefined,
    run: async (typed, show, signal) => {
      const { query, problems } = parseSearchText(typed);
      if (problems.length > 0) return show([notice('error', vscode.l10n.t('{0}: write the date as YYYY-MM-DD, for example 2024-03-31.', problems[0].word))], false);
      if (isEmptyQuery(query)) return show([notice('info', vscode.l10n.t('Type part of a file name, a file type (type:ifc) or a date (after:2024-03-01).'))], false);
      const pages =
        scope.kind === 'project'
          ? finder.project(services.dm, scope.hub.id, scope.project.id, query, { signal })
          : finder.folder(scope.project.id, { id: scope.folder.id, name: scope.folder.name }, query, { signal });
      const results: SearchPick[] = [];
      const cut: string[] = [];
      try {
        for await (const page of pages) {
          results.push(...page.hits.map((hit) => resultPick(hit, page)));
          if (page.truncated) cut.push(page.folder.name ?? where);
          show(results, true);
        }
      } catch (error) {
        if (signal.aborted) return;
        ctx.log.error(`Search in ${where} failed`, isApsError(error) ? `${error.message}${error.requestId ? ` (request ${error.requestId})` : ''}` : error);
        return show([...results, notice('error', failureSentence(error, where))], false);
      }
      const notes: SearchPick[] = [];
      if (cut.length > 0) {
        notes.push(notice('warning', vscode.l10n.t('Showing the first {0} results: APS returns at most 50 pages of results per folder ({1}). Add a file type or a date to narrow the search.', results.length, cut.join(', '))));
      }
      if (results.length === 0) notes.push(notice('info', vscode.l10n.t('No files in {0} match "{1}".', where, typed.trim())));
      show([...results, ...notes], false);
    },
  });
  if (!picked?.hit) return undefined;
  const itemId = picked.hit.item?.id ?? picked.hit.version.itemId;
  const target = itemId ? { projectId: scope.project.id, itemId } : { projectId: scope.project.id, versionId: picked.hit.version.id };
  const id = await vscode.commands.executeCommand<string | undefined>('apsExplorer.revealById', target);
  return id ? ctx.model.node(id) : undefined;
}

function resultPick(hit: SearchHit, page: SearchPage): SearchPick {
  const { version } = hit;
  const name = hit.item?.name ?? version.name;
  return {
    label: `$(file) ${name}`,
    description: [
      version.versionNumber ? vscode.l10n.t('v{0}', version.versionNumber) : '',
      formatBytes(version.storageSize),
      formatDate(version.lastModifiedTime ?? version.createTime),
      version.lastModifiedUserName ?? version.createUserName ?? '',
    ]
      .filter(Boolean)
      .join(' · '),
    detail: page.folder.name ? vscode.l10n.t('under {0}', page.folder.name) : undefined,
    alwaysShow: true,
    hit,
  };
}

function notice(level: 'info' | 'warning' | 'error', message: string): SearchPick {
  return { label: `$(${level}) ${message}`, alwaysShow: true };
}

function failureSentence(error: unknown, where: string): string {
  const reason = isApsError(error) ? error.userMessage : error instanceof Error ? error.message : String(error);
  switch (searchFailure(error)) {
    case 'needs-user':
      return vscode.l10n.t('Search needs a signed-in Autodesk user. Sign in with Autodesk, or set a user ID for app credentials.');
    case 'needs-scope':
      return vscode.l10n.t('Autodesk refused the search: the sign-in lacks the data:search scope. Sign out and sign in again.');
    case 'no-access':
      return vscode.l10n.t('No access to {0}: {1}', where, reason);
    case 'refused':
      return vscode.l10n.t('Autodesk refused the search: {0} Check the filters (type:, after:, before:, by:).', reason);
    default:
      return vscode.l10n.t('The search failed: {0}', reason);
  }
}

/** App credentials without a user: APS refuses folder search, so say why and offer the name filter instead. */
async function offerFolderFilter(ctx: FindContext, scope: Scope): Promise<undefined> {
  const filter = vscode.l10n.t('Filter Folder…');
  const signIn = vscode.l10n.t('Sign In with Autodesk');
  const setUser = vscode.l10n.t('Set User ID');
  const choice = await ctx.prompts().notify(
    'warning',
    vscode.l10n.t(
      'Search needs a signed-in Autodesk user: APS folder search does not work with app credentials alone. Sign in with Autodesk, or set a user ID (apsExplorer.userId) for the app. You can filter a folder by name instead.',
    ),
    filter,
    signIn,
    setUser,
  );
  if (choice === signIn) await vscode.commands.executeCommand('apsExplorer.signIn');
  else if (choice === setUser) await vscode.commands.executeCommand('workbench.action.openSettings', 'apsExplorer.userId');
  else if (choice === filter) {
    const folder = scope.kind === 'folder' ? scope : (await ctx.model.children(scope)).find((child): child is FolderNode => child.kind === 'folder');
    if (folder) await vscode.commands.executeCommand('apsExplorer.filterFolder', folder);
  }
  return undefined;
}
