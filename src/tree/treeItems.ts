import * as vscode from 'vscode';
import type { HubKind } from '../core/dm/models';
import { docsWebLink } from '../core/dm/webLinks';
import type { ApsError } from '../core/http/apsError';
import { formatBytes, formatDate, md } from './format';
import { entityOf, type FolderNode, type HubNode, type ItemNode, type ProjectNode, type TreeNode, type VersionNode } from './nodes';

const HUB_ICONS: Record<HubKind, string> = { personal: 'account', fusion: 'symbol-constructor', bim360: 'organization', acc: 'briefcase', unknown: 'globe' };
// APS gives BIM 360 and ACC accounts the same hub type; their projects tell them apart.
const hubLabels = (): Record<HubKind, string> => ({ personal: vscode.l10n.t('Personal'), fusion: 'Fusion', bim360: 'BIM 360 / ACC', acc: 'ACC', unknown: '' });
const PROJECT_ICONS = { bim360: 'project', acc: 'layers', fusion: 'symbol-structure' } as const;
const PROJECT_LABELS = { bim360: 'BIM 360', acc: 'ACC', fusion: 'Fusion' } as const;

/** Extra facts the commands layer adds to contextValue (for example pdf-exportable versions). */
export type CapabilityProbe = (node: TreeNode) => string[];

export function toTreeItem(node: TreeNode, filter: string | undefined, capabilities: CapabilityProbe): vscode.TreeItem {
  const item = render(node, filter);
  item.id = node.id;
  const flags = capabilities(node);
  if (filter) flags.push('filtered');
  if (entityWebLink(node)) flags.push('weblink');
  item.contextValue = [`aps.${node.kind}`, ...flags].join(' ');
  item.accessibilityInformation = { label: spokenLabel(item), role: 'treeitem' };
  return item;
}

/** "Tower.rvt, 3.1 MiB, v3" rather than the default label-space-description run-on. */
function spokenLabel(item: vscode.TreeItem): string {
  const label = typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
  const description = typeof item.description === 'string' ? item.description.split(' · ') : [];
  return [label, ...description].filter(Boolean).join(', ');
}

