/** OAuth v2: token (client_credentials, authorization_code + PKCE, refresh_token), authorize + consent, revoke, introspect, userinfo. */
import { createHash, randomBytes } from 'node:crypto';
import type { ApiContext } from '../api/context';
import { mediaType, readForm, sendEmpty, sendGatewayError, sendJson, sendOAuthError } from '../api/http';
import type { ApiRoute } from '../api/route';
import { choices } from '../choices';
import { sendBody, type Exchange } from '../http/exchange';
import type { SeedApp } from '../seed';
import { consentPage, errorPage, formPostPage } from './pages';

export const KNOWN_SCOPES = new Set([
  'user-profile:read', 'user:read', 'user:write', 'viewables:read', 'data:read', 'data:write', 'data:create', 'data:search',
  'bucket:create', 'bucket:read', 'bucket:update', 'bucket:delete', 'code:all', 'account:read', 'account:write', 'openid',
]);

const SESSION_COOKIE = 'emu_session';

function parseScopes(raw: string | null): { scopes: string[] } | { error: string } {
  const scopes = (raw ?? '').split(/[\s+]+/).filter((s) => s !== '');
  if (scopes.length === 0) return { error: 'The scope parameter is missing.' };
  if (scopes.length > 50) return { error: 'Too many scopes.' };
  const unknown = scopes.find((scope) => !KNOWN_SCOPES.has(scope) && !/^data:read:urn:/.test(scope));
  return unknown ? { error: `The scope ${unknown} is not valid.` } : { scopes };
}

/** Registered callback check: exact, except a `*` port on a loopback host matches any port. */
export function callbackRegistered(app: SeedApp, redirectUri: string): boolean {
  return app.callbackUrls.some((pattern) => {
    if (pattern === redirectUri) return true;
    const m = /^(http:\/\/(?:127\.0\.0\.1|localhost|\[::1\])):\*(\/.*)$/.exec(pattern);
    if (!m) return false;
    const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return new RegExp(`^${escaped(m[1])}:\\d{1,5}${escaped(m[2])}$`).test(redirectUri);
  });
}

interface ClientAuth {
  app: SeedApp;
  /** True when the client proved its secret (confidential). */
  authenticated: boolean;
}

