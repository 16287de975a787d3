import * as vscode from 'vscode';
import { isEntity, type TreeNode } from '../tree/nodes';
import { detailsHtml } from './detailsHtml';
import { emptyDetails, loadDetails, type Details, type DetailsSources } from './detailsModel';

export const DETAILS_VIEW_ID = 'apsExplorer.details';

/**
 * The Details view: thumbnail, names, IDs, sizes, dates, users, process state and versions of the node
 * selected in the Hubs view (or handed to `show`).
 */
export class DetailsView implements vscode.WebviewViewProvider, vscode.Disposable {
  private view?: vscode.WebviewView;
  private loading?: vscode.CancellationTokenSource;
  /** The node selected while the view was hidden: loaded when it shows. */
  private waiting?: TreeNode;
  private readonly rendered = new vscode.EventEmitter<Details>();
  /** Fires each time new details are shown (tests wait on it). */
  readonly onDidRender = this.rendered.event;
  /** What the view shows (or would show, while it is hidden). */
  current: Details = emptyDetails();

  constructor(private readonly sources: DetailsSources) {}

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    view.webview.options = { enableScripts: false, enableCommandUris: false, localResourceRoots: [] };
    view.onDidDispose(() => (this.view = undefined));
    view.onDidChangeVisibility(() => this.showWaiting());
    this.draw();
    this.showWaiting();
  }

  /** Follows the Hubs selection; nothing is fetched while the view is hidden. */
  select(node: TreeNode | undefined): void {
    this.waiting = node;
    this.showWaiting();
  }

  /** Shows the details of `node` (nothing selected: a hint). Resolves when they are drawn. */
  async show(node: TreeNode | undefined): Promise<Details> {
    this.waiting = undefined;
    this.loading?.cancel();
    const loading = new vscode.CancellationTokenSource();
    this.loading = loading;
    const details = node && isEntity(node) ? await loadDetails(this.sources, node, loading.token) : emptyDetails();
    if (loading.token.isCancellationRequested) return details;
    this.current = details;
    this.draw();
    return details;
  }

  /** The page as drawn into the webview. */
  html(): string {
    return detailsHtml(this.current, this.view?.webview.cspSource ?? '');
  }

  dispose(): void {
    this.loading?.cancel();
    this.rendered.dispose();
  }

  private showWaiting(): void {
    if (this.view?.visible && this.waiting) void this.show(this.waiting);
  }

  private draw(): void {
    if (this.view) {
      this.view.webview.html = this.html();
      this.view.description = this.current.nodeId ? this.current.title : undefined;
    }
    this.rendered.fire(this.current);
  }
}
