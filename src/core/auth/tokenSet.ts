/** Tokens from the OAuth token endpoint, with the expiry made absolute. */
export interface TokenSet {
  accessToken: string;
  tokenType: string;
  /** Epoch ms when the access token expires. */
  expiresAt: number;
  refreshToken?: string;
  idToken?: string;
  scopes?: string[];
}

export interface TokenResponseBody {
  access_token?: unknown;
  token_type?: unknown;
  expires_in?: unknown;
  expires_at?: unknown;
  refresh_token?: unknown;
  id_token?: unknown;
  scope?: unknown;
}

export function tokenSetFromResponse(body: TokenResponseBody, now: number, requestedScopes?: readonly string[]): TokenSet | undefined {
  if (typeof body.access_token !== 'string' || body.access_token === '') return undefined;
  const expiresIn = typeof body.expires_in === 'number' ? body.expires_in : Number(body.expires_in ?? 3599);
  const scopes = typeof body.scope === 'string' ? body.scope.split(/\s+/).filter(Boolean) : requestedScopes ? [...requestedScopes] : undefined;
  return {
    accessToken: body.access_token,
    tokenType: typeof body.token_type === 'string' ? body.token_type : 'Bearer',
    expiresAt: now + (Number.isFinite(expiresIn) ? expiresIn : 3599) * 1000,
    ...(typeof body.refresh_token === 'string' ? { refreshToken: body.refresh_token } : {}),
    ...(typeof body.id_token === 'string' ? { idToken: body.id_token } : {}),
    ...(scopes ? { scopes } : {}),
  };
}

export function serializeTokenSet(tokens: TokenSet): string {
  return JSON.stringify(tokens);
}

export function parseTokenSet(text: string | undefined): TokenSet | undefined {
  if (!text) return undefined;
  try {
    const value = JSON.parse(text) as Partial<TokenSet>;
    if (typeof value.accessToken !== 'string' || typeof value.expiresAt !== 'number') return undefined;
    return value as TokenSet;
  } catch {
    return undefined;
  }
}
