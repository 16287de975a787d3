// Request shapes APS accepts and clients really send (Autodesk's SDK among them): the emulator takes them all.
import { strict as assert } from 'node:assert';
import { startEmulator, type RunningEmulator } from '../../emulator/index';
import { enc, type Json } from './helpers';

describe('emulator: request shapes APS accepts', () => {
  let emulator: RunningEmulator;
  let basic: string;
  before(async () => {
    emulator = await startEmulator();
    const { clientId, clientSecret } = emulator.seed.credentials;
    basic = `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`;
  });
  after(() => emulator.close());

  const token = async (init: { headers: Record<string, string>; body: string }) => {
    const response = await fetch(`${emulator.baseUrl}//authentication/v2/token`, { method: 'POST', ...init });
    return { status: response.status, body: (await response.json()) as Json };
  };

  it('takes runs of slashes in API paths as one, as the gateway does, and logs the path as sent', async () => {
    const { access_token: accessToken } = (
      await token({ headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials&scope=data:read' })
    ).body;
    const { ids } = emulator.seed;
    for (const path of ['//project/v1/hubs', '/project//v1/hubs', `//data/v1/projects/${ids.bim360Project}//folders/${enc(ids.folders.level1)}/contents`]) {
      const response = await fetch(`${emulator.baseUrl}${path}`, { headers: { authorization: `Bearer ${accessToken}` } });
      assert.equal(response.status, 200, path);
      await response.arrayBuffer();
    }
    assert.ok(emulator.requests.list().some((request) => request.path === '//project/v1/hubs'));
  });

  it('takes any header casing and the scheme in any case, form bodies with a charset, and scopes joined by + or spaces', async () => {
    for (const body of ['grant_type=client_credentials&scope=data%3Aread%20data%3Acreate', 'grant_type=client_credentials&scope=data:read+data:create']) {
      const answer = await token({ headers: { AUTHORIZATION: basic.replace('Basic', 'basic'), 'Content-Type': 'application/x-www-form-urlencoded; charset=UTF-8' }, body });
      assert.equal(answer.status, 200, body);
      const introspected = await fetch(`${emulator.baseUrl}/authentication/v2/introspect`, {
        method: 'POST',
        headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token: answer.body.access_token }),
      });
      assert.equal(((await introspected.json()) as Json).scope, 'data:read data:create');
      const hubs = await fetch(`${emulator.baseUrl}/project/v1/hubs`, { headers: { Authorization: `bearer ${answer.body.access_token}` } });
      assert.equal(hubs.status, 200);
      await hubs.arrayBuffer();
    }
  });

  it('takes JSON:API bodies with a charset parameter on POST downloads', async () => {
    const accessToken = emulator.issueToken({ scopes: ['data:read', 'data:create'] });
    const item = emulator.seed.items.find((candidate) => candidate.id === emulator.seed.ids.items.towerRvt)!;
    const response = await fetch(`${emulator.baseUrl}/data/v1/projects/${emulator.seed.ids.bim360Project}/downloads`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${accessToken}`, 'Content-Type': 'application/vnd.api+json; charset=utf-8' },
      body: JSON.stringify({
        jsonapi: { version: '1.0' },
        data: { type: 'downloads', attributes: { format: { fileType: 'ifc' } }, relationships: { source: { data: { type: 'versions', id: item.versions.at(-1)!.id } } } },
      }),
    });
    assert.equal(response.status, 202);
    await response.arrayBuffer();
  });
});
