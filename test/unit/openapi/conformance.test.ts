// Every JSON body the emulator serves while the product works against it is checked against Autodesk's
// OpenAPI files (test/openapi/), in both the seed's and the spec's form. Only the defects of the files
// themselves listed in test/openapi/specDefects.ts are corrected, and each must still be needed.
import { strict as assert } from 'node:assert';
import type { SentResponse } from '../../emulator';
import { Conformance, toJsonSchema } from '../../openapi/conformance';
import { SPEC_DEFECTS } from '../../openapi/specDefects';
import { folderPayload, itemPayload, storagePayload, versionPayload } from '../../../src/core/dm/writes';
import { hubWarningScenario, productScenario, recordTraffic } from './traffic';

function header(response: SentResponse, name: string): string {
  const value = Object.entries(response.headers).find(([key]) => key.toLowerCase() === name)?.[1];
  return Array.isArray(value) ? value[0] : String(value ?? '');
}

interface Report {
  problems: string[];
  checkedBodies: number;
  operations: Set<string>;
}

/** What the given files say about every JSON body of the API origin they describe. */
function review(conformance: Conformance, responses: SentResponse[]): Report {
  const report: Report = { problems: [], checkedBodies: 0, operations: new Set() };
  for (const response of responses) {
    const contentType = header(response, 'content-type');
    if (response.origin !== 'api' || !/json/.test(contentType) || response.body.length === 0) continue;
    const checked = conformance.check(response.method, response.path, response.status, contentType, JSON.parse(response.body.toString('utf8')));
    if (!checked) continue;
    const what = `${checked.file} ${checked.operationId} ${checked.status}`;
    report.operations.add(`${checked.operationId} ${checked.status}`);
    if (checked.undeclaredStatus) report.problems.push(`${what}: the status is not declared`);
    if (checked.undeclaredMediaType) report.problems.push(`${what}: ${checked.undeclaredMediaType} is not declared`);
    for (const error of checked.errors) {
      const where = (error.instancePath || '/').replace(/\/\d+(?=\/|$)/g, '/*');
      report.problems.push(`${what}: ${where} ${error.message} (${error.schemaPath})`);
    }
    if (!checked.noSchema) report.checkedBodies++;
  }
  report.problems = [...new Set(report.problems)].sort();
  return report;
}

/** Operations (and statuses) the product's traffic must reach, so the check cannot silently shrink. */
const COVERED = [
  'getHubs 200', 'getHub 200', 'getHub 404', 'getHubProjects 200', 'getProject 200', 'getProjectTopFolders 200', 'getProjectTopFolders 403',
  'getFolder 200', 'getFolder 404', 'getFolderContents 200', 'getFolderContents 400', 'getFolderSearch 200', 'getItem 200', 'getItemTip 200',
  'getItemVersions 200', 'getVersion 200', 'getVersionDownloadFormats 200', 'getVersionDownloads 200', 'createDownload 202', 'createDownload 400',
  'createDownload 403', 'getDownloadJob 200', 'getDownload 200', 'signed_s3_download 200', 'batch_signed_s3_download 200', 'fetch-token 200',
  'get-user-info 200',
  'createStorage 201', 'createItem 201', 'createItem 400', 'createItem 409', 'createVersion 201', 'createFolder 201', 'createFolder 403', 'createFolder 409',
  'signed_s3_upload 200', 'signed_s3_upload 400', 'complete_signed_s3_upload 200', 'complete_signed_s3_upload 400', 'get_object_details 200',
];

describe('OpenAPI conformance of what the emulator serves', function () {
  this.timeout(120_000);
  const traffic = new Map<string, SentResponse[]>();

  before(async () => {
    for (const form of ['seed', 'spec'] as const) traffic.set(form, await recordTraffic({ form }, productScenario));
    traffic.set('EMEA refused', await recordTraffic({ hubWarnings: true }, hubWarningScenario));
  });

  for (const form of ['seed', 'spec'] as const) {
    it(`validates every JSON body of the product's traffic against Autodesk's OpenAPI files (${form} form)`, () => {
      const report = review(new Conformance(SPEC_DEFECTS), traffic.get(form)!);
      assert.deepEqual(report.problems, []);
      assert.ok(report.checkedBodies > 100, `only ${report.checkedBodies} bodies were checked`);
      const missing = COVERED.filter((operation) => !report.operations.has(operation));
      assert.deepEqual(missing, [], 'operations the traffic no longer reaches');
    });
  }

  it('validates the hub listing with a regional warning, and the refused region\'s hub', () => {
    const report = review(new Conformance(SPEC_DEFECTS), traffic.get('EMEA refused')!);
    assert.deepEqual(report.problems, []);
    assert.ok(report.operations.has('getHubs 200') && report.operations.has('getHub 403'));
  });

  for (const defect of SPEC_DEFECTS) {
    it(`needs the correction ${defect.id}: without it the traffic fails the spec`, () => {
      const others = new Conformance(SPEC_DEFECTS.filter((candidate) => candidate !== defect));
      const problems = [...traffic.values()].flatMap((responses) => review(others, responses).problems);
      assert.ok(problems.length > 0, `${defect.id} corrects nothing the traffic meets`);
    });
  }
});

