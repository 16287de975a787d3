import * as vscode from 'vscode';
import { createApsClient, type ApsClient, type ApsServices } from '../core/client';
import type { ThreeLeggedAuth } from '../core/auth/threeLeggedAuth';
import { identify, userLabel } from '../core/auth/identity';
import { ApsError, isApsError } from '../core/http/apsError';
import type { ApsRegion } from '../core/auth/endpoints';
import { readProxySettings, readSettings, type Settings } from '../config/settings';
import type { ExtensionLog } from '../log/logChannel';
import type { Prompts } from '../ui/prompts';
import { listenForCallback } from './loopbackCallback';
import { SecretTokenStore } from './secretTokenStore';
import type { UriCallbackHandler } from './uriCallback';

export interface Account {
  mode: 'user' | 'app';
  /** Autodesk user id (3-legged) or `app:<clientId>` (2-legged). */
  id: string;
  label: string;
  /** Why the label is the user id: Autodesk refused the profile at sign-in (its sentence). */
  profileRefused?: string;
}

const ACCOUNT_KEY = 'apsExplorer.account';
const secretKey = (clientId: string) => `apsExplorer.clientSecret.${clientId}`;

/**
 * Who the extension talks to APS as: an Autodesk user (3-legged, PKCE) or the app itself (2-legged).
 * Tokens and the client secret live in SecretStorage; only the account's id and label in globalState.
 */
