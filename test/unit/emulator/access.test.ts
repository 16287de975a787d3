import { strict as assert } from 'node:assert';
import { startEmulator, type RunningEmulator } from '../../emulator/index';
import { enc, getJson, type Json } from './helpers';

describe('emulator: who sees what (tokens, x-user-id, roles)', () => {
  let emulator: RunningEmulator;
  let app: string;
  before(async () => {
    emulator = await startEmulator({ hubWarnings: true });
    app = emulator.issueToken({ scopes: ['data:read'] });
  });
  after(() => emulator.close());

  const topFolderNames = async (token: string, headers: Record<string, string> = {}) => {
    const { ids } = emulator.seed;
    const { status, body } = await getJson(`${emulator.baseUrl}/project/v1/hubs/${ids.bim360Hub}/projects/${ids.bim360Project}/topFolders`, token, headers);
    return { status, names: status === 200 ? body.data.map((f: Json) => f.attributes.name) : body };
  };

  it('2-legged tokens see account hubs only; 3-legged tokens see the user personal hub too; warnings ride along', async () => {
    const { ids } = emulator.seed;
    const twoLegged = await getJson(`${emulator.baseUrl}/project/v1/hubs`, app);
    assert.deepEqual(twoLegged.body.data.map((h: Json) => h.id).sort(), [ids.bim360Hub, ids.accHub].sort());
    assert.equal(twoLegged.body.meta.warnings[0].ErrorCode, 'BIM360DM_ERROR');
    const demo = emulator.issueToken({ scopes: ['data:read'], userId: ids.users.demo });
    const threeLegged = await getJson(`${emulator.baseUrl}/project/v1/hubs`, demo);
    assert.ok(threeLegged.body.data.some((h: Json) => h.id === ids.personalHub));
    const personalWith2Legged = await getJson(`${emulator.baseUrl}/project/v1/hubs/${ids.personalHub}/projects`, app);
    assert.equal(personalWith2Legged.status, 403);
  });

  it('topFolders: real top folders without a user; the highest readable folders for a limited user (x-user-id)', async () => {
    const { ids } = emulator.seed;
    assert.deepEqual((await topFolderNames(app)).names, ['Project Files', 'Plans']);
    assert.deepEqual((await topFolderNames(app, { 'x-user-id': ids.users.limited })).names, ['Level 2']);
    const limited3Legged = emulator.issueToken({ scopes: ['data:read'], userId: ids.users.limited });
    assert.deepEqual((await topFolderNames(limited3Legged, { 'x-user-id': ids.users.admin })).names, ['Level 2'], '3-legged ignores x-user-id');
    const level1 = await getJson(`${emulator.baseUrl}/data/v1/projects/${ids.bim360Project}/folders/${enc(ids.folders.level1)}/contents`, limited3Legged);
    assert.equal(level1.status, 403);
  });

  it('a project without Docs access is listed but its topFolders and data answer 403', async () => {
    const { ids } = emulator.seed;
    const demo = emulator.issueToken({ scopes: ['data:read'], userId: ids.users.demo });
    const projects = await getJson(`${emulator.baseUrl}/project/v1/hubs/${ids.bim360Hub}/projects`, demo);
    assert.ok(projects.body.data.some((p: Json) => p.id === ids.forbiddenProject));
    const top = await getJson(`${emulator.baseUrl}/project/v1/hubs/${ids.bim360Hub}/projects/${ids.forbiddenProject}/topFolders`, demo);
    assert.equal(top.status, 403);
    assert.equal(top.body.errors[0].status, '403');
    const limited = emulator.issueToken({ scopes: ['data:read'], userId: ids.users.limited });
    const direct = await getJson(`${emulator.baseUrl}/project/v1/hubs/${ids.bim360Hub}/projects/${ids.forbiddenProject}`, limited);
    assert.equal(direct.status, 403, 'non-members are refused');
  });

  it('hides restricted folders from members, shows hidden content only with includeHidden, and search needs a user', async () => {
    const { ids } = emulator.seed;
    const url = `${emulator.baseUrl}/data/v1/projects/${ids.bim360Project}/folders/${enc(ids.folders.bim360ProjectFiles)}/contents`;
    const names = (body: Json) => body.data.map((e: Json) => (e.type === 'folders' ? e.attributes.name : e.attributes.displayName));
    const member = await getJson(url, app, { 'x-user-id': ids.users.demo });
    assert.ok(!names(member.body).includes('Confidential'));
    const admin = await getJson(url, app, { 'x-user-id': ids.users.admin });
    assert.ok(names(admin.body).includes('Confidential'));
    assert.ok(!names(admin.body).includes('Old Site.dwg'));
    const hidden = await getJson(`${url}?includeHidden=true`, app);
    assert.ok(names(hidden.body).includes('Old Site.dwg') && names(hidden.body).includes('Deleted Stuff'));

    const search = `${emulator.baseUrl}/data/v1/projects/${ids.bim360Project}/folders/${enc(ids.folders.level1)}/search?filter%5BfileType%5D=txt`;
    const searcher = emulator.issueToken({ scopes: ['data:read', 'data:search'] });
    const bare = await getJson(search, searcher);
    assert.equal(bare.status, 403);
    assert.equal(bare.body.errors[0].code, 'USER_NOT_AUTHENTICATED');
    const found = await getJson(search, searcher, { 'x-user-id': ids.users.demo });
    assert.deepEqual(found.body.data.map((v: Json) => v.attributes.name).sort(), ['Level 1 Note.txt', 'Level 2 Note.txt', 'Level 3 Note.txt', 'Level 4 Note.txt']);
    assert.equal(found.body.included.length, 4);
  });

  it('refuses missing, unknown, expired and under-scoped tokens with gateway bodies', async () => {
    const url = `${emulator.baseUrl}/project/v1/hubs`;
    const missing = await fetch(url);
    assert.equal(missing.status, 401);
    assert.ok(((await missing.json()) as Json).developerMessage);
    assert.equal((await getJson(url, 'not-a-token')).status, 401);

    const noRead = emulator.issueToken({ scopes: ['data:create'] });
    const scoped = await getJson(url, noRead);
    assert.equal(scoped.status, 403);
    assert.equal(scoped.body.errorCode, 'AUTH-010');
    const readOnly = emulator.issueToken({ scopes: ['data:read'] });
    const post = await fetch(`${emulator.baseUrl}/data/v1/projects/${emulator.seed.ids.bim360Project}/downloads`, {
      method: 'POST',
      headers: { authorization: `Bearer ${readOnly}`, 'content-type': 'application/vnd.api+json' },
      body: '{}',
    });
    assert.equal(post.status, 403, 'POST needs data:create or data:write');

    const shortLived = emulator.issueToken({ scopes: ['data:read'], ttlSeconds: 30 });
    assert.equal((await getJson(url, shortLived)).status, 200);
    emulator.clock.advance(31_000);
    const expired = await getJson(url, shortLived);
    assert.equal(expired.status, 401);
    assert.ok(expired.body.developerMessage);
    const fresh = emulator.issueToken({ scopes: ['data:read'] });
    emulator.expireTokens();
    assert.equal((await getJson(url, fresh)).status, 401);
  });

  it('applies per-endpoint rate-limit budgets when asked, with 429 and Retry-After', async () => {
    const limited = await startEmulator({ rateLimits: { 'project.hubs': 2 } });
    try {
      const token = limited.issueToken({ scopes: ['data:read'] });
      const statuses: number[] = [];
      let retryAfter: string | null = null;
      for (let i = 0; i < 3; i++) {
        const response = await getJson(`${limited.baseUrl}/project/v1/hubs`, token);
        statuses.push(response.status);
        retryAfter ??= response.headers.get('retry-after');
      }
      assert.deepEqual(statuses, [200, 200, 429]);
      assert.match(retryAfter ?? '', /^\d+$/);
      assert.equal((await getJson(`${limited.baseUrl}/project/v1/hubs/${limited.seed.ids.bim360Hub}`, token)).status, 200, 'budgets are per endpoint');
      limited.clock.advance(60_000);
      assert.equal((await getJson(`${limited.baseUrl}/project/v1/hubs`, token)).status, 200, 'the window resets');
    } finally {
      await limited.close();
    }
  });

  it('adds files to seeded folders at run time', async () => {
    const { ids } = emulator.seed;
    const added = emulator.addFile({ projectId: ids.bim360Project, folderId: ids.folders.level4, name: 'Extra.dwg', sizes: [10, 20] });
    const token = emulator.issueToken({ scopes: ['data:read'] });
    const contents = await getJson(`${emulator.baseUrl}/data/v1/projects/${ids.bim360Project}/folders/${enc(ids.folders.level4)}/contents`, token);
    const item = contents.body.data.find((entry: Json) => entry.id === added.itemId);
    assert.equal(item.relationships.tip.data.id, added.versionIds[1]);
    const tip = contents.body.included.find((v: Json) => v.id === added.versionIds[1]);
    assert.equal(tip.attributes.storageSize, 20);
    assert.equal(tip.relationships.storage.data.id, `urn:adsk.objects:os.object:${added.objectKeys[1]}`);
  });
});
