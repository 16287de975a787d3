// The mirror's record, `.aps-mirror.json` in the mirror's root: what APS held when each file was written and
// what the file looked like on disk right after. Read back, it is checked before it is trusted; written, it
// replaces the old one atomically.
import { randomUUID } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';

export const MANIFEST_FILE = '.aps-mirror.json';

/**
 * Whether a name in a mirror's root is one of the mirror's own files: the record (with its temp and set-aside
 * copies), the lock, and the pending push. They all start with `.aps-mirror`.
 */
export function isMirrorFileName(name: string): boolean {
  return name.startsWith('.aps-mirror');
}
export const MANIFEST_FORMAT = 'aps-explorer-mirror';
export const MANIFEST_VERSION = 1;

/** What a mirror copies: a project (all its top folders) or one folder with everything below it. */
export interface MirrorSource {
  hubId: string;
  projectId: string;
  /** Absent when the whole project is mirrored. */
  folderId?: string;
  /** Hub, project and folder names, for messages. */
  names: string[];
}

/** A version of an item as the mirror saw it in APS. */
export interface MirroredVersion {
  versionId: string;
  versionNumber?: number;
  /** Bytes, as APS reported them. */
  size: number;
  /** The SHA-1 OSS reported for the stored object, when it did. */
  sha1?: string;
}

/** A file on disk as the mirror left it (what tells a local edit from an untouched file). */
export interface LocalStamp {
  localSize: number;
  localMtimeMs: number;
}

/** One file the mirror wrote. */
export interface MirroredFile extends MirroredVersion, LocalStamp {
  itemId: string;
  /** Its name in APS (the local name may differ: made safe for every file system, or numbered on a collision). */
  name: string;
  /**
   * A newer version APS has that this file does not hold, because the file was changed here too (a conflict).
   * `copy`: where that version was written beside it (keep both).
   */
  pending?: MirroredVersion & { copy?: LocalStamp & { path: string } };
}

/** The last run, for the status line. */
export interface MirrorRunSummary {
  startedAt: string;
  finishedAt: string;
  /** Listed in full, and nothing failed or was stopped. */
  complete: boolean;
  fetched: number;
  bytes: number;
  unchanged: number;
  changedLocally: number;
  conflicts: number;
  removedRemotely: number;
  deleted: number;
  failed: number;
}

/** The last push of local changes into APS, for the status line. */
export interface MirrorPushSummary {
  finishedAt: string;
  newVersions: number;
  newFiles: number;
  newFolders: number;
  /** Files APS held already, only recorded. */
  recorded: number;
  /** Conflicts left as they were. */
  conflicts: number;
  /** Files that failed or were refused. */
  failed: number;
}

export interface MirrorManifest {
  format: typeof MANIFEST_FORMAT;
  version: typeof MANIFEST_VERSION;
  remote: MirrorSource;
  /** The APS folder of each local folder below the root ('' is the root itself; absent for a project's root). */
  folders: Record<string, string>;
  /** Every file the mirror wrote, by its path below the root ('/' between names). */
  files: Record<string, MirroredFile>;
  lastRun?: MirrorRunSummary;
  lastPush?: MirrorPushSummary;
}

export type LoadedManifest = { kind: 'missing' } | { kind: 'damaged'; reason: string } | { kind: 'ok'; manifest: MirrorManifest };

export function newManifest(remote: MirrorSource): MirrorManifest {
  return { format: MANIFEST_FORMAT, version: MANIFEST_VERSION, remote, folders: {}, files: {} };
}

export function manifestPath(root: string): string {
  return path.join(root, MANIFEST_FILE);
}

/** The manifest of the mirror in `root`: missing, damaged (with the reason), or checked and usable. */
export async function loadManifest(root: string): Promise<LoadedManifest> {
  const read = await readJsonFile(manifestPath(root));
  if (read.kind !== 'ok') return read;
  const problem = manifestProblem(read.value);
  return problem ? { kind: 'damaged', reason: problem } : { kind: 'ok', manifest: read.value as MirrorManifest };
}

/** A JSON file of the mirror's: missing, damaged (why, in words), or parsed (not yet checked). */
export async function readJsonFile(file: string): Promise<{ kind: 'missing' } | { kind: 'damaged'; reason: string } | { kind: 'ok'; value: unknown }> {
  let text: string;
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return { kind: 'missing' };
    return { kind: 'damaged', reason: `it cannot be read (${(error as Error).message})` };
  }
  try {
    return { kind: 'ok', value: JSON.parse(text) as unknown };
  } catch (error) {
    return { kind: 'damaged', reason: `it is not valid JSON (${(error as Error).message})` };
  }
}

/**
 * Writes the manifest beside the old one and renames it into place, so a crash leaves either the old or the
 * new one, whole. One line per file keeps it readable and small.
 */
export async function saveManifest(root: string, manifest: MirrorManifest): Promise<void> {
  await writeAtomically(manifestPath(root), serializeManifest(manifest));
}

/** Written beside `target` and renamed into place: a crash leaves the old file or the new one, whole. */
export async function writeAtomically(target: string, text: string): Promise<void> {
  const temp = `${target}.${randomUUID().slice(0, 8)}.tmp`;
  const handle = await fsp.open(temp, 'w');
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await fsp.rename(temp, target);
  } catch (error) {
    await fsp.unlink(temp).catch(() => undefined);
    throw error;
  }
}

