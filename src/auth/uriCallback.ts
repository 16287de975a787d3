import * as vscode from 'vscode';

/** Receives OAuth redirects through VS Code's URI handler (vscode://<publisher>.<name>/callback). */
export class UriCallbackHandler implements vscode.UriHandler, vscode.Disposable {
  private readonly waiting = new Set<(params: URLSearchParams) => void>();

  constructor(private readonly extensionId: string) {}

  handleUri(uri: vscode.Uri): void {
    if (uri.path !== '/callback') return;
    const params = new URLSearchParams(uri.query);
    for (const resolve of this.waiting) resolve(params);
    this.waiting.clear();
  }

  /** The external form of the callback URI (differs in remote and web windows). */
  async redirectUri(): Promise<string> {
    const local = vscode.Uri.parse(`${vscode.env.uriScheme}://${this.extensionId}/callback`);
    return (await vscode.env.asExternalUri(local)).toString(true);
  }

  next(signal?: AbortSignal): Promise<URLSearchParams> {
    return new Promise((resolve, reject) => {
      this.waiting.add(resolve);
      signal?.addEventListener('abort', () => {
        this.waiting.delete(resolve);
        reject(new Error(vscode.l10n.t('Sign-in was cancelled.')));
      });
    });
  }

  dispose(): void {
    this.waiting.clear();
  }
}
