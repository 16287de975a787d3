import * as vscode from 'vscode';
import type { HubKind } from '../core/dm/models';
import { describeTreeError } from './errors';
import { formatBytes, formatDate, md } from './format';
import type { FolderNode, HubNode, ItemNode, ProjectNode, TreeNode, VersionNode } from './nodes';

const HUB_ICONS: Record<HubKind, string> = { personal: 'account', fusion: 'symbol-constructor', bim360: 'organization', acc: 'briefcase', unknown: 'globe' };
// APS gives BIM 360 and ACC accounts the same hub type; their projects tell them apart.
const HUB_LABELS: Record<HubKind, string> = { personal: 'Personal', fusion: 'Fusion', bim360: 'BIM 360 / ACC', acc: 'ACC', unknown: '' };
const PROJECT_ICONS = { bim360: 'project', acc: 'layers', fusion: 'symbol-structure' } as const;
const PROJECT_LABELS = { bim360: 'BIM 360', acc: 'ACC', fusion: 'Fusion' } as const;

/** Extra facts the commands layer adds to contextValue (for example pdf-exportable versions). */
export type CapabilityProbe = (node: TreeNode) => string[];

export function toTreeItem(node: TreeNode, filter: string | undefined, capabilities: CapabilityProbe): vscode.TreeItem {
  const item = render(node, filter);
  item.id = node.id;
  const flags = capabilities(node);
  if (filter) flags.push('filtered');
  if ('project' in node && entityWebLink(node)) flags.push('weblink');
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
      return withTooltip(new vscode.TreeItem(node.hub.name, Collapsed), icon(HUB_ICONS[node.hub.kind]), HUB_LABELS[node.hub.kind], hubTooltip(node));
    case 'project':
      return withTooltip(new vscode.TreeItem(node.project.name, Collapsed), icon(PROJECT_ICONS[node.project.kind]), PROJECT_LABELS[node.project.kind], projectTooltip(node));
    case 'folder': {
      const item = new vscode.TreeItem(node.folder.name, Collapsed);
      item.resourceUri = vscode.Uri.from({ scheme: 'aps-tree', path: `/${node.folder.name}` });
      item.iconPath = vscode.ThemeIcon.Folder;
      item.description = filter ? `filter: ${filter}` : node.folder.folderType === 'plan' ? 'Plans' : undefined;
      item.tooltip = folderTooltip(node);
      return item;
    }
    case 'item': {
      const item = new vscode.TreeItem(node.item.name, Collapsed);
      item.resourceUri = vscode.Uri.from({ scheme: 'aps-tree', path: `/${node.item.name}` });
      item.iconPath = vscode.ThemeIcon.File;
      const tip = node.item.tip;
      item.description = [formatBytes(tip?.storageSize), tip?.versionNumber ? `v${tip.versionNumber}` : ''].filter(Boolean).join(' · ');
      item.tooltip = itemTooltip(node);
      return item;
    }
    case 'version': {
      const version = node.version;
      const item = new vscode.TreeItem(`v${version.versionNumber ?? '?'}`, vscode.TreeItemCollapsibleState.None);
      item.iconPath = icon(node.isTip ? 'circle-filled' : 'circle-outline');
      item.description = [node.isTip ? 'latest' : '', formatBytes(version.storageSize), formatDate(version.lastModifiedTime ?? version.createTime), version.lastModifiedUserName ?? version.createUserName]
        .filter(Boolean)
        .join(' · ');
      item.tooltip = versionTooltip(node);
      return item;
    }
    case 'loadMore': {
      const item = new vscode.TreeItem('Load more…', vscode.TreeItemCollapsibleState.None);
      item.iconPath = icon('more');
      item.description = `${node.loaded} loaded`;
      item.tooltip = 'Load the next page. Right-click for "Load All".';
      item.command = { command: 'apsExplorer.loadMore', title: 'Load More', arguments: [node] };
      return item;
    }
    case 'error': {
      const { label, action } = describeTreeError(node.error);
      const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
      item.iconPath = icon('error', 'errorForeground');
      item.tooltip = new vscode.MarkdownString(`**${md(node.error.userMessage)}**\n\n${md(node.error.status ? `HTTP ${node.error.status}` : node.error.kind)}${node.error.requestId ? ` · request ${md(node.error.requestId)}` : ''}\n\nClick to ${action === 'signIn' ? 'sign in again' : 'retry'}.`);
      item.command = action === 'signIn' ? { command: 'apsExplorer.signIn', title: 'Sign In' } : { command: 'apsExplorer.retry', title: 'Retry', arguments: [node] };
      return item;
    }
    case 'empty': {
      const item = new vscode.TreeItem(node.filtered ? 'No names match the filter' : node.parent.kind === 'folder' ? 'Empty folder' : 'Nothing here', vscode.TreeItemCollapsibleState.None);
      item.iconPath = icon('info');
      return item;
    }
  }
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