/** Keeps a damaged manifest beside the new one, for whoever wants to see what went wrong. */
export async function setAsideDamaged(root: string): Promise<string | undefined> {
  const aside = `${manifestPath(root)}.damaged`;
  try {
    await fsp.rename(manifestPath(root), aside);
    return aside;
  } catch {
    return undefined;
  }
}

export function serializeManifest(manifest: MirrorManifest): string {
  const { files, folders, ...head } = manifest;
  const lines = (record: Record<string, unknown>) =>
    Object.keys(record)
      .sort()
      .map((key) => `    ${JSON.stringify(key)}: ${JSON.stringify(record[key])}`)
      .join(',\n');
  const block = (record: Record<string, unknown>) => (Object.keys(record).length ? `{\n${lines(record)}\n  }` : '{}');
  const top = Object.entries(head).map(([key, value]) => `  ${JSON.stringify(key)}: ${JSON.stringify(value)}`);
  return `{\n${[...top, `  "folders": ${block(folders)}`, `  "files": ${block(files)}`].join(',\n')}\n}\n`;
}

/** A local path of the manifest: relative, '/' between names, none of them empty, '.' or '..'. */
export function isSafeRelativePath(relative: string): boolean {
  if (relative === '' || relative.startsWith('/') || relative.includes('\\') || /^[a-zA-Z]:/.test(relative)) return false;
  return relative.split('/').every((name) => name !== '' && name !== '.' && name !== '..' && !name.includes('\0'));
}

/** The absolute path of a manifest path below `root`. */
export function absolutePath(root: string, relative: string): string {
  return path.join(root, ...relative.split('/'));
}

/** The manifest path of an absolute path below `root`. */
export function relativePath(root: string, absolute: string): string {
  return path.relative(root, absolute).split(path.sep).join('/');
}

/** The folder of a path below the root ('' for the root itself). */
export function parentOf(at: string): string {
  return at.includes('/') ? at.slice(0, at.lastIndexOf('/')) : '';
}

/** The last name of a path below the root. */
export function baseNameOf(at: string): string {
  return at.slice(at.lastIndexOf('/') + 1);
}

// ── Checks: a manifest is used only when every field has the shape it was written with ──────────────

const isString = (value: unknown): value is string => typeof value === 'string' && value.length > 0;
const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value) && value >= 0;
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const optional = (value: unknown, check: (value: unknown) => boolean) => value === undefined || check(value);

function isVersion(value: Record<string, unknown>): boolean {
  return isString(value.versionId) && optional(value.versionNumber, isCount) && isCount(value.size) && optional(value.sha1, (sha1) => typeof sha1 === 'string' && /^[0-9a-f]{40}$/i.test(sha1));
}

function isStamp(value: Record<string, unknown>): boolean {
  return isCount(value.localSize) && isCount(value.localMtimeMs);
}

function fileProblem(key: string, value: unknown): string | undefined {
  if (!isSafeRelativePath(key)) return `the file path "${key}" leaves the mirror's folder`;
  if (!isObject(value) || !isString(value.itemId) || !isString(value.name) || !isVersion(value) || !isStamp(value)) return `the entry of "${key}" is incomplete`;
  const pending = value.pending;
  if (pending === undefined) return undefined;
  if (!isObject(pending) || !isVersion(pending)) return `the pending version of "${key}" is incomplete`;
  const copy = pending.copy;
  if (copy !== undefined && !(isObject(copy) && isString(copy.path) && isSafeRelativePath(copy.path) && isStamp(copy))) return `the conflict copy of "${key}" is incomplete`;
  return undefined;
}

/** Why `value` is not a usable manifest, or undefined when it is one. */
export function manifestProblem(value: unknown): string | undefined {
  if (!isObject(value)) return 'it is not a JSON object';
  if (value.format !== MANIFEST_FORMAT) return 'it is not an APS Explorer mirror record';
  if (value.version !== MANIFEST_VERSION) return `its format version ${String(value.version)} is not one this version reads`;
  const remote = value.remote;
  if (!isObject(remote) || !isString(remote.hubId) || !isString(remote.projectId) || !optional(remote.folderId, isString) || !Array.isArray(remote.names) || !remote.names.every(isString)) {
    return 'it does not say what it mirrors';
  }
  if (!isObject(value.folders) || !Object.entries(value.folders).every(([key, id]) => (key === '' || isSafeRelativePath(key)) && isString(id))) return 'its folder list is damaged';
  if (!isObject(value.files)) return 'its file list is missing';
  const items = new Set<string>();
  for (const [key, file] of Object.entries(value.files)) {
    const problem = fileProblem(key, file);
    if (problem) return problem;
    const itemId = (file as MirroredFile).itemId;
    if (items.has(itemId)) return `the item ${itemId} is listed twice`;
    items.add(itemId);
  }
  if (value.lastRun !== undefined && !isObject(value.lastRun)) return 'its last run is damaged';
  if (value.lastPush !== undefined && !isObject(value.lastPush)) return 'its last push is damaged';
  return undefined;
}
