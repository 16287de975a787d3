import { strict as assert } from 'node:assert';
import { createHash, randomBytes } from 'node:crypto';
import { startEmulator, type RunningEmulator } from '../../emulator/index';
import { bearer, type Json } from './helpers';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(48).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** Fetches the consent page and submits its form as a browser would; returns the redirect Location. */
async function consent(emulator: RunningEmulator, query: Record<string, string>, decision: 'allow' | 'deny' = 'allow'): Promise<URL> {
  const page = await fetch(`${emulator.baseUrl}/authentication/v2/authorize?${new URLSearchParams(query)}`, { redirect: 'manual' });
  assert.equal(page.status, 200);
  assert.match(page.headers.get('content-type') ?? '', /text\/html/);
  const html = await page.text();
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
  assert.ok(action, 'the page has a form');
  const fields = new URLSearchParams();
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) fields.set(m[1], m[2].replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>'));
  fields.set('user_id', /<option value="([^"]+)" selected>/.exec(html)?.[1] ?? '');
  fields.set('decision', decision);
  const answer = await fetch(new URL(action, `${emulator.baseUrl}/authentication/v2/authorize`), { method: 'POST', headers: FORM, body: fields, redirect: 'manual' });
  assert.equal(answer.status, 302);
  return new URL(answer.headers.get('location') as string);
}