/** Client authentication for token/revoke/introspect; answers the error itself. */
function clientAuth(exchange: Exchange, ctx: ApiContext, form: URLSearchParams): ClientAuth | undefined {
  const header = exchange.req.headers.authorization;
  const bodyId = form.get('client_id');
  const bodySecret = form.get('client_secret');
  if (header && /^Basic\s/i.test(header)) {
    if (bodyId !== null || bodySecret !== null) {
      sendOAuthError(exchange, 400, 'invalid_request', "The 'client_id' is not supported in the request body when Authorization headers are present.");
      return undefined;
    }
    const decoded = Buffer.from(header.replace(/^Basic\s+/i, ''), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const id = colon < 0 ? decoded : decoded.slice(0, colon);
    const secret = colon < 0 ? '' : decoded.slice(colon + 1);
    const app = ctx.apps.find((candidate) => candidate.clientId === id);
    if (!app || app.clientSecret === undefined || app.clientSecret !== secret) {
      sendOAuthError(exchange, 401, 'invalid_client', 'The client credentials are invalid.');
      return undefined;
    }
    return { app, authenticated: true };
  }
  if (bodyId === null) {
    sendOAuthError(exchange, 401, 'invalid_client', 'Client authentication failed: no client credentials were sent.');
    return undefined;
  }
  const app = ctx.apps.find((candidate) => candidate.clientId === bodyId);
  if (!app) {
    sendOAuthError(exchange, 401, 'invalid_client', 'The client_id is invalid.');
    return undefined;
  }
  if (app.clientSecret !== undefined) {
    if (bodySecret !== app.clientSecret) {
      sendOAuthError(exchange, 401, 'invalid_client', 'The client credentials are invalid.');
      return undefined;
    }
    return { app, authenticated: true };
  }
  if (bodySecret !== null) {
    sendOAuthError(exchange, 401, 'invalid_client', 'A public client must not send a client_secret.');
    return undefined;
  }
  return { app, authenticated: false };
}

function pkceChallenge(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

function sendTokens(exchange: Exchange, body: Record<string, unknown>): void {
  sendJson(exchange, 200, body, { 'cache-control': 'no-store', pragma: 'no-cache' });
}

function idToken(ctx: ApiContext, clientId: string, userId: string, nonce?: string): string {
  const user = ctx.model.users.get(userId);
  const now = Math.floor(ctx.now() / 1000);
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return [
    part({ alg: 'RS256', kid: 'emulator-key', typ: 'JWT' }),
    part({ iss: ctx.base(), sub: userId, aud: clientId, exp: now + 3600, iat: now, ...(nonce ? { nonce } : {}), email: user?.email, name: user?.name }),
    randomBytes(32).toString('base64url'),
  ].join('.');
}

async function tokenEndpoint(exchange: Exchange, ctx: ApiContext): Promise<void> {
  if (mediaType(exchange) !== 'application/x-www-form-urlencoded') {
    return sendOAuthError(exchange, 400, 'invalid_request', 'Content-Type must be application/x-www-form-urlencoded.');
  }
  const form = await readForm(exchange);
  const client = clientAuth(exchange, ctx, form);
  if (!client) return;
  const grant = form.get('grant_type');
  const ttl = ctx.options.tokenTtlSeconds;

  if (grant === 'client_credentials') {
    if (!client.authenticated) return sendOAuthError(exchange, 400, 'unauthorized_client', 'A public client cannot use client_credentials.');
    const parsed = parseScopes(form.get('scope'));
    if ('error' in parsed) return sendOAuthError(exchange, 400, form.get('scope') ? 'invalid_scope' : 'invalid_request', parsed.error);
    const accessToken = ctx.tokens.issueAccess({ clientId: client.app.clientId, scopes: parsed.scopes, ttlSeconds: ttl });
    return sendTokens(exchange, { access_token: accessToken, token_type: 'Bearer', expires_in: ttl });
  }

  if (grant === 'authorization_code') {
    const code = form.get('code');
    const redirectUri = form.get('redirect_uri');
    if (!code) return sendOAuthError(exchange, 400, 'invalid_request', 'The code parameter is missing.');
    if (!redirectUri) return sendOAuthError(exchange, 400, 'invalid_request', 'The redirect_uri parameter is missing.');
    const entry = ctx.tokens.code(code);
    if (!entry || entry.used || !(ctx.now() < entry.expiresAt)) return sendOAuthError(exchange, 400, 'invalid_grant', 'The authorization code is invalid or expired.');
    if (entry.clientId !== client.app.clientId) return sendOAuthError(exchange, 400, 'invalid_grant', 'The authorization code was issued to another client.');
    if (entry.redirectUri !== redirectUri) return sendOAuthError(exchange, 400, 'invalid_grant', 'The redirect_uri does not match the one used to authorize.');
    const verifier = form.get('code_verifier');
    if (entry.codeChallenge !== undefined) {
      if (!verifier) return sendOAuthError(exchange, 400, 'invalid_request', 'The code_verifier parameter is missing.');
      if (!/^[A-Za-z0-9\-._~]{43,128}$/.test(verifier)) return sendOAuthError(exchange, 400, 'invalid_grant', 'The code_verifier is malformed.');
      if (pkceChallenge(verifier) !== entry.codeChallenge) return sendOAuthError(exchange, 400, 'invalid_grant', 'PKCE verification failed.');
    } else if (!client.authenticated) {
      return sendOAuthError(exchange, 400, 'invalid_request', 'A public client must use PKCE.');
    }
    entry.used = true;
    const accessToken = ctx.tokens.issueAccess({ clientId: client.app.clientId, scopes: entry.scopes, userId: entry.userId, ttlSeconds: ttl });
    const refreshToken = ctx.tokens.issueRefresh({ clientId: client.app.clientId, scopes: entry.scopes, userId: entry.userId });
    return sendTokens(exchange, {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: ttl,
      refresh_token: refreshToken,
      ...(entry.scopes.includes('openid') ? { id_token: idToken(ctx, client.app.clientId, entry.userId, entry.nonce) } : {}),
    });
  }

  if (grant === 'refresh_token') {
    const token = form.get('refresh_token');
    if (!token) return sendOAuthError(exchange, 400, 'invalid_request', 'The refresh_token parameter is missing.');
    const entry = ctx.tokens.refreshToken(token);
    if (!entry || entry.used || !(ctx.now() < entry.expiresAt) || entry.clientId !== client.app.clientId) {
      return sendOAuthError(exchange, 400, 'invalid_grant', 'The refresh token is invalid or expired.');
    }
    let scopes = entry.scopes;
    if (form.get('scope')) {
      const parsed = parseScopes(form.get('scope'));
      if ('error' in parsed || parsed.scopes.some((scope) => !entry.scopes.includes(scope))) {
        return sendOAuthError(exchange, 400, 'invalid_scope', 'The requested scope exceeds the original grant.');
      }
      scopes = parsed.scopes;
    }
    if (choices.refreshTokensRotate) entry.used = true;
    const accessToken = ctx.tokens.issueAccess({ clientId: client.app.clientId, scopes, userId: entry.userId, ttlSeconds: ttl });
    const refreshToken = ctx.tokens.issueRefresh({ clientId: client.app.clientId, scopes: entry.scopes, userId: entry.userId });
    return sendTokens(exchange, { access_token: accessToken, token_type: 'Bearer', expires_in: ttl, refresh_token: refreshToken });
  }

  if (grant === null) return sendOAuthError(exchange, 400, 'invalid_request', 'The grant_type parameter is missing.');
  sendOAuthError(exchange, 400, 'unsupported_grant_type', `The grant_type ${grant} is not supported.`);
}

function sendHtml(exchange: Exchange, status: number, html: string, headers: Record<string, string | string[]> = {}): void {
  sendBody(exchange, status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', ...headers }, html);
}

interface AuthorizeRequest {
  app: SeedApp;
  redirectUri: string;
  scopes: string[];
  state?: string;
  nonce?: string;
  codeChallenge?: string;
  responseMode: 'query' | 'fragment' | 'form_post';
}

function redirectWith(exchange: Exchange, request: Pick<AuthorizeRequest, 'redirectUri' | 'responseMode' | 'state'>, values: Record<string, string>, headers: Record<string, string | string[]> = {}): void {
  const params = new URLSearchParams(values);
  if (request.state !== undefined) params.set('state', request.state);
  if (request.responseMode === 'form_post') return sendHtml(exchange, 200, formPostPage(request.redirectUri, params), headers);
  const separator = request.responseMode === 'fragment' ? '#' : request.redirectUri.includes('?') ? '&' : '?';
  sendBody(exchange, 302, { location: `${request.redirectUri}${separator}${params.toString()}`, ...headers }, '');
}

/** Validates an authorize request (query or consent form); answers errors itself. */
function readAuthorize(exchange: Exchange, ctx: ApiContext, params: URLSearchParams): AuthorizeRequest | undefined {
  const app = ctx.apps.find((candidate) => candidate.clientId === params.get('client_id'));
  if (!app) {
    sendHtml(exchange, 400, errorPage('Unknown client', 'The client_id is not registered.'));
    return undefined;
  }
  const redirectUri = params.get('redirect_uri') ?? '';
  if (!callbackRegistered(app, redirectUri)) {
    sendHtml(exchange, 400, errorPage('Invalid redirect_uri', 'The redirect_uri does not match any callback URL registered for this app.'));
    return undefined;
  }
  const modeText = params.get('response_mode') ?? 'query';
  const responseMode = modeText === 'fragment' || modeText === 'form_post' ? modeText : 'query';
  const base = { redirectUri, responseMode, state: params.get('state') ?? undefined } as const;
  if (params.get('response_type') !== 'code') {
    redirectWith(exchange, base, { error: 'unsupported_response_type', error_description: 'Only response_type=code is supported.' });
    return undefined;
  }
  const parsed = parseScopes(params.get('scope'));
  if ('error' in parsed) {
    redirectWith(exchange, base, { error: 'invalid_scope', error_description: parsed.error });
    return undefined;
  }
  const challenge = params.get('code_challenge') ?? undefined;
  const method = params.get('code_challenge_method');
  if (challenge !== undefined && method !== 'S256') {
    redirectWith(exchange, base, { error: 'invalid_request', error_description: 'code_challenge_method must be S256.' });
    return undefined;
  }
  if (challenge !== undefined && !/^[A-Za-z0-9_-]{43}$/.test(challenge)) {
    redirectWith(exchange, base, { error: 'invalid_request', error_description: 'code_challenge must be a base64url SHA-256 digest.' });
    return undefined;
  }
  if (challenge === undefined && app.clientSecret === undefined) {
    redirectWith(exchange, base, { error: 'invalid_request', error_description: 'A public client must send a PKCE code_challenge.' });
    return undefined;
  }
  if (parsed.scopes.includes('openid') && !params.get('nonce')) {
    redirectWith(exchange, base, { error: 'invalid_request', error_description: 'nonce is required with the openid scope.' });
    return undefined;
  }
  return { app, ...base, scopes: parsed.scopes, nonce: params.get('nonce') ?? undefined, codeChallenge: challenge };
}

function sessionUser(exchange: Exchange, ctx: ApiContext): string | undefined {
  const cookie = exchange.req.headers.cookie ?? '';
  const m = new RegExp(`(?:^|;\\s*)${SESSION_COOKIE}=([^;]+)`).exec(cookie);
  return m && ctx.model.users.has(m[1]) ? m[1] : undefined;
}

function issueCodeAndRedirect(exchange: Exchange, ctx: ApiContext, request: AuthorizeRequest, userId: string): void {
  const code = ctx.tokens.issueCode(
    { clientId: request.app.clientId, redirectUri: request.redirectUri, scopes: request.scopes, userId, codeChallenge: request.codeChallenge, nonce: request.nonce },
    ctx.options.codeTtlSeconds,
  );
  redirectWith(exchange, request, { code }, { 'set-cookie': `${SESSION_COOKIE}=${userId}; Path=/authentication; HttpOnly; SameSite=Lax` });
}

export const oauthRoutes: ApiRoute[] = [
  { method: 'POST', pattern: '/authentication/v2/token', name: 'auth.token', scope: 'none', handle: (exchange, _params, ctx) => tokenEndpoint(exchange, ctx) },
  {
    method: 'GET', pattern: '/authentication/v2/authorize', name: 'auth.authorize', scope: 'none',
    handle(exchange, _params, ctx) {
      const request = readAuthorize(exchange, ctx, exchange.query);
      if (!request) return;
      const user = exchange.query.get('prompt') === 'login' ? undefined : sessionUser(exchange, ctx);
      if (user) return issueCodeAndRedirect(exchange, ctx, request, user);
      sendHtml(exchange, 200, consentPage({ appName: request.app.name, scopes: request.scopes, users: ctx.seed.users, defaultUserId: ctx.seed.ids.users.demo, hidden: exchange.query }));
    },
  },
  {
    method: 'POST', pattern: '/authentication/v2/authorize', name: 'auth.authorize', scope: 'none',
    async handle(exchange, _params, ctx) {
      const form = await readForm(exchange);
      const request = readAuthorize(exchange, ctx, form);
      if (!request) return;
      if (form.get('decision') !== 'allow') return redirectWith(exchange, request, { error: choices.consentDeniedError, error_description: 'The user denied the request.' });
      const userId = form.get('user_id') ?? ctx.seed.ids.users.demo;
      if (!ctx.model.users.has(userId)) return sendHtml(exchange, 400, errorPage('Unknown user', 'Pick one of the listed users.'));
      issueCodeAndRedirect(exchange, ctx, request, userId);
    },
  },
  {
    method: 'POST', pattern: '/authentication/v2/revoke', name: 'auth.revoke', scope: 'none',
    async handle(exchange, _params, ctx) {
      if (mediaType(exchange) !== 'application/x-www-form-urlencoded') return sendOAuthError(exchange, 400, 'invalid_request', 'Content-Type must be application/x-www-form-urlencoded.');
      const form = await readForm(exchange);
      const client = clientAuth(exchange, ctx, form);
      if (!client) return;
      const token = form.get('token');
      if (!token) return sendOAuthError(exchange, 400, 'invalid_request', 'The token parameter is missing.');
      ctx.tokens.revoke(token, client.app.clientId);
      sendEmpty(exchange, 200);
    },
  },
  {
    method: 'POST', pattern: '/authentication/v2/introspect', name: 'auth.introspect', scope: 'none',
    async handle(exchange, _params, ctx) {
      const form = await readForm(exchange);
      const client = clientAuth(exchange, ctx, form);
      if (!client) return;
      const token = ctx.tokens.accessToken(form.get('token') ?? '');
      if (!token || token.revoked || !(ctx.now() < token.expiresAt) || token.clientId !== client.app.clientId) return sendJson(exchange, 200, { active: false });
      sendJson(exchange, 200, { active: true, scope: token.scopes.join(' '), client_id: token.clientId, exp: Math.floor(token.expiresAt / 1000), ...(token.userId ? { userid: token.userId } : {}) });
    },
  },
  {
    method: 'GET', pattern: '/authentication/v2/logout', name: 'auth.logout', scope: 'none',
    handle(exchange, _params, ctx) {
      const target = exchange.query.get('post_logout_redirect_uri');
      const clear = { 'set-cookie': `${SESSION_COOKIE}=; Path=/authentication; Max-Age=0` };
      if (target && ctx.apps.some((app) => callbackRegistered(app, target))) return sendBody(exchange, 302, { location: target, ...clear }, '');
      sendHtml(exchange, 200, errorPage('Signed out', 'You have been signed out of the APS emulator.'), clear);
    },
  },
  {
    method: 'GET', pattern: '/userinfo', name: 'auth.userinfo', scope: 'profile',
    handle(exchange, _params, ctx, principal) {
      const userId = principal?.token.userId;
      const g = choices.gateway.insufficientScope;
      if (!userId) return sendGatewayError(exchange, g.status, g.errorCode, 'userinfo needs a 3-legged token.');
      const user = ctx.model.users.get(userId);
      if (!user) return sendGatewayError(exchange, 404, 'AUTH-404', 'Unknown user.');
      sendJson(exchange, 200, {
        sub: user.id,
        name: user.name,
        given_name: user.givenName,
        family_name: user.familyName,
        preferred_username: user.username,
        email: user.email,
        email_verified: true,
        profile: `https://profile.autodesk.com/${user.id}`,
        picture: `${ctx.base()}/userinfo/${user.id}/picture.png`,
        locale: 'en-US',
        updated_at: 1709542800,
        is_2fa_enabled: false,
        country_code: 'US',
        language: 'en',
        eidm_guid: user.id,
      });
    },
  },
  {
    method: 'GET', pattern: '/.well-known/openid-configuration', name: 'auth.discovery', scope: 'none',
    handle(exchange, _params, ctx) {
      const base = ctx.base();
      sendJson(exchange, 200, {
        issuer: base,
        authorization_endpoint: `${base}/authentication/v2/authorize`,
        token_endpoint: `${base}/authentication/v2/token`,
        userinfo_endpoint: `${base}/userinfo`,
        jwks_uri: `${base}/authentication/v2/keys`,
        revocation_endpoint: `${base}/authentication/v2/revoke`,
        introspection_endpoint: `${base}/authentication/v2/introspect`,
        end_session_endpoint: `${base}/authentication/v2/logout`,
        scopes_supported: [...KNOWN_SCOPES],
        response_types_supported: ['code', 'code id_token', 'id_token'],
        grant_types_supported: ['authorization_code', 'client_credentials', 'refresh_token'],
        code_challenge_methods_supported: ['S256'],
        id_token_signing_alg_values_supported: ['RS256'],
        subject_types_supported: ['public'],
      });
    },
  },
];

