import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { seed } from '../emulator';
import { escapeRegExp, UiSession } from './support/session';

/**
 * Finding and comparing, in the real workbench against the emulator: search a project and land on the file
 * in the tree, diff two versions of a text file, see a thumbnail and the Details view, and browse an APS
 * folder in VS Code's Explorer. Screenshots go to test-results/e2e/ (the README uses some of them).
 */
describe('Find and compare in the browser workbench (e2e)', function () {
  this.timeout(300_000);
  let ui: UiSession;
  let workspaceFile: string;

  before(async () => {
    ui = await UiSession.start({
      emulator: { latencyMs: 20 },
      // App credentials acting as the demo user: APS's folder search needs a user.
      settings: { 'apsExplorer.clientId': seed.credentials.clientId, 'apsExplorer.userId': seed.ids.users.demo, 'apsExplorer.pageSize': 50 },
    });
    // A saved multi-root workspace, so that "Add Folder to Workspace" adds a folder in place. (A single-folder
    // window first becomes an untitled workspace, which the browser workbench does by loading itself anew.)
    workspaceFile = join(ui.demo.workspace, 'find.code-workspace');
    writeFileSync(workspaceFile, JSON.stringify({ folders: [{ path: '.' }] }));
    const url = new URL(ui.demo.url);
    url.searchParams.delete('folder');
    url.searchParams.set('workspace', workspaceFile);
    await ui.page.goto(url.toString());
    await ui.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await ui.screenshot(`failed-find-${this.currentTest.title.replace(/\W+/g, '-')}`);
  });

  after(async () => {
    await ui?.close();
  });

  const quickInput = () => ui.page.locator('.quick-input-widget');

  /** No toasts or hovers over the next screenshot. */
  async function clearNotifications(): Promise<void> {
    await ui.runCommand('Notifications: Clear All Notifications');
    await ui.page.locator('.notifications-toasts .notification-toast').first().waitFor({ state: 'detached' });
    await ui.page.keyboard.press('Escape');
    await ui.page.mouse.move(900, 600);
  }

  async function expand(label: string | RegExp): Promise<void> {
    const row = ui.row(label);
    await row.waitFor();
    if ((await row.getAttribute('aria-expanded')) !== 'true') await row.click();
    await ui.page.waitForFunction(
      `[...document.querySelectorAll('[role=treeitem]')].some((el) => ${typeof label === 'string' ? `el.getAttribute('aria-label')?.startsWith(${JSON.stringify(label)})` : `${label.toString()}.test(el.getAttribute('aria-label') ?? '')`} && el.getAttribute('aria-expanded') === 'true')`,
    );
  }

  it('signs in with app credentials acting as a user', async () => {
    await ui.openApsView();
    await ui.runCommand('APS: Use App Credentials (2-legged)…');
    await quickInput().locator('input').fill(seed.credentials.clientSecret!);
    await ui.page.keyboard.press('Enter');
    await ui.notification(/Using app credentials: App .* as DEMO7USER001/).waitFor();
    await ui.row('Emulator BIM 360 Account').waitFor();
    await clearNotifications();
  });

  it('searches a project by part of a name and reveals the chosen file in the tree', async () => {
    await expand('Emulator BIM 360 Account');
    await ui.contextMenu(ui.row('Tower'), 'Search in Project…');
    await quickInput().locator('input').fill('e type:csv,ifc,dxf');
    const result = quickInput().getByRole('option', { name: /Door Schedule\.csv/ });
    await result.waitFor({ timeout: 30_000 });
    for (const name of ['Structure.ifc', 'Frame.ifc', 'Title Block.dxf']) await quickInput().getByRole('option', { name: new RegExp(escapeRegExp(name)) }).waitFor();
    await ui.screenshot('12-search');
    await result.click();
    const revealed = ui.row('Door Schedule.csv');
    await revealed.waitFor();
    await ui.page.waitForFunction(`[...document.querySelectorAll('[role=treeitem][aria-selected=true]')].some((el) => el.getAttribute('aria-label')?.startsWith('Door Schedule.csv'))`);
    assert.equal(await ui.row('Schedules').getAttribute('aria-expanded'), 'true', 'its folder was opened to show it');
  });

  it('compares two versions of a text file in the diff editor', async () => {
    await expand('Door Schedule.csv');
    await ui.contextMenu(ui.row(/^v3, latest/), 'Compare with Previous Version');
    const tab = ui.page.locator('.tabs-container [role=tab]').filter({ hasText: 'Door Schedule.csv (v2 ↔ v3)' });
    await tab.waitFor({ timeout: 30_000 });
    const diff = ui.page.locator('.monaco-diff-editor');
    await diff.locator('.modified .view-lines', { hasText: 'D-301,Level 3' }).waitFor();
    await diff.locator('.original .view-lines', { hasText: 'D-202,Level 2,900,2100,FD30,HW-1' }).waitFor();
    assert.ok((await diff.locator('.line-insert, .char-insert').count()) > 0, 'the added and changed lines are marked');
    await clearNotifications();
    await ui.screenshot('13-version-diff');
  });

  it('shows the thumbnail in a version tooltip and the details of the selected version', async () => {
    await ui.page.locator('.tabs-container [role=tab]').filter({ hasText: 'Door Schedule.csv (v2 ↔ v3)' }).getByRole('button', { name: /^Close/ }).click();
    await expand('Project Files');
    await expand('Tower.rvt');
    const version = ui.row(/^v2, 3\.0 MiB/);
    await version.hover();
    const hover = ui.page.locator('.workbench-hover, .monaco-hover').filter({ has: ui.page.locator('img[src^="data:image/png"]') });
    await hover.first().waitFor({ timeout: 30_000 });
    assert.ok(await hover.first().locator('img').evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth === 100), 'the 100-pixel thumbnail loaded');
    await ui.screenshot('14-thumbnail-tooltip');

    await version.click();
    await ui.view('Details').locator('.pane-header').click();
    // Webviews live in an iframe laid over the view, with the page in an inner frame.
    const page = ui.page.frameLocator('iframe.webview').frameLocator('#active-frame');
    await page.locator('h2', { hasText: 'Tower.rvt' }).waitFor({ timeout: 30_000 });
    await page.locator('.subtitle', { hasText: 'Version 2' }).waitFor();
    assert.ok(await page.locator('img.thumbnail').evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth === 100));
    await page.locator('tr.current', { hasText: 'v2' }).waitFor();
    await ui.view('Hubs').locator('.pane-header').click();
    await page.locator('table.versions').waitFor();
    await ui.page.mouse.move(900, 600);
    await ui.screenshot('15-details');
    await ui.view('Hubs').locator('.pane-header').click();
    await ui.view('Details').locator('.pane-header').click();
  });

  it('adds an APS folder to the workspace, read-only, and opens a file from the Explorer', async () => {
    if (!(await ui.view('Hubs').isVisible())) await ui.openApsView();
    for (const label of ['Emulator BIM 360 Account', 'Tower', 'Project Files']) await expand(label);
    await ui.contextMenu(ui.row('Schedules'), 'Add Folder to Workspace (read-only)');
    const folders = ui.page.locator('.explorer-folders-view');
    const root = ui.row(new RegExp(`^${escapeRegExp('Schedules (Tower, APS, read-only)')}`), folders);
    await root.waitFor({ timeout: 60_000 });
    if ((await root.getAttribute('aria-expanded')) !== 'true') await root.click();
    await ui.row('Door Schedule.csv', folders).click();
    await ui.page.locator('.editor-instance .monaco-editor .view-lines', { hasText: 'D-301,Level 3' }).waitFor({ timeout: 30_000 });
    await ui.row('Frame.ifc', folders).waitFor();
    await ui.row('Title Block.dxf', folders).waitFor();
    assert.match(readFileSync(workspaceFile, 'utf8'), /"uri": "aps:\/\/folder\//, 'saved in the workspace file');
    await ui.screenshot('16-aps-folder');
  });
});
