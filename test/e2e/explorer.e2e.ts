import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { UiSession } from './support/session';

function sha1(bytes: Buffer): string {
  return createHash('sha1').update(bytes).digest('hex');
}

/**
 * What a person does on a first day with APS Explorer, in the real workbench, against the emulator.
 * Every step leaves a screenshot under test-results/e2e/ (the README uses some of them).
 */
describe('APS Explorer in the browser workbench (e2e)', function () {
  this.timeout(300_000);
  let ui: UiSession;

  before(async () => {
    UiSession.clearScreenshots();
    ui = await UiSession.start({ emulator: { latencyMs: 20 }, settings: { 'apsExplorer.pageSize': 15 } });
    assert.equal(ui.demo.emulator.switches.rateLimits, 'aps', "APS's rate limits are on");
  });

  /** The file the product wrote, below the workspace's aps/ folder. */
  const written = (...path: string[]) => readFileSync(join(ui.demo.workspace, 'aps', ...path));
  /** What APS (the emulator) answers about a resource, asked as the demo app. */
  const apsJson = async (path: string) => {
    const token = ui.demo.emulator.issueToken({ scopes: ['data:read'] });
    const response = await fetch(`${ui.demo.emulator.baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(response.status, 200, path);
    return (await response.json()) as { data: any }; // eslint-disable-line @typescript-eslint/no-explicit-any
  };
  /** sha1 of a stored object, by its `bucketKey/objectKey`. */
  const objectSha1 = async (key: string) => {
    const slash = key.indexOf('/');
    return (await ui.demo.emulator.describeObject(key.slice(0, slash), key.slice(slash + 1))).sha1;
  };
  const towerTip = () => {
    const { seed } = ui.demo.emulator;
    return seed.items.find((item) => item.id === seed.ids.items.towerRvt)!.versions.at(-1)!;
  };

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await ui.screenshot(`failed-${this.currentTest.title.replace(/\W+/g, '-')}`);
  });

  after(async () => {
    await ui?.close();
  });

  it('opens the APS view with its welcome content', async () => {
    await ui.openApsView();
    await ui.page.getByRole('button', { name: 'Sign in with Autodesk' }).waitFor();
    await ui.screenshot('01-welcome');
  });

  it('signs in with Autodesk through the consent page', async () => {
    const popup = ui.context.waitForEvent('page');
    await ui.page.getByRole('button', { name: 'Sign in with Autodesk' }).click();
    // VS Code's link protection asks before opening a site it does not know yet.
    const dialog = ui.page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 15_000 });
    await ui.screenshot('02-open-sign-in-page');
    await dialog.getByRole('button', { name: 'Open', exact: true }).click();
    const consent = await popup;
    await consent.getByRole('button', { name: 'Allow' }).waitFor();
    await consent.screenshot({ path: ui.screenshotPath('02-consent') });
    await consent.getByRole('button', { name: 'Allow' }).click();
    await consent.getByText('You are signed in').waitFor();
    await consent.close();
    await ui.notification(/Signed in to Autodesk as Dana Demo/).waitFor();
    await ui.row('Emulator BIM 360 Account').waitFor();
    await ui.screenshot('03-signed-in');
  });

  it('expands hub → project → folder → item and shows versions with the tip marked', async () => {
    await expand(ui.page, ui, 'Emulator BIM 360 Account');
    await expand(ui.page, ui, 'Tower');
    await expand(ui.page, ui, 'Project Files');
    await expand(ui.page, ui, 'Tower.rvt');
    await ui.row(/^v\d+, latest/).waitFor();
    await ui.screenshot('04-tree');
  });

  it('downloads a version from its context menu into the workspace', async () => {
    await ui.contextMenu(ui.row('v3, latest'), 'Download');
    await ui.notification(/Downloaded .*Tower\.rvt/).waitFor();
    assert.equal(sha1(written('Tower', 'Project Files', 'Tower.rvt')), await objectSha1(towerTip().storage!));
    await ui.screenshot('06-downloaded');
    await ui.page.locator('.activitybar').getByRole('tab', { name: /^Explorer/ }).click();
    for (const folder of ['aps', 'Tower', 'Project Files']) await expand(ui.page, ui, folder);
    await ui.row('Tower.rvt').waitFor();
    await ui.screenshot('07-explorer');
    await ui.openApsView();
  });

  it('converts a version to another format', async () => {
    await ui.contextMenu(ui.row('Tower.rvt'), 'Convert…');
    await ui.quickPick('IFC');
    await ui.notification(/Converted to IFC/).waitFor({ timeout: 60_000 });
    const { seed } = ui.demo.emulator;
    const downloads = await apsJson(`/data/v1/projects/${seed.ids.bim360Project}/versions/${encodeURIComponent(towerTip().id)}/downloads?filter%5Bformat.fileType%5D=ifc`);
    assert.equal(downloads.data.length, 1, 'one conversion to IFC');
    const storage = (downloads.data[0].relationships.storage.data.id as string).replace('urn:adsk.objects:os.object:', '');
    assert.equal(sha1(written('Tower', 'Project Files', 'Tower.ifc')), await objectSha1(storage));
    await ui.screenshot('08-converted');
  });

  it('exports a PDF sheet as PDF', async () => {
    await expand(ui.page, ui, 'Plans');
    await ui.contextMenu(ui.row('A-101 FLOOR PLANS'), 'Export as PDF');
    await ui.quickPick('Without markups');
    await ui.notification(/Exported as PDF/).waitFor({ timeout: 60_000 });
    const polled = ui.demo.emulator.requests.list({ method: 'GET', path: /^\/bim360\/docs\/v1\/projects\/[^/]+\/versions\/[^/]+\/exports\/[^/]+$/ }).at(-1);
    assert.ok(polled, 'the export was polled');
    const exported = await apsJson(polled.path);
    const pdf = Buffer.from(await (await fetch(exported.data.signedUrl)).arrayBuffer());
    const files = readdirSync(join(ui.demo.workspace, 'aps', 'Tower', 'Plans')).filter((name) => name.startsWith('A-101') && name.endsWith('.pdf'));
    assert.equal(files.length, 1, files.join(', '));
    assert.equal(sha1(written('Tower', 'Plans', files[0])), sha1(pdf));
    await ui.screenshot('09-exported');
  });

  it('lists the download, the conversion and the export in the Jobs view', async () => {
    await ui.row('Project Files').click();
    await ui.view('Hubs').getByRole('button', { name: 'Collapse All' }).click();
    const jobs = ui.view('Jobs');
    await jobs.locator('.pane-header').click();
    for (const text of [/Tower\.rvt/, /IFC/, /A-101/]) await ui.row(text, jobs).waitFor();
    await ui.screenshot('10-jobs');
  });

  it('pages the big folder with Load more', async () => {
    await ui.view('Jobs').locator('.pane-header').click();
    for (const label of ['Emulator BIM 360 Account', 'Tower', 'Project Files', 'Big Folder']) await expand(ui.page, ui, label);
    const more = ui.row('Load more…, 15 loaded');
    await more.waitFor();
    assert.equal(await ui.row('file-0016.txt').count(), 0);
    await ui.screenshot('05-load-more');
    await more.click();
    await ui.row('file-0016.txt').waitFor();
  });

  it('shows an error node on a project without access', async () => {
    await ui.view('Hubs').getByRole('button', { name: 'Collapse All' }).click();
    await ui.runCommand('APS: Refresh');
    await expand(ui.page, ui, 'Emulator BIM 360 Account');
    await expand(ui.page, ui, 'Restricted Project');
    await ui.row(/^No access/).waitFor();
    await ui.screenshot('06-no-access');
    assert.ok(await ui.row(/^No access/).isVisible());
  });
});

async function expand(page: Page, ui: UiSession, label: string): Promise<void> {
  const row = ui.row(label);
  await row.waitFor();
  if ((await row.getAttribute('aria-expanded')) !== 'true') await row.click();
  await page.waitForFunction(
    `[...document.querySelectorAll('[role=treeitem]')].some((el) => el.getAttribute('aria-label')?.startsWith(${JSON.stringify(label)}) && el.getAttribute('aria-expanded') === 'true')`,
  );
}
