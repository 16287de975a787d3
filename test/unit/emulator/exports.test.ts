import { strict as assert } from 'node:assert';
import { startEmulator, type RunningEmulator } from '../../emulator/index';
import { enc, type Json } from './helpers';

describe('emulator: BIM 360 Docs and ACC Files exports', () => {
  let emulator: RunningEmulator;
  let token: string;
  const tipOf = (itemId: string) => {
    const item = emulator.seed.items.find((i) => i.id === itemId)!;
    return item.versions[item.versions.length - 1].id;
  };
  const uuid = (projectId: string) => projectId.replace(/^b\./, '');
  before(async () => {
    emulator = await startEmulator();
    token = emulator.issueToken({ scopes: ['data:read', 'data:write', 'data:create'], userId: emulator.seed.ids.users.demo });
  });
  after(() => emulator.close());

  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}, as = token) => {
    const response = await fetch(`${emulator.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${as}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Json };
  };
  const bim360Path = (version: string) => `/bim360/docs/v1/projects/${uuid(emulator.seed.ids.bim360Project)}/versions/${enc(version)}/exports`;

  it('BIM 360: committed → processing → completed with a 2-minute signed URL; re-export returns the finished job', async () => {
    const sheet = tipOf(emulator.seed.ids.items.sheetA101);
    const created = await call('POST', bim360Path(sheet), { includeMarkups: true, includeHyperlinks: false });
    assert.ok(created.status >= 200 && created.status < 300);
    assert.equal(created.body.status, 'committed');
    const states: string[] = [];
    let job: Json;
    for (let poll = 0; poll < 4; poll++) {
      job = (await call('GET', `${bim360Path(sheet)}/${created.body.id}`)).body;
      states.push(job.status);
    }
    assert.deepEqual(states, ['committed', 'processing', 'completed', 'completed']);
    assert.equal(job.data.versionUrn, Buffer.from(sheet).toString('base64url'));
    assert.match(job.data.resourceId, /^urn:adsk\.viewing:fs\.file:.+\.pdf$/);
    const pdf = await fetch(job.data.signedUrl);
    assert.equal(pdf.status, 200);
    assert.equal(pdf.headers.get('content-type'), 'application/pdf');
    await pdf.arrayBuffer();

    const viaLink = await fetch(job.data.link, { headers: { authorization: `Bearer ${token}`, range: 'bytes=0-9' } });
    assert.equal(viaLink.status, 206, 'the deprecated Model Derivative link serves the PDF with a token');
    await viaLink.arrayBuffer();

    emulator.clock.advance(121_000);
    assert.equal((await fetch(job.data.signedUrl)).status, 403, 'the URL lives 2 minutes');
    const again = await call('POST', bim360Path(sheet), {});
    assert.equal(again.body.id, created.body.id);
    assert.equal(again.body.status, 'completed');
    assert.equal((await fetch(again.body.data.signedUrl)).status, 200, 'a fresh URL');
  });

  it('BIM 360: refuses ACC projects, DWG sheets and whole files; fails with failExport', async () => {
    const accSheet = tipOf(emulator.seed.ids.items.accSheetA101);
    const acc = await call('POST', `/bim360/docs/v1/projects/${uuid(emulator.seed.ids.accProject)}/versions/${enc(accSheet)}/exports`, {});
    assert.equal(acc.status, 400);
    assert.ok(acc.body.detail);
    assert.equal((await call('POST', bim360Path(tipOf(emulator.seed.ids.items.dwgSheetS201)), {})).status, 400);
    assert.equal((await call('POST', bim360Path(tipOf(emulator.seed.ids.items.plansPdf)), {})).status, 400);

    emulator.faults.add({ kind: 'failExport', count: 1 });
    const sheet = tipOf(emulator.seed.ids.items.sheetA102);
    const created = await call('POST', bim360Path(sheet), {});
    let job: Json;
    for (let poll = 0; poll < 3; poll++) job = (await call('GET', `${bim360Path(sheet)}/${created.body.id}`)).body;
    assert.equal(job.status, 'failed');
    assert.ok(job.data.error.code);
  });

  it('ACC: processing → successful (PDF), ZIP for DWG, partialSuccess for unprocessed files, failed with failExport', async () => {
    const path = `/construction/files/v1/projects/${emulator.seed.ids.accProject}/exports`;
    const run = async (fileVersions: string[]) => {
      const created = await call('POST', path, { options: { outputFileName: 'Ward' }, fileVersions });
      assert.equal(created.status, 202);
      assert.equal(created.body.status, 'processing');
      let job: Json;
      for (let poll = 0; poll < 3; poll++) job = (await call('GET', `${path}/${created.body.id}`)).body;
      return job;
    };
    const pdf = await run([tipOf(emulator.seed.ids.items.accPlansPdf)]);
    assert.equal(pdf.status, 'successful');
    const download = await fetch(pdf.result.output.signedUrl);
    assert.equal(download.headers.get('content-type'), 'application/pdf');
    assert.match(download.headers.get('content-disposition') ?? '', /Ward\.pdf/);
    await download.arrayBuffer();

    const zip = await run([tipOf(emulator.seed.ids.items.accDrawingDwg)]);
    assert.equal((await fetch(zip.result.output.signedUrl, { method: 'HEAD' })).headers.get('content-type'), 'application/zip');

    const partial = await run([tipOf(emulator.seed.ids.items.accPlansPdf), tipOf(emulator.seed.ids.items.accUnprocessedDwg)]);
    assert.equal(partial.status, 'partialSuccess');
    assert.equal(partial.result.failedFiles[0].id, tipOf(emulator.seed.ids.items.accUnprocessedDwg));

    emulator.faults.add({ kind: 'failExport', count: 1 });
    const failed = await run([tipOf(emulator.seed.ids.items.accPlansPdf)]);
    assert.equal(failed.status, 'failed');
    assert.ok(failed.result.error.title);
  });

  it('ACC: needs a user context, refuses BIM 360 projects, other file types and other users', async () => {
    const path = `/construction/files/v1/projects/${uuid(emulator.seed.ids.accProject)}/exports`;
    const pdf = tipOf(emulator.seed.ids.items.accPlansPdf);
    const app = emulator.issueToken({ scopes: ['data:read', 'data:write'] });
    assert.equal((await call('POST', path, { fileVersions: [pdf] }, {}, app)).status, 403);
    assert.equal((await call('POST', path, { fileVersions: [pdf] }, { 'x-user-id': emulator.seed.ids.users.demo }, app)).status, 202);
    const bim = await call('POST', `/construction/files/v1/projects/${emulator.seed.ids.bim360Project}/exports`, { fileVersions: [tipOf(emulator.seed.ids.items.plansPdf)] });
    assert.equal(bim.status, 400);
    assert.equal(bim.body.code, 'ERR_BAD_INPUT');
    assert.equal((await call('POST', path, { fileVersions: [tipOf(emulator.seed.ids.items.accNotesTxt)] })).status, 400);
    assert.equal((await call('POST', path, { fileVersions: [] })).status, 400);

    const mine = await call('POST', path, { fileVersions: [pdf] });
    const admin = emulator.issueToken({ scopes: ['data:read'], userId: emulator.seed.ids.users.admin });
    assert.equal((await call('GET', `${path}/${mine.body.id}`, undefined, {}, admin)).status, 403);
    assert.equal((await call('GET', `${path}/00000000-0000-4000-a000-000000000000`)).status, 404);
  });
});
