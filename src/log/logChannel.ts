import * as vscode from 'vscode';
import type { RequestLogEntry } from '../core/http/requestLog';

/** The "APS Explorer" log: the core's request log (already redacted) plus the extension's own events. */
export class ExtensionLog implements vscode.Disposable {
  readonly channel = vscode.window.createOutputChannel('APS Explorer', { log: true });

  request = (entry: RequestLogEntry): void => {
    const line = formatRequest(entry);
    if (entry.errorCode || entry.status === undefined || entry.status >= 400) this.channel.warn(line);
    else this.channel.debug(line);
  };

  info(message: string): void {
    this.channel.info(message);
  }

  error(message: string, error?: unknown): void {
    this.channel.error(error === undefined ? message : `${message}: ${error instanceof Error ? error.message : String(error)}`);
  }

  show(): void {
    this.channel.show(true);
  }

  dispose(): void {
    this.channel.dispose();
  }
}

function formatRequest(entry: RequestLogEntry): string {
  const parts = [entry.method, entry.url, entry.status ?? 'ERR', `${Math.round(entry.durationMs)}ms`];
  if (entry.attempt > 1) parts.push(`attempt ${entry.attempt}`);
  if (entry.requestId) parts.push(`request-id ${entry.requestId}`);
  if (entry.errorCode) parts.push(entry.errorCode);
  if (entry.refreshedToken) parts.push('token refreshed');
  if (entry.retryInMs !== undefined) parts.push(`retry in ${entry.retryInMs}ms`);
  return parts.join(' ');
}
