// 2-legged (client credentials) auth: one cached token per scope set, renewed shortly before expiry.
import type { RequestAuthorizer } from '../http/authorizer';
import type { OAuthClient } from './oauthClient';
import { SingleFlight } from './singleFlight';
import type { TokenSet } from './tokenSet';

export interface TwoLeggedOptions {
  scopes: readonly string[];
  /** Narrows every call to what this Autodesk user may see (x-user-id). */
  userId?: string;
  /** Renew this long before expiry (default 5 minutes). */
  renewBeforeExpiryMs?: number;
  now?: () => number;
}

export class TwoLeggedAuth implements RequestAuthorizer {
  readonly userId?: string;
  private readonly scopes: readonly string[];
  private readonly renewBeforeExpiryMs: number;
  private readonly now: () => number;
  private readonly source: TokenSource;

  constructor(oauth: OAuthClient, options: TwoLeggedOptions, source?: TokenSource) {
    this.scopes = options.scopes;
    this.userId = options.userId;
    this.renewBeforeExpiryMs = options.renewBeforeExpiryMs ?? 5 * 60_000;
    this.now = options.now ?? Date.now;
    this.source = source ?? new TokenSource(oauth, options.scopes);
  }

  /** The same app token, sent with x-user-id for another user. */
  forUser(userId: string | undefined): TwoLeggedAuth {
    return new TwoLeggedAuth(this.source.oauth, { scopes: this.scopes, userId, renewBeforeExpiryMs: this.renewBeforeExpiryMs, now: this.now }, this.source);
  }

  async getAccessToken(signal?: AbortSignal): Promise<string> {
    const cached = this.source.current;
    if (cached && cached.expiresAt - this.renewBeforeExpiryMs > this.now()) return cached.accessToken;
    return (await this.source.fetch(signal)).accessToken;
  }

  async onUnauthorized(rejectedToken: string, signal?: AbortSignal): Promise<boolean> {
    if (this.source.current?.accessToken === rejectedToken) this.source.current = undefined;
    const fresh = await this.getAccessToken(signal);
    return fresh !== rejectedToken;
  }

  /** Forget the cached token (e.g. after the credentials changed). */
  clear(): void {
    this.source.current = undefined;
  }
}

class TokenSource {
  current?: TokenSet;
  private readonly flight = new SingleFlight<TokenSet>();

  constructor(readonly oauth: OAuthClient, private readonly scopes: readonly string[]) {}

  fetch(signal?: AbortSignal): Promise<TokenSet> {
    return this.flight.run(async () => {
      const tokens = await this.oauth.clientCredentials(this.scopes);
      this.current = tokens;
      return tokens;
    }, signal);
  }
}
