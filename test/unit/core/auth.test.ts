// OAuth against the emulator: 2-legged caching, 401 → refresh → retry, PKCE sign-in, rotation, revoke, and no secrets in logs.
import * as assert from 'node:assert/strict';
import { createApsClient, isApsError, MemoryTokenStore, type ThreeLeggedAuth, type TokenSet } from '../../../src/core';
import type { RunningEmulator } from '../../emulator';
import { consent } from './consentBrowser';
import { identify, userLabel } from '../../../src/core/auth/identity';
import { APP_SCOPES, USER_SCOPES } from '../../../src/core/auth/scopes';
import { ALL_SCOPES, captureLog, FAST_RETRY, twoLeggedClient, useEmulator, type LogCapture } from './harness';

const REDIRECT_URI = 'http://127.0.0.1:43123/callback';

function threeLeggedClient(emulator: RunningEmulator, options: { log?: LogCapture; store?: MemoryTokenStore; publicApp?: boolean; emulatorClock?: boolean } = {}) {
  const app = options.publicApp ? emulator.seed.publicApp : emulator.seed.credentials;
  return createApsClient({
    baseUrl: emulator.baseUrl,
    auth: { kind: '3-legged', clientId: app.clientId, clientSecret: app.clientSecret, redirectUri: REDIRECT_URI, scopes: [...ALL_SCOPES, 'user-profile:read'] },
    tokenStore: options.store ?? new MemoryTokenStore(),
    retry: FAST_RETRY,
    proxy: { url: '' },
    onRequestLog: options.log?.hook,
    ...(options.emulatorClock ? { now: () => emulator.clock.now() } : {}),
  });
}

async function signIn(auth: ThreeLeggedAuth, userId?: string): Promise<TokenSet> {
  const started = auth.beginSignIn();
  const location = await consent(started.url, { userId });
  return auth.handleCallback(location);
}

function tokenRequests(emulator: RunningEmulator) {
  return emulator.requests.list({ method: 'POST', path: '/authentication/v2/token' });
}

