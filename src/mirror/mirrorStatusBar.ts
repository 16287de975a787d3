import * as vscode from 'vscode';
import type { MirrorDecorations } from './mirrorDecorations';
import { md } from '../tree/format';
import { shortStatus, statusLine } from './statusText';

const REFRESH_MS = 60_000;

const ACTIONS = ['apsExplorer.mirrorAgain', 'apsExplorer.mirrorPush'];

/** The status line, the folder, and the mirror's two actions as links: mirror it again, push what changed here. */
function tooltipOf(root: string, line: string): vscode.MarkdownString {
  const args = encodeURIComponent(JSON.stringify([root]));
  const links = [
    `[$(repo-sync) ${md(vscode.l10n.t('Mirror Again'))}](command:apsExplorer.mirrorAgain?${args})`,
    `[$(cloud-upload) ${md(vscode.l10n.t('Push Local Changes…'))}](command:apsExplorer.mirrorPush?${args})`,
  ];
  const tooltip = new vscode.MarkdownString(`${md(line)}\n\n${md(root)}\n\n${links.join(' · ')}\n\n${md(vscode.l10n.t('Click to mirror it again.'))}`, true);
  tooltip.isTrusted = { enabledCommands: ACTIONS };
  return tooltip;
}

/**
 * The status line of the last mirror of the folder at hand: the mirror holding the active editor's file,
 * else the one that ran last. Clicking it mirrors that folder again.
 */
export class MirrorStatusBar implements vscode.Disposable {
  readonly item = vscode.window.createStatusBarItem('apsExplorer.mirror', vscode.StatusBarAlignment.Left, 40);
  private readonly disposables: vscode.Disposable[];
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly mirrors: MirrorDecorations) {
    this.item.name = vscode.l10n.t('APS Mirror');
    this.disposables = [this.item, mirrors.onDidChangeMirrors(() => this.update()), vscode.window.onDidChangeActiveTextEditor(() => this.update())];
    this.timer = setInterval(() => this.update(), REFRESH_MS);
    this.timer.unref();
    this.update();
  }

  /** The mirror the status bar shows now. */
  current(): string | undefined {
    const file = vscode.window.activeTextEditor?.document.uri;
    return (file?.scheme === 'file' ? this.mirrors.rootOf(file.fsPath) : undefined) ?? this.mirrors.latest();
  }

  update(): void {
    const root = this.current();
    const manifest = root && this.mirrors.manifestOf(root);
    if (!root || !manifest) {
      this.item.hide();
      return;
    }
    this.item.text = `$(repo-sync) ${shortStatus(manifest)}`;
    this.item.tooltip = tooltipOf(root, statusLine(manifest));
    this.item.command = { command: 'apsExplorer.mirrorAgain', title: vscode.l10n.t('Mirror Again'), arguments: [root] };
    this.item.show();
  }

  dispose(): void {
    clearInterval(this.timer);
    for (const disposable of this.disposables) disposable.dispose();
  }
}
