import * as assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { seed } from '../emulator';
import { folderHeld, sdkClients } from '../unit/sdk/sdk';
import { escapeRegExp, UiSession } from './support/session';

const sha1 = (bytes: Buffer) => createHash('sha1').update(bytes).digest('hex');

/**
 * A person uploads a workspace file into a folder of the Hubs tree from its context menu (the open dialog,
 * then the one confirmation BIM 360 gets), sees it appear there, then drops a file from the computer onto a
 * file of the tree for its next version. What APS holds is read back through Autodesk's SDK. Screenshots go
 * to test-results/e2e/.
 */
describe('Upload workspace files into the Hubs tree in the browser workbench (e2e)', function () {
  this.timeout(300_000);
  let ui: UiSession;
  const level1 = () => ui.demo.emulator.seed.ids.folders.level1;
  const held = () => {
    const { emulator } = ui.demo;
    return folderHeld(sdkClients(emulator, emulator.issueToken({ scopes: ['data:read'] })), emulator.seed.ids.bim360Project, level1());
  };

  before(async () => {
    ui = await UiSession.start({ emulator: { latencyMs: 20 }, settings: { 'apsExplorer.clientId': seed.credentials.clientId } });
    assert.equal(ui.demo.emulator.switches.rateLimits, 'aps', "APS's rate limits are on");
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await ui.screenshot(`failed-upload-${this.currentTest.title.replace(/\W+/g, '-')}`);
  });

  after(async () => {
    await ui?.close();
  });

  it('signs in with the app credentials from the Command Palette', async () => {
    await ui.useAppCredentials(seed.credentials.clientSecret as string);
  });

  it('uploads a workspace file into Level 1 from its context menu, after one confirmation, and shows it in the tree', async () => {
    const bytes = randomBytes(3 * 1024 * 1024 + 17);
    const local = join(ui.demo.workspace, 'Site Plan.dwg');
    writeFileSync(local, bytes);
    for (const label of ['Emulator BIM 360 Account', 'Tower', 'Project Files']) await open(ui, label);
    await ui.contextMenu(ui.row('Level 1'), 'Upload Files…');

    // code-server's open dialog: a path in a quick input, set once the dialog has listed the workspace folder
    // (it writes its own path into the input when it has).
    const widget = ui.page.locator('.quick-input-widget');
    const path = widget.locator('input');
    await widget.getByRole('option', { name: /^Site Plan\.dwg/ }).waitFor();
    await path.fill(local);
    await ui.page.waitForFunction(`document.querySelector('.quick-input-widget input')?.value === ${JSON.stringify(local)}`);
    await path.press('Enter');
    await widget.waitFor({ state: 'hidden' });

    const dialog = ui.page.locator('.monaco-dialog-box');
    await dialog.getByText('Upload "Site Plan.dwg" (3.0 MiB) to Emulator BIM 360 Account/Tower/Project Files/Level 1?').waitFor();
    await dialog.getByText(/^1 new file\./).waitFor();
    await ui.screenshot('upload-1-confirm');
    await dialog.getByRole('button', { name: 'Upload' }).click();

    await ui.notification('Uploaded Site Plan.dwg to Tower/Project Files/Level 1.').waitFor({ timeout: 60_000 });
    const row = ui.page.getByRole('treeitem', { name: /^Site Plan\.dwg, 3\.0 MiB, v1/, selected: true });
    await row.waitFor();
    const jobs = ui.view('Jobs');
    await jobs.locator('.pane-header').click();
    await ui.row(/^Upload Site Plan\.dwg to Level 1/, jobs).waitFor();
    await ui.screenshot('upload-2-done');
    assert.deepEqual((await held())['Site Plan.dwg'], [1, sha1(bytes)]);
  });

  it('uploads a workspace file dragged from its editor tab onto a folder of the tree', async () => {
    const bytes = randomBytes(2048);
    const local = join(ui.demo.workspace, 'Dragged Notes.txt');
    writeFileSync(local, bytes);
    await ui.page.keyboard.press('Control+P');
    const input = ui.page.locator('.quick-input-widget input');
    await input.fill('Dragged Notes.txt');
    await ui.page.locator('.quick-input-list').getByRole('option', { name: /Dragged Notes\.txt/ }).first().click();
    const tab = ui.page.locator('.tabs-container .tab', { hasText: 'Dragged Notes.txt' });
    await tab.waitFor();
    await tab.dragTo(ui.row('Level 1'));

    const dialog = ui.page.locator('.monaco-dialog-box');
    await dialog.getByText(/^Upload "Dragged Notes\.txt" \(2\.0 KiB\) to .*\/Level 1\?$/).waitFor();
    await dialog.getByRole('button', { name: 'Upload' }).click();
    await ui.notification('Uploaded Dragged Notes.txt to Tower/Project Files/Level 1.').waitFor({ timeout: 60_000 });
    assert.deepEqual((await held())['Dragged Notes.txt'], [1, sha1(bytes)]);
  });

  it('takes a file dropped from the computer onto a file of the tree as its next version', async () => {
    const bytes = randomBytes(4096);
    // What the browser hands the workbench for a file dragged from the desktop: a File, without a path.
    const dataTransfer = await ui.page.evaluateHandle(`(() => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([new Uint8Array(${JSON.stringify([...bytes])})], 'Site Plan.dwg', { type: 'application/octet-stream' }));
      return transfer;
    })()`);
    const row = ui.row('Site Plan.dwg');
    for (const type of ['dragenter', 'dragover', 'drop']) await row.dispatchEvent(type, { dataTransfer });

    const dialog = ui.page.locator('.monaco-dialog-box');
    await dialog.getByText(/^Upload "Site Plan\.dwg" \(4\.0 KiB\) as a new version of "Site Plan\.dwg" in .*\/Level 1\?$/).waitFor();
    await dialog.getByRole('button', { name: 'Upload' }).click();
    await ui.notification('Uploaded Site Plan.dwg to Tower/Project Files/Level 1 as version 2.').waitFor({ timeout: 60_000 });
    await ui.page.getByRole('treeitem', { name: new RegExp(`^${escapeRegExp('Site Plan.dwg')}, 4\\.0 KiB, v2`) }).waitFor();
    assert.deepEqual((await held())['Site Plan.dwg'], [2, sha1(bytes)]);
  });
});

/** Opens a folder row and waits until it shows as expanded. */
async function open(ui: UiSession, label: string): Promise<void> {
  const row = ui.row(label);
  await row.waitFor();
  if ((await row.getAttribute('aria-expanded')) !== 'true') await row.click();
  await ui.page.getByRole('treeitem', { name: new RegExp(`^${escapeRegExp(label)}`), expanded: true }).first().waitFor();
}
