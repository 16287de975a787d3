import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { seed } from '../emulator';
import { folderHeld, sdkClients } from '../unit/sdk/sdk';
import { escapeRegExp, UiSession } from './support/session';

function sha1(bytes: Buffer): string {
  return createHash('sha1').update(bytes).digest('hex');
}

/**
 * A person mirrors a folder of the Hubs tree into the workspace and finds it in VS Code's Explorer, each
 * mirrored file marked, then mirrors it again after APS changed, and pushes a file edited here back from the
 * mirror folder's menu in the Explorer. What APS holds is read back through Autodesk's SDK. Screenshots go to
 * test-results/e2e/.
 */
describe('Mirror a folder into the workspace in the browser workbench (e2e)', function () {
  this.timeout(300_000);
  let ui: UiSession;
  const level1 = () => join(ui.demo.workspace, 'aps', 'Tower', 'Project Files', 'Level 1');
  const objectSha1 = async (key: string) => {
    const slash = key.indexOf('/');
    return (await ui.demo.emulator.describeObject(key.slice(0, slash), key.slice(slash + 1))).sha1;
  };
  const tipOf = (name: string) => ui.demo.emulator.seed.items.find((item) => item.displayName === name)!.versions.at(-1)!;

  before(async () => {
    ui = await UiSession.start({ emulator: { latencyMs: 20 }, settings: { 'apsExplorer.clientId': seed.credentials.clientId } });
    assert.equal(ui.demo.emulator.switches.rateLimits, 'aps', "APS's rate limits are on");
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await ui.screenshot(`failed-mirror-${this.currentTest.title.replace(/\W+/g, '-')}`);
  });

  after(async () => {
    await ui?.close();
  });

  it('signs in with the app credentials from the Command Palette', async () => {
    await ui.useAppCredentials(seed.credentials.clientSecret as string);
  });

  it('mirrors Level 1 from its context menu: every file of the tree, with the bytes APS holds', async () => {
    for (const label of ['Emulator BIM 360 Account', 'Tower', 'Project Files']) await open(ui, label);
    await ui.contextMenu(ui.row('Level 1'), 'Mirror to Workspace…');
    await ui.notification(/Mirrored Level 1 into aps.Tower.Project Files.Level 1: 4 new or updated, 0 unchanged/).waitFor({ timeout: 60_000 });
    for (const [name, relative] of [
      ['Level 1 Note.txt', ['Level 1 Note.txt']],
      ['Level 2 Note.txt', ['Level 2', 'Level 2 Note.txt']],
      ['Level 3 Note.txt', ['Level 2', 'Level 3', 'Level 3 Note.txt']],
      ['Level 4 Note.txt', ['Level 2', 'Level 3', 'Level 4', 'Level 4 Note.txt']],
    ] as const) {
      assert.equal(sha1(readFileSync(join(level1(), ...relative))), await objectSha1(tipOf(name).storage!), relative.join('/'));
    }
    await ui.screenshot('mirror-1-done');
  });

  it('shows the mirror in the Explorer: its files marked as mirrored, and the status line of the last run', async () => {
    await ui.page.locator('.activitybar').getByRole('tab', { name: /^Explorer/ }).click();
    for (const folder of ['aps', 'Tower', 'Project Files', 'Level 1', 'Level 2']) await open(ui, folder);
    const note = ui.row('Level 1 Note.txt');
    await note.waitFor();
    await ui.row('Level 2 Note.txt').waitFor();
    await badgeShown(ui.page, 'Level 1 Note.txt', '✓');
    await badgeShown(ui.page, 'Level 1', '⇅');
    const status = ui.page.locator('.statusbar-item').filter({ hasText: /Mirrored just now/ });
    await status.waitFor();
    await ui.screenshot('mirror-2-explorer');
  });

  it('marks a file changed here, and a second mirror fetches only what APS changed', async () => {
    const { emulator } = ui.demo;
    writeFileSync(join(level1(), 'Level 1 Note.txt'), 'edited in the workspace');
    await badgeShown(ui.page, 'Level 1 Note.txt', 'M');
    const note2 = emulator.seed.items.find((item) => item.displayName === 'Level 2 Note.txt')!;
    const added = emulator.addVersion(note2.id, 999);
    emulator.requests.clear();
    await ui.runCommand('APS: Mirror Again');
    await ui.notification(/Mirrored Level 1 into .*: 1 new or updated, 2 unchanged, 1 changed here/).waitFor({ timeout: 60_000 });
    await ui.screenshot('mirror-3-again');
    const downloads = emulator.requests.list({ origin: 'storage', method: 'GET' });
    assert.deepEqual(downloads.map((request) => decodeURIComponent(request.path).split('/').at(-1)), [added.objectKey.split('/')[1]]);
    assert.equal(sha1(readFileSync(join(level1(), 'Level 2', 'Level 2 Note.txt'))), await objectSha1(added.objectKey));
  });

  it("pushes the edited file from the mirror folder's Explorer menu, after one preview: APS gets it as a new version", async () => {
    const { emulator } = ui.demo;
    const edited = Buffer.from('edited in the workspace, then pushed\n');
    writeFileSync(join(level1(), 'Level 1 Note.txt'), edited);
    await badgeShown(ui.page, 'Level 1 Note.txt', 'M');
    const before = tipOf('Level 1 Note.txt').versionNumber;
    // The Explorer compacts aps/Tower/Project Files/Level 1 into one row: its last name is the mirror's folder.
    await ui.contextMenu(ui.page.locator('.explorer-folders-view').getByRole('treeitem', { name: /^Level 1, compact/ }), 'Push Local Changes…');

    const dialog = ui.page.locator('.monaco-dialog-box');
    await dialog.getByText(`Push 1 change from ${join('aps', 'Tower', 'Project Files', 'Level 1')} to APS?`).waitFor();
    await dialog.getByText(`New version of Level 1 Note.txt (v${before} → v${before + 1}, ${edited.length} B)`).waitFor();
    await ui.screenshot('mirror-4-push-preview');
    await dialog.getByRole('button', { name: 'Push', exact: true }).click();

    await ui.notification(/Pushed aps.Tower.Project Files.Level 1 to APS: 1 new version, 0 new files\./).waitFor({ timeout: 60_000 });
    const sdk = sdkClients(emulator, emulator.issueToken({ scopes: ['data:read'] }));
    const held = await folderHeld(sdk, emulator.seed.ids.bim360Project, emulator.seed.ids.folders.level1);
    assert.deepEqual(held['Level 1 Note.txt'], [before + 1, sha1(edited)], 'APS holds the edited bytes as the next version');
    await badgeShown(ui.page, 'Level 1 Note.txt', '✓');
    await ui.screenshot('mirror-5-pushed');
  });
});

