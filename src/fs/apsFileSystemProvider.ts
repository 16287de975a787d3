import { randomUUID } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Version } from '../core/dm/models';
import { isApsError } from '../core/http/apsError';
import type { TransferEngine } from '../core/transfer';
import type { ApsServices } from '../core/client';
import { failureReason } from '../core/failureReason';
import { formatBytes } from '../tree/format';
import { ByteCache } from './byteCache';
import { parseVersionUri, type VersionRef } from './apsUri';

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
    const key = uri.toString();
    const cached = this.contents.get(key);
    if (cached) return cached;
    await this.ready;
    const ref = this.ref(uri);
    const version = await this.version(uri);
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

  readDirectory(): never {
    throw vscode.FileSystemError.FileNotADirectory();
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

  /** The version behind an `aps:` URI (cached; versions never change). */
  async version(uri: vscode.Uri): Promise<Version> {
    await this.ready;
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

  private async fetch(version: Version, ref: VersionRef): Promise<Uint8Array> {
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
  return vscode.FileSystemError.NoPermissions(vscode.l10n.t('APS files are read-only here. Download them to edit a copy.'));
}

function asFileSystemError(error: unknown, uri: vscode.Uri): Error {
  if (error instanceof vscode.FileSystemError) return error;
  if (isApsError(error) && error.status === 404) return vscode.FileSystemError.FileNotFound(uri);
  return vscode.FileSystemError.Unavailable(failureReason(error));
}
