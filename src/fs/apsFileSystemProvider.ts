import { randomUUID } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DataManagementClient } from '../core/dm/dataManagement';
import { FolderPaths, type PathEntry } from '../core/dm/folderPaths';
import type { Folder, Version } from '../core/dm/models';
import { isApsError } from '../core/http/apsError';
import type { TransferEngine } from '../core/transfer';
import type { ApsServices } from '../core/client';
import { failureReason } from '../core/failureReason';
import { formatBytes } from '../tree/format';
import { ByteCache } from './byteCache';
import { parseFolderUri, parseVersionUri, type FolderRef, type VersionRef } from './apsUri';

/** Files above this open only after "APS: Download" (the editor holds the whole file in memory). */
export const OPEN_SIZE_CAP = 64 * 1024 * 1024;
const CACHE_BYTES = 256 * 1024 * 1024;

/**
 * `aps:` read-only files: a version's bytes, fetched through the transfer engine into the extension's
 * own storage, read into memory and cached; never written into the workspace.
 */
export class ApsFileSystemProvider implements vscode.FileSystemProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changed.event;
  private readonly versions = new Map<string, Promise<Version>>();
  private readonly contents = new ByteCache(CACHE_BYTES);
  private folderPaths?: { dm: DataManagementClient; paths: FolderPaths };

  constructor(
    private readonly services: () => ApsServices | undefined,
    private readonly engine: TransferEngine,
    private readonly scratchFolder: string,
    /** Settles once the saved account is loaded (editors restored at startup read before that). */
    private readonly ready: Promise<unknown> = Promise.resolve(),
  ) {}

  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }

  async stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    const folder = parseFolderUri(uri);
    if (folder) {
      const entry = await this.entry(uri, folder);
      if (entry.kind === 'folder') return folderStat(entry.folder);
    }
    const version = await this.version(uri);
    return {
      type: vscode.FileType.File,
      ctime: Date.parse(version.createTime ?? '') || 0,
      mtime: Date.parse(version.lastModifiedTime ?? version.createTime ?? '') || 0,
      size: version.storageSize ?? 0,
      permissions: vscode.FilePermission.Readonly,
    };
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    await this.ready;
    const ref = { name: nameOf(uri) };
    const version = await this.version(uri);
    // Cached by version: a folder path names a file's latest version, which can change.
    const key = version.id;
    const cached = this.contents.get(key);
    if (cached) return cached;
    if (!version.storage) throw vscode.FileSystemError.Unavailable(vscode.l10n.t('"{0}" has no file of its own (it is a sheet). Use "APS: Export as PDF".', ref.name));
    const size = version.storageSize ?? 0;
    if (size > OPEN_SIZE_CAP) {
      throw vscode.FileSystemError.Unavailable(
        vscode.l10n.t('"{0}" is {1}; files above {2} do not open in the editor. Use "APS: Download" to save it into the workspace.', ref.name, formatBytes(size), formatBytes(OPEN_SIZE_CAP)),
      );
    }
    const bytes = await this.fetch(version, ref);
    this.contents.set(key, bytes);
    return bytes;
  }

  /** An APS folder's entries (all pages, read afresh each time: VS Code calls this to expand and refresh). */
  async readDirectory(uri: vscode.Uri): Promise<[string, vscode.FileType][]> {
    const ref = parseFolderUri(uri);
    if (!ref) throw vscode.FileSystemError.FileNotADirectory(uri);
    const entry = await this.entry(uri, ref);
    if (entry.kind !== 'folder') throw vscode.FileSystemError.FileNotADirectory(uri);
    try {
      const entries = await this.paths().list(ref.projectId, entry.folder.id);
      return [...entries].map(([name, child]) => [name, child.type === 'folders' ? vscode.FileType.Directory : vscode.FileType.File]);
    } catch (error) {
      throw asFileSystemError(error, uri);
    }
  }

  createDirectory(): never {
    throw readOnly();
  }

  writeFile(): never {
    throw readOnly();
  }

  delete(): never {
    throw readOnly();
  }

  rename(): never {
    throw readOnly();
  }

  /** The version behind an `aps:` URI (cached; versions never change), or the latest of the file a folder path names. */
  async version(uri: vscode.Uri): Promise<Version> {
    await this.ready;
    const folder = parseFolderUri(uri);
    if (folder) {
      const entry = await this.entry(uri, folder);
      if (entry.kind === 'folder') throw vscode.FileSystemError.FileIsADirectory(uri);
      return entry.item.tip ?? this.requireServices().dm.getTip(folder.projectId, entry.item.id).catch((error: unknown) => {
        throw asFileSystemError(error, uri);
      });
    }
    const ref = this.ref(uri);
    const key = `${ref.projectId}|${ref.versionId}`;
    let pending = this.versions.get(key);
    if (!pending) {
      pending = this.requireServices().dm.getVersion(ref.projectId, ref.versionId);
      this.versions.set(key, pending);
      pending.catch(() => this.versions.delete(key));
    }
    return pending.catch((error: unknown) => {
      throw asFileSystemError(error, uri);
    });
  }

  dispose(): void {
    this.changed.dispose();
    this.contents.clear();
  }

  /** What a folder URI points at; FileNotFound when nothing has that name. */
  private async entry(uri: vscode.Uri, ref: FolderRef): Promise<PathEntry> {
    await this.ready;
    let entry: PathEntry | undefined;
    try {
      entry = await this.paths().resolve(ref.projectId, ref.folderId, ref.path);
    } catch (error) {
      throw asFileSystemError(error, uri);
    }
    if (!entry) throw vscode.FileSystemError.FileNotFound(uri);
    return entry;
  }

  /** Folder listings of the signed-in account (a new account starts afresh). */
  private paths(): FolderPaths {
    const dm = this.requireServices().dm;
    if (this.folderPaths?.dm !== dm) this.folderPaths = { dm, paths: new FolderPaths(dm) };
    return this.folderPaths.paths;
  }

  private async fetch(version: Version, ref: Pick<VersionRef, 'name'>): Promise<Uint8Array> {
    const services = this.requireServices();
    const target = path.join(this.scratchFolder, `${randomUUID()}.download`);
    try {
      await this.engine.download(services.objectSource(version.storage!), target, { root: this.scratchFolder, conflict: 'overwrite', deleteOnCancel: true });
      return new Uint8Array(await fsp.readFile(target));
    } catch (error) {
      throw vscode.FileSystemError.Unavailable(vscode.l10n.t('Could not open "{0}": {1}', ref.name, failureReason(error)));
    } finally {
      await fsp.rm(target, { force: true }).catch(() => undefined);
    }
  }

  private ref(uri: vscode.Uri): VersionRef {
    const ref = parseVersionUri(uri);
    if (!ref) throw vscode.FileSystemError.FileNotFound(uri);
    return ref;
  }

  private requireServices(): ApsServices {
    const services = this.services();
    if (!services) throw vscode.FileSystemError.Unavailable(vscode.l10n.t('Sign in to APS to open this file.'));
    return services;
  }
}

function readOnly(): vscode.FileSystemError {
  return vscode.FileSystemError.NoPermissions(readOnlyReason());
}

/** Why nothing can be written through `aps:` (also shown by VS Code on a read-only APS file). */
export function readOnlyReason(): string {
  return vscode.l10n.t('APS files and folders are read-only here. To add or change files in APS, use "Upload" on a folder or file of the Hubs view; to edit a copy, download it.');
}

function folderStat(folder: Folder): vscode.FileStat {
  return {
    type: vscode.FileType.Directory,
    ctime: Date.parse(folder.createTime ?? '') || 0,
    mtime: Date.parse(folder.lastModifiedTimeRollup ?? folder.lastModifiedTime ?? folder.createTime ?? '') || 0,
    size: 0,
    permissions: vscode.FilePermission.Readonly,
  };
}

function nameOf(uri: vscode.Uri): string {
  return uri.path.slice(uri.path.lastIndexOf('/') + 1);
}

function asFileSystemError(error: unknown, uri: vscode.Uri): Error {
  if (error instanceof vscode.FileSystemError) return error;
  if (isApsError(error) && error.status === 404) return vscode.FileSystemError.FileNotFound(uri);
  return vscode.FileSystemError.Unavailable(failureReason(error));
}
