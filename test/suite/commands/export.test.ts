import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { ApsExplorerApi } from '../../../src/extension';
import type { JobRecord } from '../../../src/jobs/jobRecord';
import type { ScriptedPrompts } from '../../../src/ui/prompts';
import { seed, type RunningEmulator } from '../../emulator';
import { signInWithApp, useEmulator } from '../support/harness';
import { contextFlags, resetTransferSettings, sha1File, tipNode, watchJobView, workspaceFolder } from './support';

/** sha1 of the export object the storage origin served last (its key comes from the request log). */
async function servedExportSha1(emu: RunningEmulator): Promise<string> {
  const served = emu.requests.list({ origin: 'storage', path: 'emulator-exports' }).filter((request) => request.status === 200 || request.status === 206);
  const [bucketKey, objectKey] = decodeURIComponent(served.at(-1)!.path).split('/').slice(-2);
  return (await emu.describeObject(bucketKey, objectKey)).sha1;
}

describe('APS: Export as PDF (against the emulator)', function () {
  this.timeout(120_000);
  let emu: RunningEmulator;
  let ext: ApsExplorerApi;
  let prompts: ScriptedPrompts;
  const root = () => join(workspaceFolder(), 'aps-export');

  afterEach(() => emu.faults.clear());

  after(async () => {
    await resetTransferSettings();
    await ext.accounts.signOut();
  });

  describe('BIM 360 (Docs exports)', () => {
    before(async () => {
      ({ emu, ext, prompts } = await useEmulator({ downloadFolder: 'aps-export', conflictPolicy: 'overwrite' }));
      await signInWithApp(ext, prompts, emu.seed.credentials.clientSecret!);
    });

    it('exports a sheet with the chosen markups, polls it and downloads the PDF', async () => {
      const node = await tipNode(emu, ext, emu.seed.ids.items.sheetA101);
      assert.ok(contextFlags(ext, node).includes('pdfExportable'), contextFlags(ext, node).join(' '));
      emu.requests.clear();
      const view = watchJobView(ext, 'Export A-101 FLOOR PLANS as PDF');
      prompts.answer('With markups and hyperlinks');

      const job = await vscode.commands.executeCommand<JobRecord>('apsExplorer.exportPdf', node);
      view.dispose();

      assert.equal(job.state, 'finished', job.error);
      assert.deepEqual(view.seen.map((step) => step.state), ['queued', 'processing', 'downloading', 'finished']);
      const file = join(root(), 'Tower', 'Plans', 'A-101 FLOOR PLANS.pdf');
      assert.equal(sha1File(file), await servedExportSha1(emu));
      const [post] = emu.requests.list({ method: 'POST', path: /^\/bim360\/docs\/v1\/projects\/[^/]+\/versions\/[^/]+\/exports$/ });
      assert.ok(post, 'the BIM 360 Docs export API was used');
      assert.equal(emu.requests.list({ path: '/construction/files/' }).length, 0);
      const done = prompts.notifications.at(-1)!;
      assert.match(done.message, /Exported as PDF: aps-export[/\\]Tower[/\\]Plans[/\\]A-101 FLOOR PLANS\.pdf/);
      assert.deepEqual(done.buttons, ['Open', 'Reveal in Explorer']);
    });

    it('polls the export again for a fresh signed URL when the first one has expired', async () => {
      const node = await tipNode(emu, ext, emu.seed.ids.items.sheetA102);
      emu.requests.clear();
      emu.faults.add({ kind: 'expireSignedUrl', origin: 'storage', path: '**/emulator-exports/**', count: 1 });
      prompts.answer('Without markups');

      const job = await vscode.commands.executeCommand<JobRecord>('apsExplorer.exportPdf', node);

      assert.equal(job.state, 'finished', job.error);
      const log = emu.requests.list();
      const firstExpired = log.findIndex((request) => request.origin === 'storage' && request.status === 403);
      assert.ok(firstExpired >= 0, 'the first signed URL was refused as expired');
      assert.ok(
        log.slice(firstExpired).some((request) => request.origin === 'api' && request.method === 'GET' && /\/exports\/[^/]+$/.test(request.path)),
        'the export was polled again after the URL expired',
      );
      assert.equal(sha1File(join(root(), 'Tower', 'Plans', 'A-102 ELEVATIONS.pdf')), await servedExportSha1(emu));
    });

    it('refuses an item that cannot be exported, hiding the menu and saying why', async () => {
      const node = await tipNode(emu, ext, emu.seed.ids.items.notesTxt);
      assert.ok(!contextFlags(ext, node).includes('pdfExportable'));
      const menu = (vscode.extensions.getExtension('aps-explorer.aps-explorer')!.packageJSON.contributes.menus['view/item/context'] as Array<{ command: string; when: string }>).find(
        (entry) => entry.command === 'apsExplorer.exportPdf',
      )!;
      assert.match(menu.when, /pdfExportable/);
      emu.requests.clear();

      const result = await vscode.commands.executeCommand('apsExplorer.exportPdf', node);

      assert.equal(result, undefined);
      const refusal = prompts.notifications.at(-1)!;
      assert.equal(refusal.level, 'warning');
      assert.equal(refusal.message, 'Notes.txt cannot be exported to PDF: In BIM 360 only sheets (pages of PDFs uploaded to the Plans folder) can be exported to PDF.');
      assert.equal(emu.requests.list({ path: '/exports' }).length, 0, 'nothing was sent to an export API');
    });
  });

  describe('ACC (Files exports, with a user context)', () => {
    before(async () => {
      ({ emu, ext, prompts } = await useEmulator({ downloadFolder: 'aps-export', conflictPolicy: 'overwrite', userId: seed.ids.users.demo }));
      await signInWithApp(ext, prompts, emu.seed.credentials.clientSecret!);
    });

    it('exports an ACC PDF file through the Files export API and downloads it', async () => {
      const node = await tipNode(emu, ext, emu.seed.ids.items.accPlansPdf);
      assert.ok(contextFlags(ext, node).includes('pdfExportable'), contextFlags(ext, node).join(' '));
      emu.requests.clear();
      prompts.answer('With markups');

      const job = await vscode.commands.executeCommand<JobRecord>('apsExplorer.exportPdf', node);

      assert.equal(job.state, 'finished', job.error);
      const [post] = emu.requests.list({ method: 'POST', path: /^\/construction\/files\/v1\/projects\/[^/]+\/exports$/ });
      assert.ok(post, 'the ACC Files export API was used');
      assert.equal(post.userId, emu.seed.ids.users.demo);
      assert.equal(emu.requests.list({ path: '/bim360/docs/' }).length, 0);
      assert.equal(sha1File(join(root(), 'Hospital', 'Plans', 'Hospital Sheets.pdf')), await servedExportSha1(emu));
    });
  });
});
