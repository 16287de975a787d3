import { randomBytes, randomUUID } from 'node:crypto';
import { choices } from '../choices';

export interface AccessToken {
  clientId: string;
  scopes: string[];
  /** Present for 3-legged tokens. */
  userId?: string;
  expiresAt: number;
  revoked: boolean;
}

export interface RefreshToken {
  clientId: string;
  scopes: string[];
  userId: string;
  expiresAt: number;
  used: boolean;
}

export interface AuthorizationCode {
  clientId: string;
  redirectUri: string;
  scopes: string[];
  userId: string;
  codeChallenge?: string;
  nonce?: string;
  expiresAt: number;
  used: boolean;
}

function b64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export class TokenStore {
  private readonly access = new Map<string, AccessToken>();
  private readonly refresh = new Map<string, RefreshToken>();
  private readonly codes = new Map<string, AuthorizationCode>();

  constructor(private readonly now: () => number, private readonly issuer: () => string) {}

  issueAccess(spec: { clientId: string; scopes: string[]; userId?: string; ttlSeconds: number }): string {
    const expiresAt = this.now() + spec.ttlSeconds * 1000;
    // Shaped like APS's RS256 JWTs; clients must treat it as opaque. The signature part is random.
    const token = [
      b64url({ alg: 'RS256', kid: 'emulator-key', typ: 'JWT' }),
      b64url({
        scope: spec.scopes,
        client_id: spec.clientId,
        iss: this.issuer(),
        aud: `${this.issuer()}/aud/ad1`,
        jti: randomUUID(),
        ...(spec.userId ? { userid: spec.userId } : {}),
        exp: Math.floor(expiresAt / 1000),
      }),
      randomBytes(32).toString('base64url'),
    ].join('.');
    this.access.set(token, { clientId: spec.clientId, scopes: spec.scopes, userId: spec.userId, expiresAt, revoked: false });
    return token;
  }

  issueRefresh(spec: { clientId: string; scopes: string[]; userId: string }): string {
    const token = randomBytes(30).toString('base64url');
    this.refresh.set(token, { ...spec, expiresAt: this.now() + choices.refreshTokenTtlSeconds * 1000, used: false });
    return token;
  }

  issueCode(spec: Omit<AuthorizationCode, 'used' | 'expiresAt'>, ttlSeconds: number): string {
    const code = randomBytes(24).toString('base64url');
    this.codes.set(code, { ...spec, expiresAt: this.now() + ttlSeconds * 1000, used: false });
    return code;
  }

  accessToken(token: string): AccessToken | undefined {
    return this.access.get(token);
  }
  refreshToken(token: string): RefreshToken | undefined {
    return this.refresh.get(token);
  }
  code(code: string): AuthorizationCode | undefined {
    return this.codes.get(code);
  }

  expireAllAccess(): void {
    const past = this.now() - 1;
    for (const token of this.access.values()) token.expiresAt = Math.min(token.expiresAt, past);
  }

  revoke(token: string, clientId: string): void {
    const access = this.access.get(token);
    if (access && access.clientId === clientId) access.revoked = true;
    const refresh = this.refresh.get(token);
    if (refresh && refresh.clientId === clientId) refresh.used = true;
  }
}
