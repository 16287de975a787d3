import { strict as assert } from 'node:assert';
import { startEmulator, type Form, type RunningEmulator } from '../../emulator/index';
import { enc, getJson, sha1, signedUrlFor, storageKeyOf, type Json } from './helpers';

for (const form of ['seed', 'spec'] as const) describe(`emulator: conversion jobs (POST downloads → jobs → 303 → download), ${form} form`, () => {
  let emulator: RunningEmulator;
  let token: string;
  let project: string;
  let rvtTip: string;
  before(async () => {
    emulator = await startEmulator({ form: form as Form });
    token = emulator.issueToken({ scopes: ['data:read', 'data:create'] });
    project = emulator.seed.ids.bim360Project;
    const item = emulator.seed.items.find((i) => i.id === emulator.seed.ids.items.towerRvt)!;
    rvtTip = item.versions[item.versions.length - 1].id;
  });
  after(() => emulator.close());

  const create = (versionId: string, fileType: string, projectId = project, contentType = 'application/vnd.api+json') =>
    fetch(`${emulator.baseUrl}/data/v1/projects/${projectId}/downloads`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': contentType },
      body: JSON.stringify({
        jsonapi: { version: '1.0' },
        data: { type: 'downloads', attributes: { format: { fileType } }, relationships: { source: { data: { type: 'versions', id: versionId } } } },
      }),
    });

  /** The job of a 202: one object (seed form, seeds/000) or a one-element array (spec form). */
  const jobOf = async (response: Response): Promise<Json> => {
    const body = (await response.json()) as Json;
    if (form === 'seed') {
      assert.ok(!Array.isArray(body.data), 'seed form: data is one object');
      return body.data;
    }
    assert.ok(Array.isArray(body.data) && body.data.length === 1, 'spec form: data is a one-element array');
    return body.data[0];
  };

  it(`goes queued → processing → 303 with a ${form === 'seed' ? 'relative' : 'absolute'} Location to the download, whose storage downloads`, async () => {
    const formats = await getJson(`${emulator.baseUrl}/data/v1/projects/${project}/versions/${enc(rvtTip)}/downloadFormats`, token);
    assert.deepEqual(formats.body.data.attributes.formats.map((f: Json) => f.fileType), ['dwf', 'ifc', 'nwc']);

    const created = await create(rvtTip, 'dwf');
    assert.equal(created.status, 202);
    const job = await jobOf(created);
    assert.equal(job.type, 'jobs');
    assert.equal(job.attributes.status, 'queued');
    const jobPath = `/data/v1/projects/${project}/jobs/${job.id}`;
    assert.equal(job.links.self.href, form === 'seed' ? jobPath : `${emulator.baseUrl}${jobPath}`);

    const statuses: string[] = [];
    let location: string | null = null;
    for (let poll = 0; poll < 5 && !location; poll++) {
      const response = await fetch(`${emulator.baseUrl}/data/v1/projects/${project}/jobs/${job.id}`, { headers: { authorization: `Bearer ${token}` }, redirect: 'manual' });
      if (response.status === 303) {
        location = response.headers.get('location');
        assert.equal(await response.text(), '');
      } else statuses.push(((await response.json()) as Json).data.attributes.status);
    }
    assert.deepEqual(statuses, ['queued', 'processing']);
    const downloadPath = `/data/v1/projects/${project}/downloads/${job.id}`;
    assert.equal(location, form === 'seed' ? downloadPath : `${emulator.baseUrl}${downloadPath}`);

    const download = await getJson(new URL(location as string, emulator.baseUrl).toString(), token);
    assert.equal(download.body.data.attributes.format.fileType, 'dwf');
    assert.equal(download.body.data.relationships.source.data.id, rvtTip);
    const storage = storageKeyOf(download.body.data.relationships.storage.data.id);
    const signed = await signedUrlFor(emulator, token, `${storage.bucketKey}/${storage.objectKey}`);
    assert.equal(sha1(Buffer.from(await (await fetch(signed.url)).arrayBuffer())), signed.sha1);

    const listed = await getJson(`${emulator.baseUrl}/data/v1/projects/${project}/versions/${enc(rvtTip)}/downloads?filter%5Bformat.fileType%5D=dwf`, token);
    assert.deepEqual(listed.body.data.map((d: Json) => d.id), [job.id]);
  });

  it('auto-followed redirects land on the download resource', async () => {
    const job = await jobOf(await create(rvtTip, 'ifc'));
    let body: Json;
    for (let poll = 0; poll < 5; poll++) {
      const follow = await fetch(`${emulator.baseUrl}/data/v1/projects/${project}/jobs/${job.id}`, { headers: { authorization: `Bearer ${token}` } });
      body = await follow.json();
      if (body.data.type === 'downloads') break;
    }
    assert.equal(body.data.type, 'downloads');
  });

  it('fails with failJob, never finishes when stuck, and refuses bad requests and ACC projects', async () => {
    emulator.faults.add({ kind: 'failJob', count: 1 });
    const failed = await jobOf(await create(rvtTip, 'nwc'));
    const seen: string[] = [];
    for (let poll = 0; poll < 4; poll++) seen.push((await getJson(`${emulator.baseUrl}/data/v1/projects/${project}/jobs/${failed.id}`, token)).body.data.attributes.status);
    assert.deepEqual(seen, ['queued', 'processing', 'failed', 'failed']);

    emulator.faults.add({ kind: 'failJob', stuck: true, count: 1 });
    const stuck = await jobOf(await create(rvtTip, 'nwc'));
    for (let poll = 0; poll < 6; poll++) await getJson(`${emulator.baseUrl}/data/v1/projects/${project}/jobs/${stuck.id}`, token);
    assert.equal((await getJson(`${emulator.baseUrl}/data/v1/projects/${project}/jobs/${stuck.id}`, token)).body.data.attributes.status, 'processing');

    assert.equal((await create(rvtTip, 'pdf')).status, 400, 'fileType not in downloadFormats');
    assert.equal((await create(rvtTip, 'dwf', project, 'application/json')).status, 400, 'needs application/vnd.api+json');
    assert.equal((await create('urn:adsk.wipprod:fs.file:vf.nope?version=1', 'dwf')).status, 404);
    const accItem = emulator.seed.items.find((i) => i.id === emulator.seed.ids.items.accModelRvt)!;
    const acc = await create(accItem.versions[1].id, 'dwf', emulator.seed.ids.accProject);
    assert.equal(acc.status, 400);
    assert.equal(((await acc.json()) as Json).errors[0].status, '400');
  });
});
