import * as assert from 'node:assert/strict';
import { fromBase64UrlUrn, parseStorageUrn, parseWebLink, toBase64UrlUrn, versionNumberOf, withBPrefix, withoutBPrefix } from '../../../src/core/dm/ids';

describe('core/dm/ids', () => {
  it('adds and strips the b. prefix only where it belongs', () => {
    assert.equal(withBPrefix('c2960674-2d1e-4cc8-a5f0-4b9026fd3f5d'), 'b.c2960674-2d1e-4cc8-a5f0-4b9026fd3f5d');
    assert.equal(withBPrefix('b.c2960674-2d1e-4cc8-a5f0-4b9026fd3f5d'), 'b.c2960674-2d1e-4cc8-a5f0-4b9026fd3f5d');
    assert.equal(withBPrefix('a.cGVyc29uYWw6cGUyOWNjZjMy'), 'a.cGVyc29uYWw6cGUyOWNjZjMy');
    assert.equal(withoutBPrefix('b.a4be0c34a-4ab7'), 'a4be0c34a-4ab7');
    assert.equal(withoutBPrefix('a4be0c34a-4ab7'), 'a4be0c34a-4ab7');
  });

  it('encodes version URNs as unpadded base64url (the documented example)', () => {
    const urn = 'urn:adsk.wipqa:fs.file:vf.pf3frU0gTZaOotKXg2h1Fw?version=1';
    assert.equal(toBase64UrlUrn(urn), 'dXJuOmFkc2sud2lwcWE6ZnMuZmlsZTp2Zi5wZjNmclUwZ1RaYU9vdEtYZzJoMUZ3P3ZlcnNpb249MQ');
    assert.equal(fromBase64UrlUrn(toBase64UrlUrn(urn)), urn);
    assert.equal(versionNumberOf(urn), 1);
  });

  it('splits storage URNs into bucket and object key', () => {
    assert.deepEqual(parseStorageUrn('urn:adsk.objects:os.object:wip.dm.prod/977d69b1-43e7-40fa-8ece-6ec4602892f3.rvt'), {
      bucketKey: 'wip.dm.prod',
      objectKey: '977d69b1-43e7-40fa-8ece-6ec4602892f3.rvt',
    });
    assert.deepEqual(parseStorageUrn('urn:adsk.objects:os.object:b/dir/x.rvt'), { bucketKey: 'b', objectKey: 'dir/x.rvt' });
    assert.equal(parseStorageUrn('urn:adsk.objects:os.object:nobucket'), undefined);
    assert.equal(parseStorageUrn('urn:other'), undefined);
  });

  it('reads ids from BIM 360 and ACC web links', () => {
    const folder = 'urn:adsk.wipprod:fs.folder:co.abc';
    const item = 'urn:adsk.wipprod:dm.lineage:xyz';
    assert.deepEqual(
      parseWebLink(`https://docs.b360.autodesk.com/projects/c2960674-2d1e-4cc8-a5f0-4b9026fd3f5d/folders/${encodeURIComponent(folder)}/detail/viewer/items/${encodeURIComponent(item)}`),
      { projectId: 'b.c2960674-2d1e-4cc8-a5f0-4b9026fd3f5d', folderId: folder, itemId: item },
    );
    assert.deepEqual(
      parseWebLink(`https://acc.autodesk.com/docs/files/projects/c2960674-2d1e-4cc8-a5f0-4b9026fd3f5d?folderUrn=${encodeURIComponent(folder)}&entityId=${encodeURIComponent(item)}&viewModel=detail`),
      { projectId: 'b.c2960674-2d1e-4cc8-a5f0-4b9026fd3f5d', folderId: folder, itemId: item },
    );
    assert.equal(parseWebLink('not a url'), undefined);
    assert.equal(parseWebLink('https://example.com/nothing'), undefined);
  });
});