describe('core/auth against the emulator', function () {
  const emulator = useEmulator();

  describe('2-legged', () => {
    it('fetches one token for many concurrent calls and reuses it', async () => {
      const e = emulator();
      const client = twoLeggedClient(e);
      try {
        e.requests.clear();
        await Promise.all(Array.from({ length: 6 }, () => client.dm.listHubs()));
        await client.dm.listHubs();
        assert.equal(tokenRequests(e).length, 1);
      } finally {
        await client.close();
      }
    });

    it('sends x-user-id when acting for a user', async () => {
      const e = emulator();
      const client = twoLeggedClient(e, undefined, { userId: e.seed.ids.users.limited });
      try {
        e.requests.clear();
        await client.dm.listHubs();
        assert.ok(e.requests.list({ path: /^\/project\/v1\/hubs$/ }).every((r) => r.userId === e.seed.ids.users.limited));
      } finally {
        await client.close();
      }
    });

    it('answers an expired token (401) with exactly one new token and one retry', async () => {
      const e = emulator();
      const log = captureLog();
      const client = twoLeggedClient(e, log);
      try {
        await client.dm.listHubs();
        e.expireTokens();
        e.requests.clear();
        const { hubs } = await client.dm.listHubs();
        assert.ok(hubs.length > 0);
        assert.deepEqual(e.requests.list({ path: /^\/project\/v1\/hubs$/ }).map((r) => r.status), [401, 200]);
        assert.equal(tokenRequests(e).length, 1);
        assert.ok(log.entries.some((entry) => entry.status === 401 && entry.refreshedToken));
      } finally {
        await client.close();
      }
    });

    it('does not loop when the renewed token is refused too', async () => {
      const e = emulator();
      const client = twoLeggedClient(e);
      try {
        e.faults.add({ kind: 'status', status: 401, path: '/project/v1/hubs', method: 'GET' });
        e.requests.clear();
        await assert.rejects(client.dm.listHubs(), (error: unknown) => isApsError(error) && error.status === 401 && error.kind === 'auth' && /sign in again/i.test(error.userMessage));
        assert.equal(e.requests.list({ path: /^\/project\/v1\/hubs$/ }).length, 2);
      } finally {
        await client.close();
      }
    });

    it('reports wrong app credentials clearly', async () => {
      const e = emulator();
      const log = captureLog();
      const client = createApsClient({
        baseUrl: e.baseUrl,
        auth: { kind: '2-legged', clientId: e.seed.credentials.clientId, clientSecret: 'wrong-secret-value', scopes: ['data:read'] },
        proxy: { url: '' },
        onRequestLog: log.hook,
      });
      try {
        await assert.rejects(client.dm.listHubs(), (error: unknown) => isApsError(error) && error.status === 401 && error.code === 'invalid_client' && /credentials/.test(error.userMessage));
        assert.ok(!log.text().includes('wrong-secret-value'));
      } finally {
        await client.close();
      }
    });
  });

  describe('3-legged with PKCE', () => {
    it('signs in through the consent page, then browses as that user', async () => {
      const e = emulator();
      const store = new MemoryTokenStore();
      const client = threeLeggedClient(e, { store });
      try {
        const changes: boolean[] = [];
        client.auth.onDidChange((signedIn) => changes.push(signedIn));
        assert.equal(await client.auth.isSignedIn(), false);
        const started = client.auth.beginSignIn();
        const url = new URL(started.url);
        assert.equal(url.searchParams.get('code_challenge_method'), 'S256');
        assert.equal(url.searchParams.get('state'), started.state);
        assert.equal(url.searchParams.get('scope'), [...ALL_SCOPES, 'user-profile:read'].join(' '));
        assert.ok(started.codeVerifier.length >= 43);
        const location = await consent(started.url);
        assert.ok(location.startsWith(REDIRECT_URI));
        const tokens = await client.auth.handleCallback(location);
        assert.ok(tokens.refreshToken);
        assert.deepEqual(changes, [true]);
        assert.ok(await store.get(`aps.tokens.${e.seed.credentials.clientId}`), 'tokens persisted in the store');

        const { hubs } = await client.dm.listHubs();
        assert.ok(hubs.some((hub) => hub.kind === 'personal'), '3-legged sees the personal hub');
        const me = await client.auth.userInfo();
        assert.equal(me.sub, e.seed.ids.users.demo);
        assert.equal(me.email, 'dana.demo@example.com');
      } finally {
        await client.close();
      }
    });

    it('asks for the scopes the product needs by default, user-profile:read among them', async () => {
      const e = emulator();
      const client = createApsClient({ baseUrl: e.baseUrl, auth: { kind: '3-legged', clientId: e.seed.credentials.clientId, redirectUri: REDIRECT_URI }, proxy: { url: '' } });
      try {
        assert.deepEqual(new URL(client.auth.beginSignIn().url).searchParams.get('scope')?.split(' '), [...USER_SCOPES]);
        assert.ok(USER_SCOPES.includes('user-profile:read') && USER_SCOPES.includes('data:create') && !APP_SCOPES.includes('user-profile:read' as never));
      } finally {
        await client.close();
      }
    });

    it('names the user from the profile, or from the token when APS refuses the profile (no user-profile:read)', async () => {
      const e = emulator();
      const full = threeLeggedClient(e);
      const partial = createApsClient({
        baseUrl: e.baseUrl,
        auth: { kind: '3-legged', clientId: e.seed.credentials.clientId, clientSecret: e.seed.credentials.clientSecret, redirectUri: REDIRECT_URI, scopes: [...ALL_SCOPES] },
        tokenStore: new MemoryTokenStore(),
        retry: FAST_RETRY,
        proxy: { url: '' },
      });
      try {
        await signIn(full.auth);
        const named = await identify(full.auth);
        assert.deepEqual(named, { id: e.seed.ids.users.demo, name: 'Dana Demo', email: 'dana.demo@example.com' });
        assert.equal(userLabel(named), 'Dana Demo (dana.demo@example.com)');

        await signIn(partial.auth);
        const unnamed = await identify(partial.auth);
        assert.equal(unnamed.id, e.seed.ids.users.demo);
        assert.equal(unnamed.name, undefined);
        assert.equal(unnamed.profileRefusal?.status, 403);
        assert.match(unnamed.profileRefusal!.userMessage, /user-profile:read/);
        assert.equal(userLabel(unnamed), `Autodesk user ${e.seed.ids.users.demo}`);
      } finally {
        await full.close();
        await partial.close();
      }
    });

    it('works for a public client that sends only client_id', async () => {
      const e = emulator();
      const client = threeLeggedClient(e, { publicApp: true });
      try {
        await signIn(client.auth);
        const { hubs } = await client.dm.listHubs();
        assert.ok(hubs.length > 0);
      } finally {
        await client.close();
      }
    });

    it('fails the code exchange with a wrong verifier, and rejects an unknown state', async () => {
      const e = emulator();
      const client = threeLeggedClient(e);
      try {
        const started = client.auth.beginSignIn();
        const code = new URL(await consent(started.url)).searchParams.get('code') as string;
        await assert.rejects(
          client.oauth.exchangeCode({ code, redirectUri: started.redirectUri, codeVerifier: 'x'.repeat(43) }),
          (error: unknown) => isApsError(error) && error.status === 400 && error.code === 'invalid_grant' && /PKCE/.test(error.detail ?? ''),
        );
        await assert.rejects(client.auth.completeSignIn({ code, state: 'forged-state' }), (error: unknown) => isApsError(error) && error.code === 'STATE_MISMATCH');
        assert.equal(await client.auth.isSignedIn(), false);
      } finally {
        await client.close();
      }
    });

    it('reports a denied consent', async () => {
      const e = emulator();
      const client = threeLeggedClient(e);
      try {
        const started = client.auth.beginSignIn();
        const location = await consent(started.url, { decision: 'deny' });
        await assert.rejects(client.auth.handleCallback(location), (error: unknown) => isApsError(error) && error.code === 'access_denied' && /cancelled or access was denied/.test(error.userMessage));
      } finally {
        await client.close();
      }
    });

    it('refreshes once on 401, rotating the refresh token (the old one stops working)', async () => {
      const e = emulator();
      const client = threeLeggedClient(e);
      try {
        const first = await signIn(client.auth);
        e.expireTokens();
        e.requests.clear();
        await Promise.all([client.dm.listHubs(), client.dm.listHubs(), client.dm.listHubs()]);
        assert.equal(tokenRequests(e).length, 1, 'concurrent 401s share one refresh');
        const second = (await client.auth.getTokens()) as TokenSet;
        assert.notEqual(second.refreshToken, first.refreshToken);
        assert.notEqual(second.accessToken, first.accessToken);
        await assert.rejects(client.oauth.refresh(first.refreshToken as string), (error: unknown) => isApsError(error) && error.code === 'invalid_grant');
      } finally {
        await client.close();
      }
    });

    it('refreshes ahead of expiry without waiting for a 401', async () => {
      const e = emulator();
      const client = threeLeggedClient(e, { emulatorClock: true });
      try {
        await signIn(client.auth);
        e.clock.advance(3_590_000); // 10 s left: inside the renewal margin
        e.requests.clear();
        await client.dm.listHubs();
        assert.equal(tokenRequests(e).length, 1);
        assert.ok(e.requests.list({ path: /^\/project\/v1\/hubs$/ }).every((r) => r.status === 200));
      } finally {
        await client.close();
      }
    });

    it('ends the session when the refresh token is refused, and tells the user to sign in again', async () => {
      const e = emulator();
      const client = threeLeggedClient(e);
      try {
        const tokens = await signIn(client.auth);
        await client.oauth.revoke(tokens.refreshToken as string, 'refresh_token');
        const changes: boolean[] = [];
        client.auth.onDidChange((signedIn) => changes.push(signedIn));
        e.expireTokens();
        await assert.rejects(client.dm.listHubs(), (error: unknown) => isApsError(error) && error.code === 'SESSION_EXPIRED' && /sign in again/i.test(error.userMessage));
        assert.equal(await client.auth.isSignedIn(), false);
        assert.deepEqual(changes, [false]);
      } finally {
        await client.close();
      }
    });

    it('signs out by revoking the tokens and clearing the store', async () => {
      const e = emulator();
      const store = new MemoryTokenStore();
      const client = threeLeggedClient(e, { store });
      try {
        const tokens = await signIn(client.auth);
        e.requests.clear();
        await client.auth.signOut();
        assert.equal(e.requests.list({ method: 'POST', path: '/authentication/v2/revoke' }).length, 2);
        assert.equal(await store.get(`aps.tokens.${e.seed.credentials.clientId}`), undefined);
        await assert.rejects(client.dm.listHubs(), (error: unknown) => isApsError(error) && error.code === 'NOT_SIGNED_IN');
        await assert.rejects(client.oauth.refresh(tokens.refreshToken as string), (error: unknown) => isApsError(error) && error.code === 'invalid_grant');
      } finally {
        await client.close();
      }
    });

    it('picks up tokens another window rotated in the shared store instead of failing', async () => {
      const e = emulator();
      const store = new MemoryTokenStore();
      const windowA = threeLeggedClient(e, { store });
      const windowB = threeLeggedClient(e, { store });
      try {
        await signIn(windowA.auth);
        await windowB.dm.listHubs(); // B loads A's tokens from the store
        e.expireTokens();
        await windowA.dm.listHubs(); // A refreshes: B's refresh token is now spent
        const { hubs } = await windowB.dm.listHubs(); // B sees the 401, finds A's new tokens in the store
        assert.ok(hubs.length > 0);
        assert.equal(await windowB.auth.isSignedIn(), true);
      } finally {
        await windowA.close();
        await windowB.close();
      }
    });
  });

  it('never lets a token, secret, code, verifier or signature reach the request log', async () => {
    const e = emulator();
    const log = captureLog();
    const app = twoLeggedClient(e, log);
    const user = threeLeggedClient(e, { log });
    try {
      const started = user.auth.beginSignIn();
      const location = await consent(started.url);
      const code = new URL(location).searchParams.get('code') as string;
      const tokens = await user.auth.handleCallback(location);
      e.expireTokens();
      await user.dm.listHubs(); // 401 → refresh
      const rotated = (await user.auth.getTokens()) as TokenSet;
      await app.dm.listHubs();
      const appToken = await app.auth.getAccessToken();
      const version = await app.dm.getTip(e.seed.ids.bim360Project, e.seed.ids.items.notesTxt);
      const signed = await app.oss.signedDownload(version.storage!);
      const bytes = await app.http.request({ method: 'GET', url: signed.url!, auth: null });
      assert.equal(bytes.status, 200);
      await user.auth.signOut();

      const text = log.text();
      const signature = new URL(signed.url!).searchParams.get('X-Amz-Signature') ?? new URL(signed.url!).searchParams.get('Signature');
      const secrets = {
        clientSecret: e.seed.credentials.clientSecret as string,
        code,
        verifier: started.codeVerifier,
        accessToken: tokens.accessToken,
        refreshToken: tokens.refreshToken as string,
        rotatedAccess: rotated.accessToken,
        rotatedRefresh: rotated.refreshToken as string,
        appToken,
        signature: signature as string,
      };
      for (const [name, secret] of Object.entries(secrets)) {
        assert.ok(secret && secret.length >= 8, `${name} was captured`);
        assert.ok(!text.includes(secret), `${name} leaked into the request log`);
      }
      assert.ok(log.entries.some((entry) => entry.url.includes('/authentication/v2/token')));
      assert.ok(log.entries.some((entry) => entry.url.startsWith(e.storageUrl)), 'the signed URL request was logged (redacted)');
    } finally {
      await app.close();
      await user.close();
    }
  });
});
