// 3-legged auth: authorization code with PKCE S256 and state, rotating refresh tokens kept in a TokenStore.
import { ApsError, isApsError } from '../http/apsError';
import type { RequestAuthorizer } from '../http/authorizer';
import type { ApsEndpoints } from './endpoints';
import type { OAuthClient, UserInfo } from './oauthClient';
import { createPkcePair, createState } from './pkce';
import { SingleFlight } from './singleFlight';
import type { TokenStore } from './tokenStore';
import { parseTokenSet, serializeTokenSet, type TokenSet } from './tokenSet';

export interface ThreeLeggedOptions {
  redirectUri: string;
  scopes: readonly string[];
  store: TokenStore;
  /** Key under which the token set is stored (default `aps.tokens.<clientId>`). */
  storeKey?: string;
  /** Refresh this long before the access token expires (default 2 minutes). */
  renewBeforeExpiryMs?: number;
  /** How long a started sign-in may take to come back (default 10 minutes). */
  signInTimeoutMs?: number;
  now?: () => number;
}

export interface AuthorizationRequest {
  /** Open this in the browser. */
  url: string;
  state: string;
  codeVerifier: string;
  redirectUri: string;
}

export interface BeginSignInOptions {
  /** Overrides the configured redirect URI (e.g. a loopback port chosen at sign-in time). */
  redirectUri?: string;
  /** 'login' forces Autodesk to ask for credentials again. */
  prompt?: 'login';
}

interface PendingSignIn {
  codeVerifier: string;
  redirectUri: string;
  expiresAt: number;
}

export type SessionListener = (signedIn: boolean) => void;

export class ThreeLeggedAuth implements RequestAuthorizer {
  private readonly storeKey: string;
  private readonly renewBeforeExpiryMs: number;
  private readonly signInTimeoutMs: number;
  private readonly now: () => number;
  private readonly pending = new Map<string, PendingSignIn>();
  private readonly refreshFlight = new SingleFlight<TokenSet>();
  private readonly listeners = new Set<SessionListener>();
  private tokens?: TokenSet;
  private loaded = false;

  constructor(
    private readonly oauth: OAuthClient,
    private readonly endpoints: ApsEndpoints,
    private readonly options: ThreeLeggedOptions,
  ) {
    this.storeKey = options.storeKey ?? `aps.tokens.${oauth.clientId}`;
    this.renewBeforeExpiryMs = options.renewBeforeExpiryMs ?? 2 * 60_000;
    this.signInTimeoutMs = options.signInTimeoutMs ?? 10 * 60_000;
    this.now = options.now ?? Date.now;
  }

  /** Builds the authorize URL; the returned state must come back with the code. */
  beginSignIn(options: BeginSignInOptions = {}): AuthorizationRequest {
    this.dropExpiredPending();
    const redirectUri = options.redirectUri ?? this.options.redirectUri;
    const state = createState();
    const pkce = createPkcePair();
    this.pending.set(state, { codeVerifier: pkce.codeVerifier, redirectUri, expiresAt: this.now() + this.signInTimeoutMs });
    const query: Array<[string, string]> = [
      ['response_type', 'code'],
      ['client_id', this.oauth.clientId],
      ['redirect_uri', redirectUri],
      ['scope', this.options.scopes.join(' ')],
      ['state', state],
      ['code_challenge', pkce.codeChallenge],
      ['code_challenge_method', pkce.codeChallengeMethod],
    ];
    if (options.prompt) query.push(['prompt', options.prompt]);
    const search = query.map(([name, value]) => `${name}=${encodeURIComponent(value)}`).join('&');
    return { url: `${this.endpoints.authorizeUrl}?${search}`, state, codeVerifier: pkce.codeVerifier, redirectUri };
  }

  /** Completes a sign-in from the redirect's query (`code` + `state`, or `error`). */
  handleCallback(callback: string | URL | URLSearchParams, signal?: AbortSignal): Promise<TokenSet> {
    const params = callback instanceof URLSearchParams ? callback : new URL(callback.toString()).searchParams;
    const error = params.get('error');
    if (error) {
      const state = params.get('state');
      if (state) this.pending.delete(state);
      const description = params.get('error_description') ?? undefined;
      return Promise.reject(
        new ApsError({
          kind: 'auth',
          code: error,
          detail: description,
          message: `Autodesk sign-in failed: ${error}${description ? ` (${description})` : ''}`,
          userMessage: error === 'access_denied' ? 'Autodesk sign-in was cancelled or access was denied.' : `Autodesk sign-in failed (${error}).`,
        }),
      );
    }
    return this.completeSignIn({ code: params.get('code') ?? '', state: params.get('state') ?? '' }, signal);
  }

  async completeSignIn(params: { code: string; state: string }, signal?: AbortSignal): Promise<TokenSet> {
    const pending = this.pending.get(params.state);
    this.pending.delete(params.state);
    if (!pending || pending.expiresAt < this.now()) {
      throw new ApsError({
        kind: 'auth',
        code: 'STATE_MISMATCH',
        message: 'The sign-in answer does not match a sign-in started here (unknown or expired state).',
        userMessage: 'The Autodesk sign-in could not be verified or took too long. Please try signing in again.',
      });
    }
    if (!params.code) {
      throw new ApsError({ kind: 'auth', code: 'MISSING_CODE', message: 'The sign-in answer has no authorization code.', userMessage: 'Autodesk sign-in returned no authorization code.' });
    }
    const tokens = await this.oauth.exchangeCode({ code: params.code, redirectUri: pending.redirectUri, codeVerifier: pending.codeVerifier }, signal);
    await this.save(tokens);
    return tokens;
  }

