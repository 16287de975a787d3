import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasDerivatives, pruneThumbnailFolders, ThumbnailCache } from '../../../src/core/derivatives/thumbnails';
import { tipVersionId, twoLeggedClient, useEmulator } from './harness';

describe('core/derivatives thumbnails', () => {
  const emulator = useEmulator();
  let client: ReturnType<typeof twoLeggedClient>;
  let root: string;
  before(() => {
    client = twoLeggedClient(emulator(), undefined, { userId: emulator().seed.ids.users.admin });
    root = mkdtempSync(join(tmpdir(), 'aps-thumbs-'));
  });
  after(async () => {
    await client.close();
    rmSync(root, { recursive: true, force: true });
  });

  const version = (itemId: string) => client.dm.getVersion(emulator().seed.ids.bim360Project, tipVersionId(emulator(), itemId));
  const thumbnailCalls = () => emulator().requests.list({ path: /\/thumbnail$/ });

  it('fetches the small PNG once per version and keeps it on disk for the session', async () => {
    const cache = new ThumbnailCache(join(root, 'session-a'));
    const tower = await version(emulator().seed.ids.items.towerRvt);
    assert.ok(hasDerivatives(tower));
    emulator().requests.clear();
    const first = await cache.get(client.http, tower);
    assert.equal(first.state, 'ready');
    const file = first.state === 'ready' ? first.file : '';
    const direct = await fetch(`${emulator().baseUrl}/modelderivative/v2/designdata/${tower.derivativesId}/thumbnail?width=100`, {
      headers: { authorization: `Bearer ${emulator().issueToken({ scopes: ['data:read'], userId: emulator().seed.ids.users.admin })}` },
    });
    assert.deepEqual(readFileSync(file), Buffer.from(await direct.arrayBuffer()), 'the bytes Model Derivative served');
    assert.equal(readFileSync(file).readUInt32BE(16), 100, '100 pixels wide');
    emulator().requests.clear();
    assert.deepEqual(await cache.get(client.http, tower), first);
    assert.equal(thumbnailCalls().length, 0, 'the second time comes from the cache');
    rmSync(file);
    const again = await cache.get(client.http, tower);
    assert.equal(again.state === 'ready' && existsSync(again.file), true, 'a file removed meanwhile is fetched again');
    assert.equal(thumbnailCalls().length, 1);
    await cache.clear();
    assert.ok(!existsSync(join(root, 'session-a')));

    emulator().requests.clear();
    const together = await Promise.all([cache.get(client.http, tower), cache.get(client.http, tower), cache.get(client.http, tower)]);
    assert.ok(together.every((thumbnail) => thumbnail.state === 'ready'));
    assert.equal(thumbnailCalls().length, 1, 'asked once for callers at the same time');
    await cache.clear();
  });

  it('asks nothing for versions without derivatives, remembers a 404, and asks again while one is generated', async () => {
    const cache = new ThumbnailCache(join(root, 'session-b'));
    const { items } = emulator().seed.ids;
    emulator().requests.clear();
    const notes = await version(items.notesTxt);
    assert.ok(!hasDerivatives(notes));
    assert.deepEqual(await cache.get(client.http, notes), { state: 'none', reason: 'no-derivatives' });
    assert.equal(thumbnailCalls().length, 0);
    assert.ok(!hasDerivatives({ derivativesId: 'x', extractionState: 'UNSUPPORTED' }), 'BIM 360 says it cannot translate it');

    const coordination = await version(items.coordinationNwd);
    assert.deepEqual(await cache.get(client.http, coordination), { state: 'none', reason: 'not-found' });
    await cache.get(client.http, coordination);
    assert.equal(thumbnailCalls().length, 1, 'a 404 is remembered');

    const unprocessed = await client.dm.getVersion(emulator().seed.ids.accProject, tipVersionId(emulator(), items.accUnprocessedDwg));
    assert.deepEqual(await cache.get(client.http, unprocessed), { state: 'pending' });
    await cache.get(client.http, unprocessed);
    assert.equal(thumbnailCalls().length, 3, 'a thumbnail being generated is asked for again');
    await cache.clear();
  });

  it('prunes session folders left behind long ago, and only those', async () => {
    const old = join(root, 'crashed');
    const live = join(root, 'other-window');
    mkdirSync(old);
    mkdirSync(live);
    const dayAgo = (Date.now() - 2 * 24 * 3600_000) / 1000;
    utimesSync(old, dayAgo, dayAgo);
    await pruneThumbnailFolders(root, 24 * 3600_000);
    assert.ok(!existsSync(old));
    assert.ok(existsSync(live));
    await pruneThumbnailFolders(join(root, 'missing'), 1);
  });
});
