import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { UiSession } from './support/session';

/**
 * The URI-handler callback: in a browser window VS Code turns vscode://aps-explorer.aps-explorer/callback
 * into a URL of the workbench. APS sends the browser back only to a registered callback URL, so first
 * the browser is sent there by hand with Autodesk's refusal (error + state), as after "Deny"; then
 * that URL is registered for the app (as its developer would on the APS portal) and the whole sign-in
 * runs: consent, redirect, code exchange.
 */
describe('Sign-in redirect through VS Code\'s URI handler (e2e)', function () {
  this.timeout(300_000);
  let ui: UiSession;

  before(async () => {
    ui = await UiSession.start({ settings: { 'apsExplorer.callbackMode': 'uriHandler' } });
  });

  after(async () => {
    await ui?.close();
  });

  /** Clicks "Sign in with Autodesk" and lets VS Code open the sign-in page: the browser tab it opens. */
  async function openSignInPage(): Promise<Page> {
    const popup = ui.context.waitForEvent('page');
    await ui.page.getByRole('button', { name: 'Sign in with Autodesk' }).click();
    const dialog = ui.page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 15_000 });
    await dialog.getByRole('button', { name: 'Open', exact: true }).click();
    return popup;
  }

  it('hands the browser redirect to the extension and reports the refusal', async () => {
    await ui.openApsView();
    const browser = await openSignInPage();
    const authorize = new URL(browser.url());
    const redirect = new URL(authorize.searchParams.get('redirect_uri')!);
    assert.equal(redirect.searchParams.get('vscode-authority'), 'aps-explorer.aps-explorer');
    assert.equal(redirect.searchParams.get('vscode-path'), '/callback');
    redirect.searchParams.set('error', 'access_denied');
    redirect.searchParams.set('state', authorize.searchParams.get('state')!);
    await browser.goto(redirect.toString());
    const refusal = ui.notification(/Sign-in failed: Autodesk sign-in was cancelled or access was denied/);
    await refusal.waitFor({ timeout: 30_000 });
    await ui.screenshot('11-uri-handler-refusal');
    await refusal.hover();
    await refusal.getByRole('button', { name: /^Clear Notification/ }).click();
    await refusal.waitFor({ state: 'detached' });
    await browser.close();
  });

  it('signs in through it once the workbench URL is a registered callback URL', async () => {
    const browser = await openSignInPage();
    const authorize = new URL(browser.url());
    await browser.getByText('Invalid redirect_uri').waitFor();
    ui.demo.emulator.registerCallbackUrl(authorize.searchParams.get('client_id')!, authorize.searchParams.get('redirect_uri')!);
    await browser.reload();
    await browser.getByRole('button', { name: 'Allow' }).click();
    await ui.notification(/Signed in to Autodesk as Dana Demo/).waitFor({ timeout: 30_000 });
    await ui.row('Emulator BIM 360 Account').waitFor();
    await ui.screenshot('12-uri-handler-signed-in');
  });
});
