import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as vscode from 'vscode';

export interface LoopbackCallback {
  /** The redirect URI to send to Autodesk: http://127.0.0.1:<port>/callback */
  readonly redirectUri: string;
  /** Resolves with the query of the first request to /callback. */
  readonly result: Promise<URLSearchParams>;
  close(): void;
}

const PAGE = (title: string, text: string) =>
  `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head>` +
  `<body style="font-family:system-ui,sans-serif;margin:4em auto;max-width:32em"><h1>${title}</h1><p>${text}</p></body></html>`;

/** A one-shot HTTP server on 127.0.0.1 that receives the OAuth redirect. */
export async function listenForCallback(port: number, signal?: AbortSignal): Promise<LoopbackCallback> {
  let settle!: { resolve: (params: URLSearchParams) => void; reject: (error: Error) => void };
  const result = new Promise<URLSearchParams>((resolve, reject) => (settle = { resolve, reject }));
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/callback') {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
      return;
    }
    const failed = url.searchParams.has('error');
    response
      .writeHead(failed ? 400 : 200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
      .end(
        failed
          ? PAGE(vscode.l10n.t('Sign-in failed'), vscode.l10n.t('Autodesk did not grant access. You can close this tab and try again from VS Code.'))
          : PAGE(vscode.l10n.t('Signed in'), vscode.l10n.t('You are signed in to Autodesk. You can close this tab and return to VS Code.')),
      );
    settle.resolve(url.searchParams);
    close();
  });
  const close = () => {
    server.close();
    server.closeAllConnections();
  };
  signal?.addEventListener('abort', () => {
    settle.reject(new Error(vscode.l10n.t('Sign-in was cancelled.')));
    close();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(vscode.l10n.t('Port {0} on 127.0.0.1 is in use, so the sign-in callback cannot be received. Free it or change "apsExplorer.callbackPort".', port))
          : error,
      ),
    );
    server.listen(port, '127.0.0.1', resolve);
  });
  const actualPort = (server.address() as AddressInfo).port;
  return { redirectUri: `http://127.0.0.1:${actualPort}/callback`, result, close };
}
