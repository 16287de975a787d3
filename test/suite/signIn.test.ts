import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { allowInBrowser, children, decodeHtml, label, setSetting, useEmulator } from './support/harness';

describe('Sign in with Autodesk (3-legged, PKCE) against the emulator', function () {
  this.timeout(60_000);

  it('signs in through the consent page, shows the account, lists the personal hub, and signs out with revocation', async () => {
    const { emu, ext, prompts } = await useEmulator();
    await setSetting('clientId', emu.seed.publicApp.clientId);
    await ext.accounts.reconnect();
    const demo = emu.seed.users.find((u) => u.id === emu.seed.ids.users.demo)!;
    let opened: string | undefined;
    prompts.onOpenExternal = async (url) => {
      opened = url;
      void allowInBrowser(opened, demo.id).catch((error: unknown) => console.error('browser step failed', error));
      return true;
    };

    await vscode.commands.executeCommand('apsExplorer.signIn');
    assert.ok(opened, 'the authorize page was opened');
    const authorize = new URL(opened!);
    assert.equal(authorize.searchParams.get('code_challenge_method'), 'S256');
    assert.match(authorize.searchParams.get('redirect_uri')!, /^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    assert.equal(ext.accounts.account?.mode, 'user', JSON.stringify(prompts.notifications));
    assert.equal(ext.accounts.account?.id, demo.id);
    assert.match(ext.accounts.account!.label, new RegExp(demo.name));
    assert.deepEqual(prompts.notifications.at(-1), { level: 'info', message: `Signed in to Autodesk as ${ext.accounts.account!.label}.`, buttons: [] });

    const accounts = await vscode.authentication.getAccounts('aps');
    assert.ok(accounts.some((account) => account.id === demo.id), 'the account shows in VS Code\'s Accounts');

    const hubs = (await children(ext)).map((node) => label(ext, node));
    const expected = emu.seed.hubs.filter((hub) => hub.memberUserIds.includes(demo.id)).map((hub) => hub.name);
    assert.deepEqual(hubs.sort(), expected.sort());

    emu.requests.clear();
    await vscode.commands.executeCommand('apsExplorer.signOut');
    assert.equal(ext.accounts.account, undefined);
    assert.deepEqual(await children(ext), []);
    assert.ok(emu.requests.list().some((r) => r.method === 'POST' && r.path === '/authentication/v2/revoke'));
  });

  it('finishes signing in with the user id as the name when Autodesk refuses the profile, and says why', async () => {
    const { emu, ext, prompts } = await useEmulator();
    await setSetting('clientId', emu.seed.publicApp.clientId);
    await ext.accounts.reconnect();
    const demo = emu.seed.ids.users.demo;
    emu.faults.add({
      kind: 'status',
      status: 403,
      path: '/userinfo',
      body: JSON.stringify({ developerMessage: 'Token does not have the privilege for this request.', moreInfo: 'https://aps.autodesk.com/', errorCode: 'AUTH-010' }),
    });
    prompts.onOpenExternal = async (url) => {
      void allowInBrowser(url, demo).catch((error: unknown) => console.error('browser step failed', error));
      return true;
    };
    try {
      await vscode.commands.executeCommand('apsExplorer.signIn');
      assert.equal(ext.accounts.account?.mode, 'user', JSON.stringify(prompts.notifications));
      assert.equal(ext.accounts.account?.id, demo);
      assert.equal(ext.accounts.account?.label, `Autodesk user ${demo}`);
      const said = prompts.notifications.at(-1)!;
      assert.equal(said.level, 'warning');
      assert.equal(
        said.message,
        `Signed in to Autodesk as Autodesk user ${demo}. Autodesk did not share your profile, so your user ID stands in for your name: Autodesk refused reading your Autodesk profile: the sign-in lacks the scope user-profile:read. Sign out and sign in again so Autodesk grants it, and check that your APS app may use it.`,
      );
      assert.ok((await children(ext)).length > 0, 'the tree works as that user');
    } finally {
      emu.faults.clear();
      await vscode.commands.executeCommand('apsExplorer.signOut');
    }
  });

  it('asks a confidential app for its secret once, then finishes signing in', async () => {
    const { emu, ext, prompts } = await useEmulator();
    const demo = emu.seed.ids.users.demo;
    prompts.onOpenExternal = async (url) => {
      void allowInBrowser(url, demo).catch((error: unknown) => console.error('browser step failed', error));
      return true;
    };
    prompts.answer(emu.seed.credentials.clientSecret!);
    await vscode.commands.executeCommand('apsExplorer.signIn');
    assert.equal(ext.accounts.account?.mode, 'user', JSON.stringify(prompts.notifications));
    assert.equal(prompts.asked.length, 1);
    assert.match(prompts.asked[0], /client secret/);
    await vscode.commands.executeCommand('apsExplorer.signOut');
  });

  it('reports a denied consent clearly and stays signed out', async () => {
    const { ext, prompts } = await useEmulator();
    prompts.onOpenExternal = async (url) => {
      void (async () => {
        const page = await (await fetch(url)).text();
        const form = new URLSearchParams();
        for (const match of page.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) form.set(match[1], decodeHtml(match[2]));
        form.set('decision', 'deny');
        const answer = await fetch(new URL('/authentication/v2/authorize', url), { method: 'POST', body: form, redirect: 'manual' });
        await fetch(answer.headers.get('location')!);
      })();
      return true;
    };
    await vscode.commands.executeCommand('apsExplorer.signIn');
    assert.equal(ext.accounts.account, undefined);
    const last = prompts.notifications.at(-1)!;
    assert.equal(last.level, 'error');
    assert.match(last.message, /^Sign-in failed: /);
  });
});