  async isSignedIn(): Promise<boolean> {
    return (await this.load()) !== undefined;
  }

  /** The stored token set, if signed in. */
  getTokens(): Promise<TokenSet | undefined> {
    return this.load();
  }

  async getAccessToken(signal?: AbortSignal): Promise<string> {
    const tokens = await this.load();
    if (!tokens) throw notSignedIn();
    if (this.isFresh(tokens)) return tokens.accessToken;
    return (await this.refresh(signal)).accessToken;
  }

  async onUnauthorized(rejectedToken: string, signal?: AbortSignal): Promise<boolean> {
    const tokens = await this.load();
    if (!tokens) return false;
    if (tokens.accessToken !== rejectedToken) return true;
    const next = await this.refresh(signal, rejectedToken);
    return next.accessToken !== rejectedToken;
  }

  /**
   * Exchanges the refresh token for new tokens (single-flight). With `rejectedToken`, refreshes even if the
   * access token looks fresh, unless it has already been replaced (e.g. by another window sharing the store).
   */
  refresh(signal?: AbortSignal, rejectedToken?: string): Promise<TokenSet> {
    return this.refreshFlight.run(async () => {
      const current = await this.reloadFromStore();
      if (!current) throw notSignedIn();
      const replaced = rejectedToken !== undefined && current.accessToken !== rejectedToken;
      if ((replaced || rejectedToken === undefined) && this.isFresh(current)) return current;
      if (!current.refreshToken) {
        await this.clear();
        throw sessionExpired();
      }
      let next: TokenSet;
      try {
        // No scope parameter: the grant keeps what the user consented to, even if the configured scopes changed since.
        next = await this.oauth.refresh(current.refreshToken);
      } catch (error) {
        if (isApsError(error) && error.status === 400 && error.code === 'invalid_grant') {
          // Another window may have rotated the refresh token a moment ago.
          const latest = await this.reloadFromStore();
          if (latest && latest.refreshToken !== current.refreshToken) return latest;
          await this.clear();
          throw sessionExpired(error);
        }
        throw error;
      }
      if (!next.refreshToken) next = { ...next, refreshToken: current.refreshToken };
      await this.save(next);
      return next;
    }, signal);
  }

  /** Revokes the tokens (best effort) and forgets them. */
  async signOut(signal?: AbortSignal): Promise<void> {
    const tokens = await this.load();
    await this.clear();
    if (!tokens) return;
    const revocations: Array<Promise<void>> = [];
    if (tokens.refreshToken) revocations.push(this.oauth.revoke(tokens.refreshToken, 'refresh_token', signal));
    revocations.push(this.oauth.revoke(tokens.accessToken, 'access_token', signal));
    await Promise.allSettled(revocations);
  }

  async userInfo(signal?: AbortSignal): Promise<UserInfo> {
    const token = await this.getAccessToken(signal);
    return this.oauth.userInfo(token, signal);
  }

  /** Called with true after sign-in or refresh, false after sign-out or an expired session. */
  onDidChange(listener: SessionListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private isFresh(tokens: TokenSet): boolean {
    return tokens.expiresAt - this.renewBeforeExpiryMs > this.now();
  }

  private async load(): Promise<TokenSet | undefined> {
    if (!this.loaded) return this.reloadFromStore();
    return this.tokens;
  }

  private async reloadFromStore(): Promise<TokenSet | undefined> {
    this.tokens = parseTokenSet(await this.options.store.get(this.storeKey));
    this.loaded = true;
    return this.tokens;
  }

  private async save(tokens: TokenSet): Promise<void> {
    this.tokens = tokens;
    this.loaded = true;
    await this.options.store.set(this.storeKey, serializeTokenSet(tokens));
    this.emit(true);
  }

  private async clear(): Promise<void> {
    const had = this.tokens !== undefined;
    this.tokens = undefined;
    this.loaded = true;
    await this.options.store.delete(this.storeKey);
    if (had) this.emit(false);
  }

  private emit(signedIn: boolean): void {
    for (const listener of this.listeners) {
      try {
        listener(signedIn);
      } catch {
        // listeners must not break auth
      }
    }
  }

  private dropExpiredPending(): void {
    const now = this.now();
    for (const [state, pending] of this.pending) if (pending.expiresAt < now) this.pending.delete(state);
  }
}

function notSignedIn(): ApsError {
  return new ApsError({ kind: 'auth', code: 'NOT_SIGNED_IN', message: 'Not signed in to Autodesk', userMessage: 'Sign in to Autodesk to continue.' });
}

function sessionExpired(cause?: unknown): ApsError {
  return new ApsError({
    kind: 'auth',
    code: 'SESSION_EXPIRED',
    status: 400,
    message: 'The Autodesk refresh token was refused; a new sign-in is needed.',
    userMessage: 'Your Autodesk session has expired. Please sign in again.',
    cause,
  });
}
