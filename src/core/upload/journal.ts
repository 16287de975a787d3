// The upload journal: what a killed or cancelled upload of one file had done, so the next run sends only the
// parts still missing and never creates its item or version twice. One small JSON file per local file and
// target, in the user's state folder (never beside the file being uploaded: that folder is the user's, may be
// read-only, under version control or synced); the extension and the command line find the same one.
import { createHash } from 'node:crypto';
import { homedir } from 'node:os';
import * as path from 'node:path';
import type { StorageLocation } from '../dm/ids';
import type { TransferFs } from '../transfer/disk/fileSystem';

/** Journals nobody touched for this long are removed (an upload session lives a day; the storage stays unused). */
const STALE_MS = 7 * 24 * 3600_000;

/**
 * Where uploads keep their journals: `$APS_EXPLORER_STATE_DIR/uploads`, else the platform's per-user state
 * folder: `%LOCALAPPDATA%\aps-explorer\uploads` on Windows, `~/Library/Application Support/aps-explorer/uploads`
 * on macOS, `$XDG_STATE_HOME/aps-explorer/uploads` (default `~/.local/state`) elsewhere.
 */
export function defaultJournalDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.APS_EXPLORER_STATE_DIR) return path.join(env.APS_EXPLORER_STATE_DIR, 'uploads');
  const home = homedir();
  if (platform === 'win32') return path.join(env.LOCALAPPDATA || path.join(home, 'AppData', 'Local'), 'aps-explorer', 'uploads');
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'aps-explorer', 'uploads');
  return path.join(env.XDG_STATE_HOME || path.join(home, '.local', 'state'), 'aps-explorer', 'uploads');
}

/** What a journal belongs to: one local file going to one name in one folder. */
export interface JournalKey {
  readonly localPath: string;
  readonly projectId: string;
  readonly folderId: string;
  /** The name planned for it (a numbered name chosen later is recorded in `commit`). */
  readonly name: string;
}

export interface UploadJournalData {
  readonly version: 1;
  readonly key: JournalKey;
  /** The local file as it was when the upload began: a different size or time means it changed. */
  readonly local: { readonly size: number; readonly mtimeMs: number };
  readonly storage: StorageLocation & { readonly urn: string };
  readonly partSize: number;
  readonly partCount: number;
  /** The OSS upload session, once opened. */
  readonly uploadKey?: string;
  /** Epoch ms after which OSS forgets the session. */
  readonly uploadExpiresAt?: number;
  /** [part number, ETag] of each part OSS has. */
  readonly parts: readonly (readonly [number, string])[];
  /** Set once OSS assembled the object and its size and SHA-1 matched the local file. */
  readonly completed?: { readonly size: number; readonly sha1: string };
  /** Set before POST items / versions: an item or version with this storage may exist, and must not be made twice. */
  readonly commit?: { readonly action: 'new-item' | 'new-version'; readonly name: string; readonly itemId?: string };
}

export function journalPath(dir: string, key: JournalKey): string {
  const digest = createHash('sha1').update(JSON.stringify([key.localPath, key.projectId, key.folderId, key.name])).digest('hex');
  return path.join(dir, `${digest}.json`);
}

function sameKey(a: JournalKey, b: JournalKey): boolean {
  return a.localPath === b.localPath && a.projectId === b.projectId && a.folderId === b.folderId && a.name === b.name;
}

const isCount = (value: unknown, min: number): value is number => Number.isSafeInteger(value) && (value as number) >= min;
const isText = (value: unknown): value is string => typeof value === 'string' && value !== '';

/** A journal for `key`, or undefined when there is none, it is damaged, or it belongs to another upload. */
export function parseUploadJournal(text: string, key: JournalKey): UploadJournalData | undefined {
  let value: Partial<UploadJournalData>;
  try {
    value = JSON.parse(text) as Partial<UploadJournalData>;
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || value.version !== 1 || !value.key || !sameKey(value.key, key)) return undefined;
  const { local, storage, partSize, partCount, parts, uploadKey, completed } = value;
  if (!local || !isCount(local.size, 0) || typeof local.mtimeMs !== 'number') return undefined;
  if (!storage || !isText(storage.bucketKey) || !isText(storage.objectKey) || !isText(storage.urn)) return undefined;
  if (!isCount(partSize, 1) || !isCount(partCount, 1) || (uploadKey !== undefined && !isText(uploadKey))) return undefined;
  if (!Array.isArray(parts) || !parts.every((part) => Array.isArray(part) && isCount(part[0], 1) && (part[0] as number) <= (partCount as number) && typeof part[1] === 'string')) return undefined;
  if (completed !== undefined && !(isCount(completed.size, 0) && isText(completed.sha1))) return undefined;
  return value as UploadJournalData;
}

/** The journals of one folder: read, written atomically, removed; old ones swept. */
export class JournalStore {
  constructor(
    readonly dir: string,
    private readonly fs: TransferFs,
  ) {}

  pathOf(key: JournalKey): string {
    return journalPath(this.dir, key);
  }

  async read(key: JournalKey): Promise<UploadJournalData | undefined> {
    const text = await this.fs.readText(this.pathOf(key)).catch(() => undefined);
    return text === undefined ? undefined : parseUploadJournal(text, key);
  }

  /** Atomic replace: a crash leaves the old journal or the new one, never half of one. */
  async write(data: UploadJournalData): Promise<void> {
    const file = this.pathOf(data.key);
    await this.fs.mkdir(this.dir);
    await this.fs.writeText(`${file}.tmp`, JSON.stringify(data));
    await this.fs.rename(`${file}.tmp`, file);
  }

  async remove(key: JournalKey): Promise<void> {
    const file = this.pathOf(key);
    await Promise.all([this.fs.remove(`${file}.tmp`), this.fs.remove(file)]);
  }

  /** Removes journals (and stray temp files) untouched for a week; files it cannot read are left alone. */
  async sweep(list: (dir: string) => Promise<string[]>, now = Date.now()): Promise<void> {
    const names = await list(this.dir).catch(() => [] as string[]);
    await Promise.all(
      names
        .filter((name) => /^[0-9a-f]{40}\.json(\.tmp)?$/.test(name))
        .map(async (name) => {
          const file = path.join(this.dir, name);
          const modified = await this.fs.modifiedMs(file).catch(() => undefined);
          if (modified !== undefined && now - modified > STALE_MS) await this.fs.remove(file).catch(() => undefined);
        }),
    );
  }
}