export class Accounts implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Account | undefined>();
  readonly onDidChange = this.changed.event;
  private readonly store: SecretTokenStore;
  private connection?: ApsClient<ThreeLeggedAuth>;
  private settings: Settings = readSettings();
  private current?: Account;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: ExtensionLog,
    private readonly prompts: () => Prompts,
    private readonly uriCallback: UriCallbackHandler,
  ) {
    this.store = new SecretTokenStore(context.secrets);
  }

  get account(): Account | undefined {
    return this.current;
  }

  /** Loads the saved account and connects with the current settings; drops an account whose tokens are gone. */
  async initialize(): Promise<void> {
    await this.reconnect();
    const saved = this.context.globalState.get<Account>(ACCOUNT_KEY);
    if (saved && (await this.isStillValid(saved))) this.set(saved, false);
    else if (saved) await this.context.globalState.update(ACCOUNT_KEY, undefined);
  }

  /** Rebuilds the connection from settings (client id, base URL, region, user id changed). */
  async reconnect(): Promise<void> {
    this.settings = readSettings();
    const previous = this.connection;
    const clientId = this.settings.clientId;
    this.connection = clientId
      ? createApsClient({
          baseUrl: this.settings.apiBaseUrl,
          region: this.settings.region as ApsRegion,
          auth: {
            kind: '3-legged',
            clientId,
            clientSecret: await this.store.get(secretKey(clientId)),
            userId: this.settings.userId,
            redirectUri: `http://127.0.0.1:${this.settings.callbackPort}/callback`,
          },
          tokenStore: this.store,
          proxy: readProxySettings(),
          onRequestLog: this.log.request,
          userAgent: `aps-explorer/${this.context.extension.packageJSON.version as string} vscode/${vscode.version}`,
        })
      : undefined;
    await previous?.close();
    if (this.current && this.current.id.startsWith('app:') && this.current.id !== `app:${clientId}`) this.set(undefined);
    else if (this.current) this.changed.fire(this.current);
  }

  /** The APS services signed as the current account; undefined while signed out. */
  services(): ApsServices | undefined {
    return this.current && this.connection?.services(this.current.mode);
  }

  async accessToken(): Promise<string> {
    const authorizer = this.services()?.http.authorizer;
    if (!authorizer) throw new ApsError({ kind: 'auth', code: 'NOT_SIGNED_IN', message: 'Not signed in', userMessage: vscode.l10n.t('Sign in to Autodesk to continue.') });
    return authorizer.getAccessToken();
  }

  /**
   * 3-legged sign-in: PKCE through the system browser, redirect back by loopback or URI handler.
   * A public (PKCE-only) app needs no secret; a confidential one is asked for it once, when Autodesk
   * refuses the code exchange without it, and the sign-in starts over.
   */
  async signInWithAutodesk(token?: vscode.CancellationToken): Promise<Account> {
    try {
      return await this.signInOnce(token);
    } catch (error) {
      const clientId = this.connection?.oauth.clientId;
      if (!clientId || !isApsError(error) || error.code !== 'invalid_client' || (await this.store.get(secretKey(clientId)))) throw error;
      const secret = await this.prompts().inputBox({
        title: vscode.l10n.t('Confidential APS app'),
        prompt: vscode.l10n.t("Autodesk wants the client secret of {0} to finish signing in. It is kept in VS Code's secret storage.", clientId),
        password: true,
        ignoreFocusOut: true,
      });
      if (!secret?.trim()) throw error;
      await this.store.set(secretKey(clientId), secret.trim());
      await this.reconnect();
      return this.signInOnce(token);
    }
  }

  private async signInOnce(token?: vscode.CancellationToken): Promise<Account> {
    const connection = this.requireConnection();
    const abort = new AbortController();
    token?.onCancellationRequested(() => abort.abort());
    const timeout = setTimeout(() => abort.abort(), 10 * 60_000);
    try {
      let redirectUri: string;
      let callback: Promise<URLSearchParams>;
      let close = () => {};
      if (this.settings.callbackMode === 'uriHandler') {
        redirectUri = await this.uriCallback.redirectUri();
        callback = this.uriCallback.next(abort.signal);
      } else {
        const loopback = await listenForCallback(this.settings.callbackPort, abort.signal);
        ({ redirectUri, result: callback } = loopback);
        close = loopback.close;
      }
      try {
        const request = connection.auth.beginSignIn({ redirectUri });
        this.log.info(`Signing in with Autodesk (callback ${redirectUri})`);
        const opened = await this.prompts().openExternal(request.url);
        if (!opened) this.log.info('The browser did not confirm it opened the sign-in page; waiting for the callback anyway.');
        await connection.auth.handleCallback(await callback, abort.signal);
      } finally {
        close();
      }
      const user = await identify(connection.auth, abort.signal);
      const label = userLabel(user);
      const account: Account = { mode: 'user', id: user.id, label, ...(user.profileRefusal ? { profileRefused: user.profileRefusal.userMessage } : {}) };
      if (user.profileRefusal) this.log.error('Autodesk refused the user profile; the account shows the user id', user.profileRefusal.message);
      this.set(account);
      this.log.info(`Signed in as ${label}`);
      return account;
    } catch (error) {
      if (abort.signal.aborted) {
        throw new ApsError({ kind: 'auth', code: 'CANCELLED', message: 'Sign-in was cancelled or timed out.', userMessage: vscode.l10n.t('Sign-in was cancelled or timed out.') });
      }
      throw error;
    } finally {
      clearTimeout(timeout);
    }
  }

  /** 2-legged: keeps the secret in SecretStorage, proves the credentials with a token request, then switches. */
  async useAppCredentials(clientSecret: string): Promise<Account> {
    const clientId = this.requireConnection().oauth.clientId;
    const previousSecret = await this.store.get(secretKey(clientId));
    await this.store.set(secretKey(clientId), clientSecret);
    await this.reconnect();
    try {
      await this.connection!.app!.getAccessToken();
    } catch (error) {
      if (previousSecret === undefined) await this.store.delete(secretKey(clientId));
      else await this.store.set(secretKey(clientId), previousSecret);
      await this.reconnect();
      throw error;
    }
    const userId = this.settings.userId;
    const account: Account = { mode: 'app', id: `app:${clientId}`, label: userId ? vscode.l10n.t('App {0} as {1}', clientId, userId) : vscode.l10n.t('App {0}', clientId) };
    this.set(account);
    this.log.info(`Using app credentials of ${clientId}`);
    return account;
  }

  /** Revokes 3-legged tokens, forgets the app secret for the current mode and signs out. */
  async signOut(): Promise<void> {
    const account = this.current;
    const connection = this.connection;
    this.set(undefined);
    if (!account || !connection) return;
    if (account.mode === 'user') await connection.auth.signOut().catch((error: unknown) => this.log.error('Revoking the Autodesk tokens failed', error));
    else {
      await this.store.delete(secretKey(connection.oauth.clientId));
      await this.reconnect();
    }
    this.log.info('Signed out');
  }

  dispose(): void {
    void this.connection?.close();
    this.changed.dispose();
  }

  private requireConnection(): ApsClient<ThreeLeggedAuth> {
    if (!this.connection) {
      throw new ApsError({
        kind: 'auth',
        code: 'NO_CLIENT_ID',
        message: 'No APS client id is set.',
        userMessage: vscode.l10n.t('Set the client ID of your APS app in the "apsExplorer.clientId" setting first.'),
      });
    }
    return this.connection;
  }

  private async isStillValid(account: Account): Promise<boolean> {
    if (!this.connection) return false;
    if (account.mode === 'user') return this.connection.auth.isSignedIn();
    return account.id === `app:${this.connection.oauth.clientId}` && this.connection.app !== undefined;
  }

  private set(account: Account | undefined, persist = true): void {
    this.current = account;
    if (persist) void this.context.globalState.update(ACCOUNT_KEY, account);
    void vscode.commands.executeCommand('setContext', 'apsExplorer.signedIn', account !== undefined);
    this.changed.fire(account);
  }
}