function render(node: TreeNode, filter: string | undefined): vscode.TreeItem {
  const Collapsed = vscode.TreeItemCollapsibleState.Collapsed;
  switch (node.kind) {
    case 'hub':
      return withTooltip(new vscode.TreeItem(node.hub.name, Collapsed), icon(HUB_ICONS[node.hub.kind]), hubLabels()[node.hub.kind], hubTooltip(node));
    case 'project':
      return withTooltip(new vscode.TreeItem(node.project.name, Collapsed), icon(PROJECT_ICONS[node.project.kind]), PROJECT_LABELS[node.project.kind], projectTooltip(node));
    case 'folder': {
      const item = new vscode.TreeItem(node.folder.name, Collapsed);
      item.resourceUri = vscode.Uri.from({ scheme: 'aps-tree', path: `/${node.folder.name}` });
      item.iconPath = vscode.ThemeIcon.Folder;
      item.description = filter ? vscode.l10n.t('filter: {0}', filter) : node.folder.folderType === 'plan' ? vscode.l10n.t('Plans') : undefined;
      item.tooltip = folderTooltip(node);
      return item;
    }
    case 'item': {
      const item = new vscode.TreeItem(node.item.name, Collapsed);
      item.resourceUri = vscode.Uri.from({ scheme: 'aps-tree', path: `/${node.item.name}` });
      item.iconPath = vscode.ThemeIcon.File;
      const tip = node.item.tip;
      item.description = [formatBytes(tip?.storageSize), tip?.versionNumber ? vscode.l10n.t('v{0}', tip.versionNumber) : ''].filter(Boolean).join(' · ');
      // The tooltip is filled on hover (fileTooltip), with the thumbnail when there is one.
      return item;
    }
    case 'version': {
      const version = node.version;
      const item = new vscode.TreeItem(vscode.l10n.t('v{0}', version.versionNumber ?? '?'), vscode.TreeItemCollapsibleState.None);
      item.iconPath = icon(node.isTip ? 'circle-filled' : 'circle-outline');
      item.description = [node.isTip ? vscode.l10n.t('latest') : '', formatBytes(version.storageSize), formatDate(version.lastModifiedTime ?? version.createTime), version.lastModifiedUserName ?? version.createUserName]
        .filter(Boolean)
        .join(' · ');
      return item;
    }
    case 'loadMore': {
      const item = new vscode.TreeItem(vscode.l10n.t('Load more…'), vscode.TreeItemCollapsibleState.None);
      item.iconPath = icon('more');
      item.description = vscode.l10n.t('{0} loaded', node.loaded);
      item.tooltip = vscode.l10n.t('Load the next page. Right-click for "Load All".');
      item.command = { command: 'apsExplorer.loadMore', title: vscode.l10n.t('Load More'), arguments: [node] };
      return item;
    }
    case 'error': {
      const { label, action } = describeTreeError(node.error);
      const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
      item.iconPath = icon('error', 'errorForeground');
      const status = md(node.error.status ? `HTTP ${node.error.status}` : node.error.kind);
      const request = node.error.requestId ? ` · ${vscode.l10n.t('request {0}', md(node.error.requestId))}` : '';
      const click = action === 'signIn' ? vscode.l10n.t('Click to sign in again.') : vscode.l10n.t('Click to retry.');
      item.tooltip = new vscode.MarkdownString(`**${md(node.error.userMessage)}**\n\n${status}${request}\n\n${click}`);
      item.command = action === 'signIn' ? { command: 'apsExplorer.signIn', title: vscode.l10n.t('Sign In') } : { command: 'apsExplorer.retry', title: vscode.l10n.t('Retry'), arguments: [node] };
      return item;
    }
    case 'notice': {
      const item = new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
      item.iconPath = icon('warning', 'problemsWarningIcon.foreground');
      item.tooltip = node.text;
      return item;
    }
    case 'empty': {
      const label = node.filtered ? vscode.l10n.t('No names match the filter') : node.parent.kind === 'folder' ? vscode.l10n.t('Empty folder') : vscode.l10n.t('Nothing here');
      const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
      item.iconPath = icon('info');
      return item;
    }
  }
}

/** What the error node says, and what its action does. */
export function describeTreeError(error: ApsError): { label: string; action: 'signIn' | 'retry' } {
  if (error.kind === 'auth' || error.status === 401) return { label: vscode.l10n.t('Signed out or session expired: sign in again'), action: 'signIn' };
  if (error.status === 403) return { label: vscode.l10n.t('No access: {0}', error.userMessage), action: 'retry' };
  if (error.kind === 'network' || error.kind === 'timeout') return { label: vscode.l10n.t('Offline or APS unreachable: {0}', error.userMessage), action: 'retry' };
  return { label: error.userMessage, action: 'retry' };
}

function icon(id: string, color?: string): vscode.ThemeIcon {
  return new vscode.ThemeIcon(id, color ? new vscode.ThemeColor(color) : undefined);
}

function withTooltip(item: vscode.TreeItem, iconPath: vscode.ThemeIcon, description: string, tooltip: vscode.MarkdownString): vscode.TreeItem {
  item.iconPath = iconPath;
  item.description = description || undefined;
  item.tooltip = tooltip;
  return item;
}

function table(title: string, rows: Array<[string, string | number | undefined]>, picture = ''): vscode.MarkdownString {
  const body = rows.filter(([, value]) => value !== undefined && value !== '').map(([name, value]) => `| ${name} | ${String(value)} |`);
  return new vscode.MarkdownString(`**${md(title)}**\n\n${picture ? `${picture}\n\n` : ''}| | |\n|---|---|\n${body.join('\n')}`);
}

/**
 * A file's tooltip: its facts, and above them `picture` (Markdown: the thumbnail, or a line saying it is
 * still being generated).
 */
export function fileTooltip(node: ItemNode | VersionNode, picture?: string): vscode.MarkdownString {
  return node.kind === 'item' ? itemTooltip(node, picture) : versionTooltip(node, picture);
}

const code = (text: string | undefined) => (text ? `\`${text.replace(/`/g, "'")}\`` : undefined);

