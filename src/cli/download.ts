// `aps-explorer download`: files, versions and folders from APS, or a plain URL, through the transfer engine.
import { statSync } from 'node:fs';
import * as path from 'node:path';
import type { ApsServices } from '../core/client';
import { sanitizeFileName } from '../core/download/localNames';
import { planDownload, type DownloadEntry } from '../core/download/plan';
import { failureReason } from '../core/failureReason';
import { formatBytes } from '../core/format';
import { formatNamesPath, parseRemoteIds } from '../core/remote/address';
import { locateRemote, namesOf, type EntityPath } from '../core/remote/locate';
import { fileNameFromUrl, inlineWritesFs, TransferEngine, urlSource, type BulkFileResult, type BulkItem, type ConflictPolicy } from '../core/transfer';
import { ENVIRONMENT_HELP } from './connect';
import { duration, type Output } from './output';
import { REMOTE_HELP } from './ls';

export const DOWNLOAD_HELP = `Usage: aps-explorer download <remote> [<local-dir>] [options]
       aps-explorer download <http(s)-url> <file> [options]

Downloads a file (its latest version), a version, or a folder with everything below it
(structure kept) into <local-dir> (default: the current folder): parallel ranged connections,
each file's size and SHA-1 checked before it gets its name. Ctrl-C stops and keeps what arrived
(a ".apspart" file and its journal beside the target); the same command resumes it.

The second form downloads a plain URL, such as a signed storage link, to <file> (a folder
takes the name from the URL).

${REMOTE_HELP}

Options:
  --connections N     parallel connections per file, 1-16 (default 8)
  --chunk-size SIZE   smallest piece a file is first split into (default 8M; K, M, G)
  --conflict POLICY   for files that exist: overwrite (default), skip, keep-both
  --no-verify         skip the SHA-1 check (sizes are always checked)
  --sha1 HEX          the expected SHA-1 of a plain URL's file
  --json              a JSON summary on stdout
  --quiet             no progress on stderr
  --base-url URL      another API origin (default: $APS_BASE_URL, else APS)
  -h, --help          this help

Exit status: 0 when every file arrived or was skipped, 1 when one failed, 2 on a usage
error, 130 when stopped with Ctrl-C.

${ENVIRONMENT_HELP}`;

export class UsageError extends Error {}

export interface DownloadArgs {
  readonly source: string;
  readonly destination?: string;
  readonly connections?: number;
  readonly chunkSize?: number;
  readonly conflict: ConflictPolicy;
  readonly verify: boolean;
  readonly sha1?: string;
}

interface Planned {
  readonly items: BulkItem[];
  /** Shown names of the items, and of files that cannot be downloaded with the reason. */
  readonly names: Map<BulkItem, string>;
  readonly unavailable: { name: string; reason: string }[];
  readonly root?: string;
}

/** A plain URL, not a BIM 360 / ACC web link. */
export function isPlainUrl(source: string): boolean {
  return /^https?:\/\//i.test(source) && parseRemoteIds(source) === undefined;
}

/** Runs the download; resolves to the exit status. */
export async function runDownload(args: DownloadArgs, output: Output, signal: AbortSignal, services: () => ApsServices): Promise<number> {
  // This process only downloads: it writes on its event loop, as curl does (the extension never does).
  const engine = new TransferEngine({ proxy: {}, fs: inlineWritesFs, log: (level, message) => level === 'warn' && output.note(`warning: ${message}`) });
  const started = performance.now();
  try {
    const planned = isPlainUrl(args.source) ? plainUrl(args, engine) : await fromApi(args, services(), signal, output);
    const results: BulkFileResult[] = [];
    await engine.downloadMany(planned.items, {
      root: planned.root,
      conflict: args.conflict,
      connections: args.connections,
      chunkSize: args.chunkSize,
      verifySha1: args.verify,
      signal,
      onProgress: (progress) => output.progress(progress),
      onFileSettled: (file) => {
        results.push(file);
        report(file, planned.names.get(file.item) ?? file.item.target, output);
      },
    });
    return summarize(results, planned, (performance.now() - started) / 1000, output, signal.aborted);
  } finally {
    // The process exits next, which closes the sockets at once.
    void engine.close().catch(() => undefined);
  }
}

