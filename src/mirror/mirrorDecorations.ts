import { watch, type FSWatcher } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { loadManifest, MANIFEST_FILE, mirroredFileState, relativePath, stampOf, type MirrorManifest } from '../core/mirror';
import { statusLine } from './statusText';

/**
 * The mirrors in the workspace (every folder holding a mirror record) and their decorations in VS Code's
 * Explorer: each mirrored file up to date, changed here, behind APS, or both; the mirror's folder with the
 * status line of its last run.
 */
export class MirrorDecorations implements vscode.FileDecorationProvider, vscode.Disposable {
  private readonly mirrors = new Map<string, MirrorManifest>();
  /** One watcher per mirror (see watch()). */
  private readonly watchers = new Map<string, vscode.Disposable>();
  private readonly changedDecorations = new vscode.EventEmitter<vscode.Uri | vscode.Uri[] | undefined>();
  readonly onDidChangeFileDecorations = this.changedDecorations.event;
  private readonly changedMirrors = new vscode.EventEmitter<void>();
  /** A mirror was found, run, or removed. */
  readonly onDidChangeMirrors = this.changedMirrors.event;
  private readonly disposables: vscode.Disposable[];

  constructor() {
    const records = vscode.workspace.createFileSystemWatcher(`**/${MANIFEST_FILE}`);
    const touched = (uri: vscode.Uri) => {
      if (this.rootOf(uri.fsPath)) this.changedDecorations.fire(uri);
    };
    this.disposables = [
      records,
      records.onDidCreate((uri) => void this.reload(path.dirname(uri.fsPath))),
      records.onDidChange((uri) => void this.reload(path.dirname(uri.fsPath))),
      records.onDidDelete((uri) => void this.reload(path.dirname(uri.fsPath))),
      vscode.workspace.onDidSaveTextDocument((document) => touched(document.uri)),
      this.changedDecorations,
      this.changedMirrors,
    ];
  }

  /** Finds the mirrors of the open workspace folders. */
  async scan(): Promise<void> {
    const found = await vscode.workspace.findFiles(`**/${MANIFEST_FILE}`);
    await Promise.all(found.map((uri) => this.reload(path.dirname(uri.fsPath))));
  }

  /** Reads one mirror's record again (after a run, or when the file changed on disk). */
  async reload(root: string): Promise<void> {
    const loaded = await loadManifest(root);
    if (loaded.kind === 'ok') {
      this.mirrors.set(root, loaded.manifest);
      if (!this.watchers.has(root)) this.watchers.set(root, this.watch(root));
    } else {
      this.mirrors.delete(root);
      this.watchers.get(root)?.dispose();
      this.watchers.delete(root);
    }
    this.changedDecorations.fire(undefined);
    this.changedMirrors.fire();
  }

  /**
   * Node's own watcher on the mirror's folder, made once its tree exists: VS Code's workspace watcher can miss
   * changes in a tree created all at once (as a mirror creates it), and so would any watcher it shares.
   */
  private watch(root: string): vscode.Disposable {
    let watcher: FSWatcher | undefined;
    try {
      watcher = watch(root, { recursive: true, persistent: false }, (_event, name) => {
        if (name && !name.toString().startsWith(MANIFEST_FILE)) this.changedDecorations.fire(vscode.Uri.file(path.join(root, name.toString())));
      });
      watcher.on('error', () => watcher?.close());
    } catch {
      // Without a watcher, decorations follow saves in VS Code and the next mirror run.
    }
    return { dispose: () => watcher?.close() };
  }

  /** The mirror whose folder holds `file` (the innermost one), if any. */
  rootOf(file: string): string | undefined {
    let best: string | undefined;
    for (const root of this.mirrors.keys()) {
      if ((file === root || file.startsWith(root + path.sep)) && (!best || root.length > best.length)) best = root;
    }
    return best;
  }

  /** The folders of the workspace's mirrors. */
  roots(): string[] {
    return [...this.mirrors.keys()];
  }

  manifestOf(root: string): MirrorManifest | undefined {
    return this.mirrors.get(root);
  }

  /** The mirror that ran last. */
  latest(): string | undefined {
    let latest: { root: string; at: string } | undefined;
    for (const [root, manifest] of this.mirrors) {
      const at = manifest.lastRun?.finishedAt ?? '';
      if (!latest || at > latest.at) latest = { root, at };
    }
    return latest?.root;
  }

  async provideFileDecoration(uri: vscode.Uri): Promise<vscode.FileDecoration | undefined> {
    if (uri.scheme !== 'file') return undefined;
    const root = this.rootOf(uri.fsPath);
    const manifest = root && this.mirrors.get(root);
    if (!root || !manifest) return undefined;
    if (uri.fsPath === root) return new vscode.FileDecoration('⇅', statusLine(manifest));
    const file = manifest.files[relativePath(root, uri.fsPath)];
    if (!file) return undefined;
    const version = file.versionNumber ?? '?';
    const newer = file.pending?.versionNumber ?? '?';
    switch (mirroredFileState(file, await stampOf(uri.fsPath))) {
      case 'up-to-date':
        return new vscode.FileDecoration('✓', vscode.l10n.t('Mirrored from APS: up to date (v{0})', version));
      case 'changed-locally':
        return new vscode.FileDecoration('M', vscode.l10n.t('Changed here since the last mirror (APS has v{0})', version), new vscode.ThemeColor('gitDecoration.modifiedResourceForeground'));
      case 'remote-newer':
        return new vscode.FileDecoration('↓', vscode.l10n.t('APS has a newer version (v{0} here, v{1} in APS): mirror again to fetch it', version, newer), new vscode.ThemeColor('list.warningForeground'));
      case 'conflict':
        return new vscode.FileDecoration('!', vscode.l10n.t('Changed here, and APS has a newer version (v{0})', newer), new vscode.ThemeColor('list.errorForeground'));
    }
  }

  dispose(): void {
    for (const disposable of [...this.disposables, ...this.watchers.values()]) disposable.dispose();
  }
}

/**
 * `apsExplorer.mirrorRoots`: the mirrors' folders, by path, for menus (`resourcePath in apsExplorer.mirrorRoots`
 * puts "Push Local Changes…" on a mirror's folder in the Explorer).
 */
export function mirrorRootsContext(mirrors: MirrorDecorations): vscode.Disposable {
  const update = () => {
    const roots: Record<string, true> = {};
    for (const root of mirrors.roots()) {
      roots[root] = true;
      roots[vscode.Uri.file(root).path] = true;
    }
    void vscode.commands.executeCommand('setContext', 'apsExplorer.mirrorRoots', roots);
  };
  update();
  return mirrors.onDidChangeMirrors(update);
}