describe('emulator: OAuth v2', () => {
  let emulator: RunningEmulator;
  let tokenUrl: string;
  const redirectUri = 'http://127.0.0.1:53682/callback';
  before(async () => {
    emulator = await startEmulator();
    tokenUrl = `${emulator.baseUrl}/authentication/v2/token`;
  });
  after(() => emulator.close());

  const exchange = (form: Record<string, string>, headers: Record<string, string> = {}) =>
    fetch(tokenUrl, { method: 'POST', headers: { ...FORM, ...headers }, body: new URLSearchParams(form) });

  it('client_credentials with body credentials; refuses both Basic and body credentials, and wrong secrets', async () => {
    const { clientId, clientSecret } = emulator.seed.credentials;
    const ok = await exchange({ grant_type: 'client_credentials', scope: 'data:read', client_id: clientId, client_secret: clientSecret as string });
    assert.equal(ok.status, 200);
    const body = (await ok.json()) as Json;
    assert.equal(body.token_type, 'Bearer');
    assert.equal(body.expires_in, 3599);
    assert.equal(body.refresh_token, undefined);

    const basic = `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`;
    const both = await exchange({ grant_type: 'client_credentials', scope: 'data:read', client_id: clientId }, { authorization: basic });
    assert.equal(both.status, 400);
    assert.equal(((await both.json()) as Json).error, 'invalid_request');

    const wrong = await exchange({ grant_type: 'client_credentials', scope: 'data:read', client_id: clientId, client_secret: 'nope' });
    assert.equal(wrong.status, 401);
    assert.equal(((await wrong.json()) as Json).error, 'invalid_client');
    const noScope = await exchange({ grant_type: 'client_credentials' }, { authorization: basic });
    assert.equal(noScope.status, 400);
    const badScope = await exchange({ grant_type: 'client_credentials', scope: 'data:everything' }, { authorization: basic });
    assert.equal(((await badScope.json()) as Json).error, 'invalid_scope');
  });

  it('authorization_code with PKCE: consent page, Allow, code + state, tokens, userinfo, refresh rotation, revoke', async () => {
    const { clientId } = emulator.seed.publicApp;
    const { verifier, challenge } = pkce();
    const location = await consent(emulator, {
      response_type: 'code', client_id: clientId, redirect_uri: redirectUri, scope: 'data:read user-profile:read', state: 'st.ate-1', code_challenge: challenge, code_challenge_method: 'S256',
    });
    assert.equal(`${location.origin}${location.pathname}`, redirectUri);
    assert.equal(location.searchParams.get('state'), 'st.ate-1');
    const code = location.searchParams.get('code') as string;

    const response = await exchange({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: verifier, client_id: clientId });
    assert.equal(response.status, 200);
    const tokens = (await response.json()) as Json;
    assert.ok(tokens.access_token && tokens.refresh_token);

    const me = await fetch(`${emulator.baseUrl}/userinfo`, { headers: bearer(tokens.access_token) });
    assert.equal(((await me.json()) as Json).sub, emulator.seed.ids.users.demo);

    const reused = await exchange({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: verifier, client_id: clientId });
    assert.equal(((await reused.json()) as Json).error, 'invalid_grant', 'codes are single-use');

    const refreshed = await exchange({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token, client_id: clientId });
    const next = (await refreshed.json()) as Json;
    assert.equal(refreshed.status, 200);
    assert.notEqual(next.refresh_token, tokens.refresh_token);
    const replay = await exchange({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token, client_id: clientId });
    assert.equal(((await replay.json()) as Json).error, 'invalid_grant', 'refresh tokens rotate');

    const revoke = await fetch(`${emulator.baseUrl}/authentication/v2/revoke`, { method: 'POST', headers: FORM, body: new URLSearchParams({ token: next.access_token, token_type_hint: 'access_token', client_id: clientId }) });
    assert.equal(revoke.status, 200);
    assert.equal((await fetch(`${emulator.baseUrl}/project/v1/hubs`, { headers: bearer(next.access_token) })).status, 401);
  });

  it('PKCE failures: wrong verifier, missing verifier, other redirect_uri, expired code', async () => {
    const { clientId, clientSecret } = emulator.seed.credentials;
    const basic = { authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}` };
    const start = async () => {
      const { verifier, challenge } = pkce();
      const location = await consent(emulator, { response_type: 'code', client_id: clientId, redirect_uri: redirectUri, scope: 'data:read', code_challenge: challenge, code_challenge_method: 'S256' });
      return { verifier, code: location.searchParams.get('code') as string };
    };
    const errorOf = async (response: Response) => ({ status: response.status, error: ((await response.json()) as Json).error });

    const a = await start();
    assert.deepEqual(await errorOf(await exchange({ grant_type: 'authorization_code', code: a.code, redirect_uri: redirectUri, code_verifier: pkce().verifier }, basic)), { status: 400, error: 'invalid_grant' });
    const b = await start();
    assert.deepEqual(await errorOf(await exchange({ grant_type: 'authorization_code', code: b.code, redirect_uri: redirectUri }, basic)), { status: 400, error: 'invalid_request' });
    const c = await start();
    assert.deepEqual(await errorOf(await exchange({ grant_type: 'authorization_code', code: c.code, redirect_uri: 'http://127.0.0.1:1/callback', code_verifier: c.verifier }, basic)), { status: 400, error: 'invalid_grant' });
    const d = await start();
    emulator.clock.advance(301_000);
    assert.deepEqual(await errorOf(await exchange({ grant_type: 'authorization_code', code: d.code, redirect_uri: redirectUri, code_verifier: d.verifier }, basic)), { status: 400, error: 'invalid_grant' });
  });

  it('refuses unknown clients and unregistered redirect URIs on the page; Deny redirects with access_denied', async () => {
    const authorize = (query: Record<string, string>) => fetch(`${emulator.baseUrl}/authentication/v2/authorize?${new URLSearchParams(query)}`, { redirect: 'manual' });
    const { clientId } = emulator.seed.credentials;
    const base = { response_type: 'code', scope: 'data:read', code_challenge: pkce().challenge, code_challenge_method: 'S256' };
    assert.equal((await authorize({ ...base, client_id: 'unknown', redirect_uri: redirectUri })).status, 400);
    assert.equal((await authorize({ ...base, client_id: clientId, redirect_uri: 'http://evil.example/callback' })).status, 400);
    assert.equal((await authorize({ ...base, client_id: clientId, redirect_uri: 'http://127.0.0.1:8080/other' })).status, 400);
    const plain = await authorize({ ...base, client_id: clientId, redirect_uri: redirectUri, code_challenge_method: 'plain' });
    assert.equal(new URL(plain.headers.get('location') as string).searchParams.get('error'), 'invalid_request');

    const denied = await consent(emulator, { ...base, client_id: clientId, redirect_uri: 'vscode://aps-explorer.aps-explorer/callback', state: 'xyz' }, 'deny');
    assert.equal(denied.protocol, 'vscode:');
    assert.equal(denied.searchParams.get('error'), 'access_denied');
    assert.equal(denied.searchParams.get('state'), 'xyz');
  });
  it('accepts a callback URL its developer registers, in that emulator only', async () => {
    const { clientId } = emulator.seed.publicApp;
    const workbench = 'http://127.0.0.2:8080/callback?vscode-reqid=7&vscode-scheme=vscode&vscode-authority=aps-explorer.aps-explorer&vscode-path=%2Fcallback';
    const query = { response_type: 'code', client_id: clientId, redirect_uri: workbench, scope: 'data:read', code_challenge: pkce().challenge, code_challenge_method: 'S256', state: 's1' };
    const page = (target: RunningEmulator) => fetch(`${target.baseUrl}/authentication/v2/authorize?${new URLSearchParams(query)}`, { redirect: 'manual' });
    assert.equal((await page(emulator)).status, 400, 'not registered yet');
    const other = await startEmulator();
    try {
      emulator.registerCallbackUrl(clientId, workbench);
      const back = await consent(emulator, query);
      assert.equal(`${back.origin}${back.pathname}`, 'http://127.0.0.2:8080/callback');
      assert.equal(back.searchParams.get('vscode-reqid'), '7', 'its own query is kept');
      assert.equal(back.searchParams.get('state'), 's1');
      assert.ok(back.searchParams.get('code'));
      assert.equal((await page(other)).status, 400, 'another emulator (and the shared seed) is unchanged');
      assert.ok(!other.seed.publicApp.callbackUrls.includes(workbench));
    } finally {
      await other.close();
    }
  });
});