function plainUrl(args: DownloadArgs, engine: TransferEngine): Planned {
  if (args.destination === undefined) throw new UsageError('download <url> needs the <file> to write.');
  const destination = path.resolve(args.destination);
  const intoFolder = /[\\/]$/.test(args.destination) || isDirectory(destination);
  const target = intoFolder ? path.join(destination, sanitizeFileName(fileNameFromUrl(args.source) ?? 'download')) : destination;
  const item: BulkItem = { source: urlSource(args.source, engine.dispatcher, args.sha1), target };
  return { items: [item], names: new Map([[item, path.basename(target)]]), unavailable: [] };
}

async function fromApi(args: DownloadArgs, aps: ApsServices, signal: AbortSignal, output: Output): Promise<Planned> {
  const at = await locateRemote(aps.dm, args.source, signal);
  const root = path.resolve(args.destination ?? '.');
  output.note(`Listing ${formatNamesPath(namesOf(at))}`);
  const files = await planDownload(aps.dm, [entryOf(at)], root, { signal });
  const planned: Planned = { items: [], names: new Map(), unavailable: [], root };
  for (const file of files) {
    const name = path.relative(root, file.target);
    if (!file.storage) {
      planned.unavailable.push({ name, reason: 'it has no file of its own (a sheet): export it as PDF in the extension' });
      continue;
    }
    const item: BulkItem = { source: aps.objectSource(file.storage), target: file.target, ...(file.size !== undefined ? { size: file.size } : {}) };
    planned.items.push(item);
    planned.names.set(item, name);
  }
  return planned;
}

/** A version, a file (its tip) or a folder: what the remote names, landing in the local folder itself. */
function entryOf(at: EntityPath): DownloadEntry {
  const { project, version, item } = at;
  const folder = at.folders?.at(-1);
  if (!project) throw new UsageError(`${at.hub.name} is a hub: download a folder, a file or a version.`);
  if (version) {
    return { type: 'version', projectId: project.id, path: [], versionId: version.id, name: version.name, ...(version.storage ? { storage: version.storage } : {}), ...(version.storageSize !== undefined ? { size: version.storageSize } : {}) };
  }
  if (item) return { type: 'item', projectId: project.id, path: [], itemId: item.id, name: item.name };
  if (folder) return { type: 'folder', projectId: project.id, path: [folder.name], folderId: folder.id };
  throw new UsageError(`${project.name} is a project: download one of its folders, a file or a version.`);
}

function report(file: BulkFileResult, name: string, output: Output): void {
  const size = file.result ? ` (${formatBytes(file.result.size)})` : '';
  if (file.status === 'downloaded') output.line(`downloaded  ${name}${size}`);
  else if (file.status === 'skipped') output.line(`skipped     ${name} (exists)`);
  else if (file.status === 'failed') output.problem(`failed      ${name}: ${failureReason(file.error)}`);
}

function summarize(results: readonly BulkFileResult[], planned: Planned, seconds: number, output: Output, cancelled: boolean): number {
  for (const { name, reason } of planned.unavailable) output.problem(`failed      ${name}: ${reason}`);
  const count = (status: BulkFileResult['status']) => results.filter((file) => file.status === status).length;
  const bytes = results.reduce((sum, file) => sum + (file.status === 'downloaded' ? (file.result?.size ?? 0) : 0), 0);
  const failed = count('failed') + planned.unavailable.length;
  output.document({
    files: [
      ...results.map((file) => ({
        name: planned.names.get(file.item),
        target: file.result?.path ?? file.item.target,
        status: file.status,
        ...(file.result ? { size: file.result.size, sha1: file.result.sha1, resumedBytes: file.result.resumedBytes } : {}),
        ...(file.error ? { error: file.error.message } : {}),
      })),
      ...planned.unavailable.map(({ name, reason }) => ({ name, status: 'failed', error: reason })),
    ],
    downloaded: count('downloaded'),
    skipped: count('skipped'),
    failed,
    bytes,
    seconds,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
  });
  if (cancelled) {
    output.problem('Stopped. What arrived is kept: run the same command again to resume.');
    return 130;
  }
  const total = results.length + planned.unavailable.length;
  output.note(`${count('downloaded')} of ${total} file${total === 1 ? '' : 's'} downloaded (${formatBytes(bytes)}) in ${seconds < 60 ? `${seconds.toFixed(1)}s` : duration(seconds)}${count('skipped') ? `, ${count('skipped')} skipped` : ''}${failed ? `, ${failed} failed` : ''}.`);
  return failed > 0 ? 1 : 0;
}

function isDirectory(target: string): boolean {
  try {
    return statSync(target).isDirectory();
  } catch {
    return false;
  }
}
