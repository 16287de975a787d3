import { readFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import type { Thumbnail, ThumbnailCache } from '../core/derivatives/thumbnails';
import type { Version } from '../core/dm/models';
import type { HttpClient } from '../core/http/httpClient';
import type { ExtensionLog } from '../log/logChannel';
import type { ItemNode, VersionNode } from './nodes';
import { fileTooltip } from './treeItems';

export interface ThumbnailSource {
  cache: ThumbnailCache;
  http: () => HttpClient | undefined;
  log: ExtensionLog;
}

/** Whether thumbnails are fetched at all (`apsExplorer.thumbnails`). */
export function thumbnailsEnabled(): boolean {
  return vscode.workspace.getConfiguration('apsExplorer').get<boolean>('thumbnails', true);
}

/** The version's thumbnail, or undefined when it has none, thumbnails are off, or fetching failed (logged). */
export async function thumbnailOf(source: ThumbnailSource, version: Version | undefined, token?: vscode.CancellationToken): Promise<Thumbnail | undefined> {
  const http = source.http();
  if (!version || !http || !thumbnailsEnabled()) return undefined;
  const abort = new AbortController();
  const cancel = token?.onCancellationRequested(() => abort.abort());
  try {
    return await source.cache.get(http, version, abort.signal);
  } catch (error) {
    if (!abort.signal.aborted) source.log.error(`Thumbnail of ${version.name} v${version.versionNumber ?? '?'}`, error);
    return undefined;
  } finally {
    cancel?.dispose();
  }
}

/** The PNG as a data: URI (shows in remote and web windows too, where a local path would not). */
export async function thumbnailDataUri(thumbnail: Thumbnail | undefined): Promise<string | undefined> {
  if (thumbnail?.state !== 'ready') return undefined;
  const png = await readFile(thumbnail.file).catch(() => undefined);
  return png ? `data:image/png;base64,${png.toString('base64')}` : undefined;
}

/** Markdown for a thumbnail: the image, or a line saying it is on its way. */
export async function thumbnailMarkdown(thumbnail: Thumbnail | undefined): Promise<string> {
  if (thumbnail?.state === 'pending') return `*${thumbnailPendingText()}*`;
  const image = await thumbnailDataUri(thumbnail);
  return image ? `![${vscode.l10n.t('Thumbnail')}](${image})` : '';
}

export function thumbnailPendingText(): string {
  return vscode.l10n.t('The thumbnail is still being generated.');
}

/** The tooltip of a file or version node, with its thumbnail: resolved when the node is hovered. */
export async function fileTooltipWithThumbnail(source: ThumbnailSource, node: ItemNode | VersionNode, token?: vscode.CancellationToken): Promise<vscode.MarkdownString> {
  const version = node.kind === 'version' ? node.version : node.item.tip;
  return fileTooltip(node, await thumbnailMarkdown(await thumbnailOf(source, version, token)));
}
