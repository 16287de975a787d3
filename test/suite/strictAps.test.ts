// The product against a strict APS: rate limits, scopes, user context, regions, regional warnings, both
// forms of the conversion answers, and an obsolete region setting. Every refusal must reach the user
// as a sentence that says which scope, which limit and when to retry.
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { migrateRegionSetting } from '../../src/config/regionMigration';
import type { ApsExplorerApi } from '../../src/extension';
import type { ConvertPlan, JobRecord } from '../../src/jobs/jobRecord';
import type { ScriptedPrompts } from '../../src/ui/prompts';
import type { RunningEmulator } from '../emulator';
import { choices } from '../emulator/choices';
import { contextFlags, objectSha1, resetTransferSettings, seedItem, sha1File, tipNode, workspaceFolder } from './commands/support';
import { children, item, label, setSetting, signInWithApp, useEmulator, withOwnEmulator } from './support/harness';

const HUBS = '/project/v1/hubs';
const GATEWAY_SCOPE_REFUSAL = JSON.stringify({ developerMessage: choices.gateway.insufficientScope.developerMessage, moreInfo: choices.gateway.moreInfo, errorCode: 'AUTH-010' });

describe('Against a strict APS (rate limits on)', function () {
  this.timeout(120_000);
  let emu: RunningEmulator;
  let ext: ApsExplorerApi;
  let prompts: ScriptedPrompts;

  /** Points the extension at the shared emulator and signs in with app credentials (again, after an own emulator). */
  async function signedIn(): Promise<void> {
    ({ emu, ext, prompts } = await useEmulator({ downloadFolder: 'aps-strict', conflictPolicy: 'overwrite' }));
    await signInWithApp(ext, prompts, emu.seed.credentials.clientSecret!);
  }

  before(signedIn);

  afterEach(() => emu.faults.clear());

  after(async () => {
    await resetTransferSettings();
    await ext.accounts.signOut();
  });

  it('runs the suite with the strict switches, APS rate limits among them', () => {
    assert.equal(emu.switches.rateLimits, 'aps');
    assert.equal(emu.switches.scopes, 'per-endpoint');
    assert.equal(emu.switches.storageAuthorization, 'refuse');
  });

  it("lives within APS's 50 hub listings a minute: waits out the 429's Retry-After, then shows the hubs", async () => {
    await children(ext);
    // Spend what is left of this minute's hub budget as the same app would, then come near the minute's end.
    const token = emu.issueToken({ scopes: ['data:read'] });
    let retryAfter: string | null = null;
    for (let spent = 0; spent <= 50 && retryAfter === null; spent++) {
      const response = await fetch(`${emu.baseUrl}${HUBS}`, { headers: { authorization: `Bearer ${token}` } });
      await response.arrayBuffer();
      if (response.status === 429) retryAfter = response.headers.get('retry-after');
    }
    assert.match(retryAfter ?? '', /^\d+$/, 'the budget ran out');
    emu.clock.advance((Number(retryAfter) - 1) * 1000);
    emu.requests.clear();

    await vscode.commands.executeCommand('apsExplorer.refresh');
    const hubs = await children(ext);

    assert.deepEqual(hubs.map((node) => label(ext, node)).sort(), emu.seed.hubs.filter((hub) => hub.kind !== 'personal').map((hub) => hub.name).sort());
    const answers = emu.requests.list({ path: new RegExp(`^${HUBS}$`) });
    // Had the retry not waited for Retry-After, the minute would not have been over and it would be another 429.
    assert.deepEqual(answers.map((request) => request.status), [429, 200], 'one 429, then the same request once the minute was over');
  });

  it('shows which limit was hit and when to retry, when APS asks for a longer wait than is worth sitting through', async () => {
    emu.faults.add({ kind: 'status', status: 429, retryAfter: 600, path: HUBS, method: 'GET' });
    await vscode.commands.executeCommand('apsExplorer.refresh');
    const [error] = await children(ext);
    assert.equal(error.kind, 'error');
    assert.equal(label(ext, error), 'Autodesk allows 50 requests a minute for listing hubs per app, and they are used up. Try again in 600 seconds.');
    assert.equal(item(ext, error).command?.command, 'apsExplorer.retry');

    emu.faults.clear();
    await vscode.commands.executeCommand('apsExplorer.retry', error);
    assert.ok((await children(ext)).every((node) => node.kind === 'hub'));
  });

  it('fails a conversion the sign-in has no scope for with a sentence naming the scope', async () => {
    emu.faults.add({ kind: 'status', status: 403, body: GATEWAY_SCOPE_REFUSAL, path: '/data/v1/projects/*/downloads', method: 'POST' });
    const node = await tipNode(emu, ext, emu.seed.ids.items.towerRvt);
    prompts.answer('IFC');
    const job = await vscode.commands.executeCommand<JobRecord>('apsExplorer.convert', node);
    assert.equal(job.state, 'failed');
    assert.equal(
      job.error,
      'Autodesk refused starting conversions: the sign-in lacks the scope data:create. Sign out and sign in again so Autodesk grants it, and check that your APS app may use it.',
    );
    const shown = prompts.notifications.at(-1)!;
    assert.equal(shown.level, 'error');
    assert.ok(shown.message.endsWith(job.error!), shown.message);
  });

  it('refuses an ACC export without a user context before asking APS, and says why', async () => {
    const node = await tipNode(emu, ext, emu.seed.ids.items.accPlansPdf);
    assert.ok(!contextFlags(ext, node).includes('pdfExportable'));
    emu.requests.clear();
    await vscode.commands.executeCommand('apsExplorer.exportPdf', node);
    const refusal = prompts.notifications.at(-1)!;
    assert.equal(refusal.level, 'warning');
    assert.equal(refusal.message, 'Hospital Sheets.pdf cannot be exported to PDF: Exporting from ACC needs a signed-in Autodesk user (or a user ID for app authentication).');
    assert.equal(emu.requests.list({ path: '/exports' }).length, 0);
  });

  it('downloads EMEA and AUS files (naming their region in x-ads-region) with the emulator sha1, sending storage no Authorization', async () => {
    emu.requests.clear();
    for (const [itemId, folder] of [
      [emu.seed.ids.items.emeaModelRvt, ['Berlin Office', 'Project Files', 'Berlin Office.rvt']],
      [emu.seed.ids.items.ausDrawingDwg, ['Sydney Depot', 'Project Files', 'Sydney Depot.dwg']],
    ] as const) {
      const seeded = seedItem(emu, itemId);
      const job = await vscode.commands.executeCommand<JobRecord>('apsExplorer.download', await tipNode(emu, ext, itemId));
      assert.equal(job.state, 'finished', job.error);
      assert.equal(sha1File(join(workspaceFolder(), 'aps-strict', ...folder)), await objectSha1(emu, seeded.versions.at(-1)!.storage!));
    }
    const signed = emu.requests.list({ path: '/signeds3download' });
    assert.equal(signed.length, 2);
    assert.ok(signed.every((request) => request.headerNames.includes('x-ads-region') && request.status === 200));
    const storage = emu.requests.list({ origin: 'storage' });
    assert.ok(storage.length > 0 && storage.every((request) => !request.hadAuthorization));
  });

  it('shows, after the hubs, that the hubs of a region are missing when APS could not list them', async () => {
    await withOwnEmulator({ hubWarnings: true }, async (own) => {
      await signInWithApp(own.ext, own.prompts, own.emu.seed.credentials.clientSecret!);
      const roots = await children(own.ext);
      assert.deepEqual(roots.map((node) => node.kind), ['hub', 'hub', 'hub', 'notice']);
      assert.equal(label(own.ext, roots[3]), "Hubs in EMEA are missing: Autodesk could not list them (You don't have permission to access this API, HTTP 403).");
      assert.equal((item(own.ext, roots[3]).iconPath as vscode.ThemeIcon).id, 'warning');
    });
    await signedIn();
  });

  it("converts with the spec's answers too: the 202 as an array and the 303 to an absolute Location", async () => {
    await withOwnEmulator(
      { form: 'spec' },
      async (own) => {
        await signInWithApp(own.ext, own.prompts, own.emu.seed.credentials.clientSecret!);
        own.prompts.answer('IFC');
        const job = await vscode.commands.executeCommand<JobRecord>('apsExplorer.convert', await tipNode(own.emu, own.ext, own.emu.seed.ids.items.towerRvt));
        assert.equal(job.state, 'finished', job.error);
        const plan = job.plan as ConvertPlan;
        assert.equal(sha1File(join(workspaceFolder(), 'aps-strict-spec', 'Tower', 'Project Files', 'Tower.ifc')), await objectSha1(own.emu, `${plan.storage!.bucketKey}/${plan.storage!.objectKey}`));
        assert.ok(own.emu.requests.list({ path: '/jobs/' }).some((request) => request.status === 303));
      },
      { downloadFolder: 'aps-strict-spec', conflictPolicy: 'overwrite' },
    );
    await signedIn();
  });
});

describe('The region setting', () => {
  after(() => setSetting('region', undefined));

  it('offers the regions APS lists today, and turns a stored APAC into AUS once, with a notice', async () => {
    const region = vscode.extensions.getExtension('aps-explorer.aps-explorer')!.packageJSON.contributes.configuration.properties['apsExplorer.region'];
    assert.deepEqual(region.enum, ['US', 'EMEA', 'AUS', 'CAN', 'DEU', 'IND', 'JPN', 'GBR']);

    const { prompts } = await useEmulator();
    await setSetting('region', 'APAC');
    assert.deepEqual(await migrateRegionSetting(prompts), ['APAC → AUS']);
    assert.equal(vscode.workspace.getConfiguration('apsExplorer').inspect('region')?.globalValue, 'AUS');
    assert.equal(prompts.notifications.length, 1);
    assert.match(prompts.notifications[0].message, /no longer has an APAC region.*AUS/);
    assert.deepEqual(await migrateRegionSetting(prompts), [], 'nothing left to migrate');
    assert.equal(prompts.notifications.length, 1, 'the notice comes once');
  });
});