function hubTooltip({ hub }: HubNode): vscode.MarkdownString {
  return table(hub.name, [
    [vscode.l10n.t('Kind'), hubLabels()[hub.kind] || hub.extensionType],
    [vscode.l10n.t('Hub ID'), code(hub.id)],
    [vscode.l10n.t('Region'), hub.region],
  ]);
}

function projectTooltip({ project, hub }: ProjectNode): vscode.MarkdownString {
  return table(project.name, [
    [vscode.l10n.t('Type'), PROJECT_LABELS[project.kind]],
    [vscode.l10n.t('Project ID'), code(project.id)],
    [vscode.l10n.t('Hub'), md(hub.name)],
    [vscode.l10n.t('Root folder'), code(project.rootFolderId)],
  ]);
}

function folderTooltip({ folder }: FolderNode): vscode.MarkdownString {
  return table(folder.name, [
    [vscode.l10n.t('Folder ID'), code(folder.id)],
    [vscode.l10n.t('Items'), folder.objectCount],
    [vscode.l10n.t('Modified'), md(formatDate(folder.lastModifiedTime))],
    [vscode.l10n.t('By'), md(folder.lastModifiedUserName)],
    [vscode.l10n.t('Created'), md(formatDate(folder.createTime))],
  ]);
}

function itemTooltip({ item }: ItemNode, picture?: string): vscode.MarkdownString {
  const tip = item.tip;
  return table(item.name, [
    [vscode.l10n.t('Item ID'), code(item.id)],
    [vscode.l10n.t('Latest version'), tip?.versionNumber],
    [vscode.l10n.t('Size'), formatBytes(tip?.storageSize)],
    [vscode.l10n.t('Type'), md(tip?.fileType ?? tip?.mimeType)],
    [vscode.l10n.t('Modified'), md(formatDate(item.lastModifiedTime))],
    [vscode.l10n.t('By'), md(item.lastModifiedUserName)],
    [vscode.l10n.t('Created'), md(formatDate(item.createTime))],
    [vscode.l10n.t('Created by'), md(item.createUserName)],
  ], picture);
}

function versionTooltip({ version, item, isTip }: VersionNode, picture?: string): vscode.MarkdownString {
  const number = version.versionNumber ?? '?';
  return table(isTip ? vscode.l10n.t('{0} v{1} (latest)', item.name, number) : vscode.l10n.t('{0} v{1}', item.name, number), [
    [vscode.l10n.t('Version ID'), code(version.id)],
    [vscode.l10n.t('File name'), md(version.name)],
    [vscode.l10n.t('Size'), formatBytes(version.storageSize)],
    [vscode.l10n.t('MIME type'), md(version.mimeType)],
    [vscode.l10n.t('Process state'), md(version.processState)],
    [vscode.l10n.t('Created'), md(formatDate(version.createTime))],
    [vscode.l10n.t('Created by'), md(version.createUserName)],
    [vscode.l10n.t('Modified'), md(formatDate(version.lastModifiedTime))],
    [vscode.l10n.t('Modified by'), md(version.lastModifiedUserName)],
    [vscode.l10n.t('Storage'), code(version.storageUrn)],
  ], picture);
}

/** The node's page in Autodesk Docs: APS's `links.webView`, else one built from its ids (BIM 360 / ACC). */
export function entityWebLink(node: TreeNode): string | undefined {
  switch (node.kind) {
    case 'project':
      return docsWebLink({ webViewUrl: node.project.webViewUrl, project: node.project, region: node.hub.region });
    case 'folder':
      return docsWebLink({ webViewUrl: node.folder.webViewUrl, project: node.project, folderId: node.folder.id });
    case 'item':
      return docsWebLink({ webViewUrl: node.item.webViewUrl, project: node.project, folderId: node.item.parentId ?? node.parent.folder.id, itemId: node.item.id });
    case 'version':
      return docsWebLink({ webViewUrl: entityOf(node)?.webViewUrl, project: node.project, folderId: node.item.parentId ?? node.parent.parent.folder.id, versionId: node.version.id });
    default:
      return entityOf(node)?.webViewUrl;
  }
}
