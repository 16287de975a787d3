import * as assert from 'node:assert/strict';
import { UiSession } from './support/session';

/**
 * The URI-handler callback: in a browser window VS Code turns vscode://aps-explorer.aps-explorer/callback
 * into a one-time URL of the workbench, which no APS app can register, so the browser is sent there
 * with Autodesk's refusal (error + state), as it would be after "Deny".
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

  it('hands the browser redirect to the extension and reports the refusal', async () => {
    await ui.openApsView();
    const popup = ui.context.waitForEvent('page');
    await ui.page.getByRole('button', { name: 'Sign in with Autodesk' }).click();
    const dialog = ui.page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 15_000 });
    await dialog.getByRole('button', { name: 'Open', exact: true }).click();
    const browser = await popup;
    const authorize = new URL(browser.url());
    const redirect = new URL(authorize.searchParams.get('redirect_uri')!);
    assert.equal(redirect.searchParams.get('vscode-authority'), 'aps-explorer.aps-explorer');
    assert.equal(redirect.searchParams.get('vscode-path'), '/callback');
    redirect.searchParams.set('error', 'access_denied');
    redirect.searchParams.set('state', authorize.searchParams.get('state')!);
    await browser.goto(redirect.toString());
    await ui.notification(/Sign-in failed: Autodesk sign-in was cancelled or access was denied/).waitFor({ timeout: 30_000 });
    await ui.screenshot('11-uri-handler-refusal');
  });
});