function table(title: string, rows: Array<[string, string | number | undefined]>): vscode.MarkdownString {
  const body = rows.filter(([, value]) => value !== undefined && value !== '').map(([name, value]) => `| ${name} | ${String(value)} |`);
  return new vscode.MarkdownString(`**${md(title)}**\n\n| | |\n|---|---|\n${body.join('\n')}`);
}

const code = (text: string | undefined) => (text ? `\`${text.replace(/`/g, "'")}\`` : undefined);

function hubTooltip({ hub }: HubNode): vscode.MarkdownString {
  return table(hub.name, [['Kind', HUB_LABELS[hub.kind] || hub.extensionType], ['Hub ID', code(hub.id)], ['Region', hub.region]]);
}

function projectTooltip({ project, hub }: ProjectNode): vscode.MarkdownString {
  return table(project.name, [['Type', PROJECT_LABELS[project.kind]], ['Project ID', code(project.id)], ['Hub', md(hub.name)], ['Root folder', code(project.rootFolderId)]]);
}

function folderTooltip({ folder }: FolderNode): vscode.MarkdownString {
  return table(folder.name, [
    ['Folder ID', code(folder.id)],
    ['Items', folder.objectCount],
    ['Modified', md(formatDate(folder.lastModifiedTime))],
    ['By', md(folder.lastModifiedUserName)],
    ['Created', md(formatDate(folder.createTime))],
  ]);
}

function itemTooltip({ item }: ItemNode): vscode.MarkdownString {
  const tip = item.tip;
  return table(item.name, [
    ['Item ID', code(item.id)],
    ['Latest version', tip?.versionNumber],
    ['Size', formatBytes(tip?.storageSize)],
    ['Type', md(tip?.fileType ?? tip?.mimeType)],
    ['Modified', md(formatDate(item.lastModifiedTime))],
    ['By', md(item.lastModifiedUserName)],
    ['Created', md(formatDate(item.createTime))],
    ['Created by', md(item.createUserName)],
  ]);
}

function versionTooltip({ version, item, isTip }: VersionNode): vscode.MarkdownString {
  return table(`${item.name} v${version.versionNumber ?? '?'}${isTip ? ' (latest)' : ''}`, [
    ['Version ID', code(version.id)],
    ['File name', md(version.name)],
    ['Size', formatBytes(version.storageSize)],
    ['MIME type', md(version.mimeType)],
    ['Process state', md(version.processState)],
    ['Created', md(formatDate(version.createTime))],
    ['Created by', md(version.createUserName)],
    ['Modified', md(formatDate(version.lastModifiedTime))],
    ['Modified by', md(version.lastModifiedUserName)],
    ['Storage', code(version.storageUrn)],
  ]);
}

export function entityWebLink(node: TreeNode): string | undefined {
  switch (node.kind) {
    case 'project':
      return node.project.webViewUrl;
    case 'folder':
      return node.folder.webViewUrl;
    case 'item':
      return node.item.webViewUrl;
    case 'version':
      return node.version.webViewUrl ?? node.item.webViewUrl;
    default:
      return undefined;
  }
}
