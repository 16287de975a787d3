import { randomUUID } from 'node:crypto';
import { mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';

/** What a drop onto the Hubs tree brought: local paths to upload, and sentences for what cannot be. */
export interface DroppedSources {
  readonly paths: string[];
  /** Where files that arrived as bytes only were written first (see `droppedSources`). */
  readonly stagedIn?: string;
  readonly problems: string[];
}

/**
 * The local files and folders of a drop: VS Code's Explorer and a desktop window's operating system send
 * `text/uri-list` (and files with their URI); a browser window sends the files of the user's computer as
 * bytes only, which are written below `stageRoot` first so they can be uploaded (and resumed) like any file.
 */
export async function droppedSources(dataTransfer: vscode.DataTransfer, stageRoot: string): Promise<DroppedSources> {
  const files: vscode.DataTransferFile[] = [];
  dataTransfer.forEach((item) => {
    const file = item.asFile();
    if (file) files.push(file);
  });
  if (files.some((file) => !file.uri)) return staged(files, stageRoot);

  const uris = parseUriList((await dataTransfer.get('text/uri-list')?.asString()) ?? '');
  for (const file of files) if (file.uri && !uris.some((uri) => uri.toString() === file.uri?.toString())) uris.push(file.uri);
  const paths: string[] = [];
  const problems: string[] = [];
  for (const uri of uris) {
    const local = localPathOf(uri);
    if (local) paths.push(local);
    else problems.push(vscode.l10n.t('{0} is not a file or folder on this computer, so it cannot be uploaded.', uri.toString(true)));
  }
  return { paths: [...new Set(paths)], problems };
}

/** URIs of a `text/uri-list` (one per line, `#` lines are comments). */
function parseUriList(text: string): vscode.Uri[] {
  const uris: vscode.Uri[] = [];
  for (const line of text.split(/\r?\n/).map((entry) => entry.trim())) {
    if (!line || line.startsWith('#')) continue;
    try {
      uris.push(vscode.Uri.parse(line, true));
    } catch {
      // Not a URI: nothing to upload from it.
    }
  }
  return uris;
}

/** The path of a file: URI (what the Explorer and editor tabs send, in a remote or browser window too). */
function localPathOf(uri: vscode.Uri): string | undefined {
  return uri.scheme === 'file' ? uri.fsPath : undefined;
}

async function staged(files: readonly vscode.DataTransferFile[], stageRoot: string): Promise<DroppedSources> {
  const stagedIn = path.join(stageRoot, randomUUID());
  const paths: string[] = [];
  const problems: string[] = [];
  for (const [index, file] of files.entries()) {
    if (file.uri) {
      const local = localPathOf(file.uri);
      if (local) paths.push(local);
      continue;
    }
    const name = path.basename(file.name.replace(/\\/g, '/')) || 'file';
    try {
      const bytes = await file.data();
      const target = path.join(stagedIn, String(index), name);
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(target, bytes);
      paths.push(target);
    } catch {
      problems.push(vscode.l10n.t('"{0}" could not be read from the browser: a browser window takes files dropped from your computer, not folders.', name));
    }
  }
  return { paths, stagedIn, problems };
}

/** Staged drops nobody uploaded for a week (their jobs cleared) are removed. */
export async function sweepStagedDrops(stageRoot: string, maxAgeMs = 7 * 24 * 3600_000): Promise<void> {
  const entries = await readdir(stageRoot, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    const dir = path.join(stageRoot, entry.name);
    const { mtimeMs } = await stat(dir).catch(() => ({ mtimeMs: Date.now() }));
    if (Date.now() - mtimeMs > maxAgeMs) await rm(dir, { recursive: true, force: true }).catch(() => undefined);
  }
}
