import * as vscode from 'vscode';
import { SCOPES } from '../core/client';
import type { Account, Accounts } from './accounts';

export const AUTH_PROVIDER_ID = 'aps';

/** Shows the APS account in VS Code's Accounts menu and serves getSession('aps') to other extensions. */
export class ApsAuthenticationProvider implements vscode.AuthenticationProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.AuthenticationProviderAuthenticationSessionsChangeEvent>();
  readonly onDidChangeSessions = this.changed.event;
  private readonly subscription: vscode.Disposable;
  private last?: vscode.AuthenticationSession;

  constructor(private readonly accounts: Accounts) {
    this.subscription = accounts.onDidChange((account) => this.announce(account));
  }

  async getSessions(): Promise<vscode.AuthenticationSession[]> {
    const account = this.accounts.account;
    if (!account) return [];
    try {
      return [await this.session(account)];
    } catch {
      return [];
    }
  }

  async createSession(): Promise<vscode.AuthenticationSession> {
    const account = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Signing in with Autodesk… finish in your browser'), cancellable: true },
      (_progress, token) => this.accounts.signInWithAutodesk(token),
    );
    return this.session(account);
  }

  async removeSession(): Promise<void> {
    await this.accounts.signOut();
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }

  private async session(account: Account): Promise<vscode.AuthenticationSession> {
    return { id: `${account.mode}:${account.id}`, accessToken: await this.accounts.accessToken(), account: { id: account.id, label: account.label }, scopes: [...SCOPES] };
  }

  private announce(account: Account | undefined): void {
    const previous = this.last;
    const next = account ? { id: `${account.mode}:${account.id}`, accessToken: '', account: { id: account.id, label: account.label }, scopes: [...SCOPES] } : undefined;
    this.last = next;
    if (previous?.id === next?.id) {
      if (next) this.changed.fire({ added: [], removed: [], changed: [next] });
      return;
    }
    this.changed.fire({ added: next ? [next] : [], removed: previous ? [previous] : [], changed: [] });
  }
}
