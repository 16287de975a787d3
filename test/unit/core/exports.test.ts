// exportPdf against the emulator: BIM 360 Docs exports, ACC Files exports, and clear refusals.
import * as assert from 'node:assert/strict';
import { request } from 'undici';
import { isApsError, type Project } from '../../../src/core';
import { tipVersionId, twoLeggedClient, useEmulator } from './harness';

const FAST_POLL = { initialDelayMs: 5, maxDelayMs: 20, timeoutMs: 10_000 };

describe('core/exports against the emulator', function () {
  const emulator = useEmulator();
  let app: ReturnType<typeof twoLeggedClient>;
  let asDemo: ReturnType<typeof twoLeggedClient>;
  let bim360: Project;
  let acc: Project;
  before(async () => {
    const { ids } = emulator().seed;
    app = twoLeggedClient(emulator());
    asDemo = twoLeggedClient(emulator(), undefined, { userId: ids.users.demo });
    bim360 = await app.dm.getProject(ids.bim360Hub, ids.bim360Project);
    acc = await app.dm.getProject(ids.accHub, ids.accProject);
  });
  after(async () => {
    await app.close();
    await asDemo.close();
  });

  it('exports a BIM 360 PDF sheet through the BIM 360 Docs API and returns a working signed URL', async () => {
    const e = emulator();
    const sheet = await app.dm.getVersion(bim360.id, tipVersionId(e, e.seed.ids.items.sheetA101));
    const states: string[] = [];
    const result = await app.exports.exportPdf(bim360, sheet, { timing: FAST_POLL, onProgress: (job) => states.push(job.rawStatus) });
    assert.equal(result.api, 'bim360-docs');
    assert.equal(result.expectedFormat, 'pdf');
    assert.equal(states[0], 'committed');
    assert.equal(states[states.length - 1], 'completed');
    const exportCalls = e.requests.list({ path: '/bim360/docs/v1/projects/' });
    assert.ok(exportCalls.every((call) => !call.path.includes('/b.')), 'BIM 360 Docs gets the project id without b.');
    const download = await request(result.signedUrl, { dispatcher: app.dispatcher });
    await download.body.arrayBuffer();
    assert.equal(download.statusCode, 200);
    assert.match(String(download.headers['content-type']), /application\/pdf/);
  });

  it('refuses non-sheets in BIM 360 before calling APS, and reports APS refusals as unsupported', async () => {
    const e = emulator();
    const file = await app.dm.getVersion(bim360.id, tipVersionId(e, e.seed.ids.items.towerRvt));
    e.requests.clear();
    await assert.rejects(app.exports.exportPdf(bim360, file), (error: unknown) => isApsError(error) && error.kind === 'unsupported' && /sheets/.test(error.userMessage));
    assert.equal(e.requests.list({ path: '/exports' }).length, 0);

    const dwgSheet = await app.dm.getVersion(bim360.id, tipVersionId(e, e.seed.ids.items.dwgSheetS201));
    await assert.rejects(app.exports.exportPdf(bim360, dwgSheet, { timing: FAST_POLL }), (error: unknown) => {
      assert.ok(isApsError(error));
      assert.equal(error.kind, 'unsupported');
      assert.equal(error.status, 400);
      assert.match(error.userMessage, /cannot be exported to PDF: Only pages of PDF files/);
      return true;
    });
  });

  it('exports ACC files through the ACC Files API: PDF as PDF, RVT as ZIP', async () => {
    const e = emulator();
    const pdf = await asDemo.dm.getVersion(acc.id, tipVersionId(e, e.seed.ids.items.accPlansPdf));
    const pdfResult = await asDemo.exports.exportPdf(acc, pdf, { timing: FAST_POLL, outputFileName: 'Hospital Sheets' });
    assert.equal(pdfResult.api, 'acc-files');
    assert.equal(pdfResult.expectedFormat, 'pdf');
    assert.equal(pdfResult.fileName, 'Hospital Sheets.pdf');
    const rvt = await asDemo.dm.getVersion(acc.id, tipVersionId(e, e.seed.ids.items.accModelRvt));
    const rvtResult = await asDemo.exports.exportPdf(acc, rvt, { timing: FAST_POLL });
    assert.equal(rvtResult.expectedFormat, 'zip');
    const download = await request(rvtResult.signedUrl, { dispatcher: asDemo.dispatcher });
    await download.body.arrayBuffer();
    assert.equal(download.statusCode, 200);
  });

  it('explains what cannot be exported: ACC text files, ACC without a user, Fusion projects', async () => {
    const e = emulator();
    const txt = await asDemo.dm.getVersion(acc.id, tipVersionId(e, e.seed.ids.items.accNotesTxt));
    await assert.rejects(asDemo.exports.exportPdf(acc, txt), (error: unknown) => isApsError(error) && error.code === 'ACC_UNSUPPORTED_TYPE' && /\.txt/.test(error.userMessage));
    const pdf = await app.dm.getVersion(acc.id, tipVersionId(e, e.seed.ids.items.accPlansPdf));
    await assert.rejects(app.exports.exportPdf(acc, pdf), (error: unknown) => isApsError(error) && error.code === 'USER_CONTEXT_REQUIRED');
    const fusion = { id: e.seed.ids.personalProject, projectType: undefined };
    await assert.rejects(app.exports.exportPdf(fusion, { id: 'urn:x?version=1' }), (error: unknown) => isApsError(error) && error.code === 'NOT_A_CONSTRUCTION_PROJECT');
  });

  it('reports a failed export job with APS details', async () => {
    const e = emulator();
    e.faults.add({ kind: 'failExport' });
    const sheet = await app.dm.getVersion(bim360.id, tipVersionId(e, e.seed.ids.items.sheetA102));
    await assert.rejects(app.exports.exportPdf(bim360, sheet, { timing: FAST_POLL }), (error: unknown) => isApsError(error) && error.kind === 'job-failed' && error.code === 'EXPORT_FAILED');
  });

  it('waits for an export started earlier instead of starting another (a window reload in between)', async () => {
    const e = emulator();
    const sheet = await app.dm.getVersion(bim360.id, tipVersionId(e, e.seed.ids.items.sheetA102));
    const interrupted = new AbortController();
    let startedId: string | undefined;
    await assert.rejects(
      app.exports.exportPdf(bim360, sheet, {
        timing: FAST_POLL,
        signal: interrupted.signal,
        onStarted: (job) => {
          startedId = job.id;
          interrupted.abort();
        },
      }),
    );
    assert.ok(startedId);
    e.requests.clear();
    const resumed = await app.exports.exportPdf(bim360, sheet, { timing: FAST_POLL, exportId: startedId });
    assert.equal(resumed.job.id, startedId);
    assert.equal(resumed.job.state, 'succeeded');
    assert.deepEqual(e.requests.list({ path: '/bim360/docs/v1/projects/' }).filter((call) => call.method === 'POST'), []);
  });

  it('times out on an export that never finishes', async () => {
    const e = emulator();
    e.faults.add({ kind: 'failExport', stuck: true });
    const pdf = await asDemo.dm.getVersion(acc.id, tipVersionId(e, e.seed.ids.items.accPlansPdf));
    await assert.rejects(
      asDemo.exports.exportPdf(acc, pdf, { timing: { initialDelayMs: 5, maxDelayMs: 10, timeoutMs: 150 } }),
      (error: unknown) => isApsError(error) && error.kind === 'timeout',
    );
  });
});