/** Waits until an Explorer row shows `badge` after its name (decorations are CSS content, not text). */
async function badgeShown(page: Page, label: string, badge: string): Promise<void> {
  await page.waitForFunction(
    `(() => {
      const row = [...document.querySelectorAll('.explorer-folders-view [role=treeitem]')].find((el) => el.getAttribute('aria-label')?.startsWith(${JSON.stringify(label)}));
      const badged = [...(row?.querySelectorAll('[class*="monaco-decoration-itemBadge-"]') ?? [])];
      return badged.some((el) => getComputedStyle(el, '::after').content === ${JSON.stringify(JSON.stringify(badge))});
    })()`,
    undefined,
    { timeout: 15_000 },
  ).catch(async (error: unknown) => {
    const dump = await page.evaluate(`(() => [...document.querySelectorAll('.explorer-folders-view [role=treeitem]')].map((el) => el.getAttribute('aria-label') + ' :: ' + [...el.querySelectorAll('[class*="monaco-decoration-itemBadge-"]')].map((b) => getComputedStyle(b, '::after').content).join('|') + ' :: ' + el.outerHTML.slice(0, 600)).join('\\n'))()`);
    throw new Error(`${String(error)}\n${String(dump)}`);
  });
}

/** Opens a folder row (of any tree) and waits until it shows as expanded. */
async function open(ui: UiSession, label: string): Promise<void> {
  const row = ui.row(label);
  await row.waitFor();
  if ((await row.getAttribute('aria-expanded')) !== 'true') await row.click();
  await ui.page.getByRole('treeitem', { name: new RegExp(`^${escapeRegExp(label)}`), expanded: true }).first().waitFor();
}
