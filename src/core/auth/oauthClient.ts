// Raw calls to the APS OAuth v2 endpoints (token, revoke, userinfo).
import { ApsError } from '../http/apsError';
import { expectJson, type HttpClient } from '../http/httpClient';
import type { ApsEndpoints } from './endpoints';
import { tokenSetFromResponse, type TokenResponseBody, type TokenSet } from './tokenSet';

export interface ClientCredentials {
  clientId: string;
  /** Absent for public (PKCE-only) apps. */
  clientSecret?: string;
}

export interface UserInfo {
  /** Autodesk user id (the value for x-user-id). */
  sub: string;
  name?: string;
  givenName?: string;
  familyName?: string;
  email?: string;
  preferredUsername?: string;
  picture?: string;
  raw: Record<string, unknown>;
}

export interface CodeExchange {
  code: string;
  redirectUri: string;
  codeVerifier: string;
}

export class OAuthClient {
  constructor(
    private readonly http: HttpClient,
    private readonly endpoints: ApsEndpoints,
    readonly credentials: ClientCredentials,
    private readonly now: () => number = Date.now,
  ) {}

  get clientId(): string {
    return this.credentials.clientId;
  }

  /** 2-legged token for the given scopes. */
  clientCredentials(scopes: readonly string[], signal?: AbortSignal): Promise<TokenSet> {
    if (!this.credentials.clientSecret) {
      return Promise.reject(
        new ApsError({ kind: 'auth', code: 'NO_CLIENT_SECRET', message: '2-legged auth needs a client secret', userMessage: 'A client secret is required for app (2-legged) authentication.' }),
      );
    }
    // Minting a token has no side effect, so this POST may be retried.
    return this.token({ grant_type: 'client_credentials', scope: scopes.join(' ') }, scopes, true, signal);
  }

  exchangeCode(exchange: CodeExchange, signal?: AbortSignal): Promise<TokenSet> {
    return this.token(
      { grant_type: 'authorization_code', code: exchange.code, redirect_uri: exchange.redirectUri, code_verifier: exchange.codeVerifier },
      undefined,
      false,
      signal,
    );
  }

  /**
   * Refresh tokens rotate: the answer carries a new refresh token and the old one stops working.
   * Without `scopes` the new tokens keep the scopes of the original grant.
   */
  refresh(refreshToken: string, scopes?: readonly string[], signal?: AbortSignal): Promise<TokenSet> {
    return this.token({ grant_type: 'refresh_token', refresh_token: refreshToken, scope: scopes?.join(' ') }, scopes, false, signal);
  }

  async revoke(token: string, tokenTypeHint: 'access_token' | 'refresh_token', signal?: AbortSignal): Promise<void> {
    await this.http.request({
      method: 'POST',
      url: this.endpoints.revokeUrl,
      auth: null,
      headers: this.clientAuthHeader(),
      form: { token, token_type_hint: tokenTypeHint, ...this.clientIdField() },
      idempotent: true,
      signal,
    });
  }

  async userInfo(accessToken: string, signal?: AbortSignal): Promise<UserInfo> {
    const response = await this.http.request({
      method: 'GET',
      url: this.endpoints.userinfoUrl,
      auth: { getAccessToken: async () => accessToken, onUnauthorized: async () => false },
      signal,
    });
    const raw = expectJson<Record<string, unknown>>(response);
    const text = (name: string): string | undefined => (typeof raw[name] === 'string' ? (raw[name] as string) : undefined);
    const sub = text('sub');
    if (!sub) throw new ApsError({ kind: 'protocol', message: 'userinfo answered without "sub"', userMessage: 'Autodesk returned an incomplete user profile.' });
    return {
      sub,
      name: text('name'),
      givenName: text('given_name'),
      familyName: text('family_name'),
      email: text('email'),
      preferredUsername: text('preferred_username'),
      picture: text('picture'),
      raw,
    };
  }

  private async token(form: Record<string, string | undefined>, scopes: readonly string[] | undefined, idempotent: boolean, signal?: AbortSignal): Promise<TokenSet> {
    const requestedAt = this.now();
    const response = await this.http.request({
      method: 'POST',
      url: this.endpoints.tokenUrl,
      auth: null,
      headers: { ...this.clientAuthHeader(), accept: 'application/json' },
      form: { ...form, ...this.clientIdField() },
      idempotent,
      signal,
    });
    const tokens = tokenSetFromResponse(expectJson<TokenResponseBody>(response), requestedAt, scopes);
    if (!tokens) {
      throw new ApsError({ kind: 'protocol', message: 'token endpoint answered without access_token', userMessage: 'Autodesk sign-in returned no access token.' });
    }
    return tokens;
  }

  // Confidential apps authenticate with Basic; public apps send client_id in the body (never both: APS answers 400).
  private clientAuthHeader(): Record<string, string> {
    const { clientId, clientSecret } = this.credentials;
    if (!clientSecret) return {};
    const basic = Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64');
    return { authorization: `Basic ${basic}` };
  }

  private clientIdField(): Record<string, string> {
    return this.credentials.clientSecret ? {} : { client_id: this.credentials.clientId };
  }
}