describe('OpenAPI conformance of the request bodies the core builds for uploads', () => {
  const conformance = new Conformance(SPEC_DEFECTS);
  const storage = 'urn:adsk.objects:os.object:wip.dm.prod/2a6d61f2-49df-4d7b-9aed-439586d61df7.dwg';
  const folderId = 'urn:adsk.wipprod:fs.folder:co.mgS-lb-BThaTdHnhiN_mbA';
  const problems = (path: string, contentType: string, body: unknown) => {
    const checked = conformance.checkRequest('POST', path, contentType, body);
    assert.ok(checked && !checked.noSchema, `no request schema for ${path}`);
    return checked.errors.map((error) => `${error.instancePath} ${error.message}`);
  };

  for (const kind of ['bim360', 'acc', 'personal', 'fusion'] as const) {
    it(`storage, items, versions and folders for a ${kind} hub, and the completion body`, () => {
      const jsonApi = 'application/vnd.api+json';
      assert.deepEqual(problems('/data/v1/projects/b.1/storage', jsonApi, storagePayload({ folderId, name: 'drawing.dwg' })), []);
      assert.deepEqual(problems('/data/v1/projects/b.1/items', jsonApi, itemPayload({ folderId, name: 'drawing.dwg', storage, kind })), []);
      assert.deepEqual(problems('/data/v1/projects/b.1/versions', jsonApi, versionPayload({ itemId: 'urn:adsk.wipprod:dm.lineage:AeYgDtcTSuqYoyMweWFhhQ', name: 'drawing.dwg', storage, kind })), []);
      assert.deepEqual(problems('/data/v1/projects/b.1/folders', jsonApi, folderPayload({ parentId: folderId, name: 'Plans', kind })), []);
      assert.deepEqual(problems('/oss/v2/buckets/wip.dm.prod/objects/x.dwg/signeds3upload', 'application/json', { uploadKey: 'k', size: 1, eTags: ['"a"'] }), []);
    });
  }

  it('the check can fail: an item without its first version, a version without a name', () => {
    const item = itemPayload({ folderId, name: 'drawing.dwg', storage, kind: 'bim360' });
    assert.ok(problems('/data/v1/projects/b.1/items', 'application/vnd.api+json', { ...item, included: undefined }).some((problem) => /included/.test(problem)));
    const version = versionPayload({ itemId: 'i', name: 'drawing.dwg', storage, kind: 'bim360' }) as { data: { attributes: Record<string, unknown> } };
    delete version.data.attributes.name;
    assert.ok(problems('/data/v1/projects/b.1/versions', 'application/vnd.api+json', version).some((problem) => /name/.test(problem)));
  });
});

describe('OpenAPI conformance check itself', () => {
  const conformance = new Conformance(SPEC_DEFECTS);

  it('rejects what the files forbid, reads nullable as OpenAPI 3.0 means it, and checks formats', () => {
    const extension = { type: 'hubs:autodesk.bim360:Account', version: '1.0', schema: { href: 'https://x/schema/v1/versions/hubs:autodesk.bim360:Account-1.0' }, data: {} };
    const hub = { type: 'hubs', id: 'b.1', attributes: { name: 'A', extension, region: 'US' }, links: { self: { href: 'https://x/project/v1/hubs/b.1' } } };
    const hubs = (data: unknown[], meta?: unknown) => ({ jsonapi: { version: '1.0' }, links: { self: { href: 'https://x/project/v1/hubs' } }, data, ...(meta ? { meta } : {}) });
    assert.deepEqual(conformance.check('GET', '/project/v1/hubs', 200, 'application/json', hubs([hub]))?.errors, []);
    const wrongType = conformance.check('GET', '/project/v1/hubs', 200, 'application/json', hubs([{ ...hub, type: 'hub' }]));
    assert.ok(wrongType!.errors.some((error) => error.instancePath === '/data/0/type'));
    const signed = conformance.check('GET', '/oss/v2/buckets/b/objects/o/signeds3download', 200, 'application/json', { status: 'complete', url: 'https://x', size: 'big' });
    assert.ok(signed!.errors.some((error) => error.instancePath === '/size'));
    assert.equal(conformance.check('GET', '/nowhere', 200, 'application/json', {}), undefined);
    assert.equal(conformance.check('GET', '/project/v1/hubs', 418, 'application/json', {})?.undeclaredStatus, true);
  });

  it('translates OpenAPI 3.0 schemas: nullable adds null, annotations go, properties keep their names', () => {
    assert.deepEqual(toJsonSchema({ type: 'string', nullable: true, example: 'x', 'x-stoplight': { id: '1' } }), { type: ['string', 'null'] });
    assert.deepEqual(toJsonSchema({ enum: ['a'], type: 'string', nullable: true }), { enum: ['a', null], type: ['string', 'null'] });
    assert.deepEqual(toJsonSchema({ $ref: '#/components/schemas/X', nullable: true }), { anyOf: [{ $ref: '#/definitions/X' }, { type: 'null' }] });
    assert.deepEqual(toJsonSchema({ description: 'any', nullable: true }), { description: 'any' });
    assert.deepEqual(toJsonSchema({ type: 'object', properties: { example: { type: 'string', xml: {} } } }), { type: 'object', properties: { example: { type: 'string' } } });
  });
});
