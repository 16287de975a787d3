import { strict as assert } from 'node:assert';
import { isTextLike, looksLikeText, textnessByName } from '../../../src/core/compare/textLike';
import { orderPair, pairProblem, previousVersion, versionedFileName } from '../../../src/core/compare/versionPair';
import { parseWebLink } from '../../../src/core/dm/ids';
import type { Project, Version } from '../../../src/core/dm/models';
import { docsWebLink } from '../../../src/core/dm/webLinks';
import { DOOR_SCHEDULE_CSV, FRAME_IFC, TITLE_BLOCK_DXF } from '../../emulator/seedTexts';

const version = (fields: Partial<Version>): Version => ({ type: 'versions', id: 'v', projectId: 'b.p', name: 'x', extensionType: '', isSheet: false, ...fields });

describe('core/compare', () => {
  it('tells text from binary by extension and by the first bytes', () => {
    assert.equal(textnessByName('Door Schedule.csv'), 'text');
    assert.equal(textnessByName('Frame.IFC'), 'text');
    assert.equal(textnessByName('Tower.rvt'), 'binary');
    assert.equal(textnessByName('README'), 'unknown');
    assert.ok(looksLikeText(Buffer.from(DOOR_SCHEDULE_CSV[0])));
    assert.ok(looksLikeText(Buffer.from(FRAME_IFC[1])));
    assert.ok(!looksLikeText(TITLE_BLOCK_DXF[0]), 'binary DXF');
    assert.ok(!isTextLike('Title Block.dxf', TITLE_BLOCK_DXF[0]), 'a .dxf whose bytes are binary');
    assert.ok(!isTextLike('notes.rvt', Buffer.from('plain words')), 'the extension says binary');
    assert.ok(isTextLike('README', Buffer.from('plain words\n')));
    assert.ok(looksLikeText(Buffer.from([0xff, 0xfe, 0x41, 0x00])), 'UTF-16 with a byte-order mark');
    assert.ok(!looksLikeText(Buffer.from([0xc3, 0x28, 0x41])), 'invalid UTF-8');
    const cut = Buffer.from(`${'a'.repeat(8191)}é`);
    assert.ok(looksLikeText(cut), 'a character cut at the sniff boundary');
    assert.ok(!looksLikeText(Buffer.from('a\x01b\x02c\x03d\x04e\x05'.repeat(10))), 'control characters');
  });

  it('orders two versions of one file and refuses pairs that cannot be compared', () => {
    const v1 = version({ id: 'i?version=1', itemId: 'i', versionNumber: 1, storage: { bucketKey: 'b', objectKey: '1' } });
    const v3 = version({ id: 'i?version=3', itemId: 'i', versionNumber: 3, storage: { bucketKey: 'b', objectKey: '3' } });
    const v2 = version({ id: 'i?version=2', itemId: 'i', versionNumber: 2, storage: { bucketKey: 'b', objectKey: '2' } });
    assert.deepEqual(orderPair(v3, v1), [v1, v3]);
    assert.deepEqual(orderPair(v1, v3), [v1, v3]);
    assert.equal(pairProblem(v1, v3), undefined);
    assert.deepEqual(pairProblem(v1, version({ id: 'j?version=1', itemId: 'j', storage: v1.storage })), { kind: 'different-items' });
    assert.deepEqual(pairProblem(v1, v1), { kind: 'same-version' });
    const sheet = version({ id: 'i?version=4', itemId: 'i', versionNumber: 4 });
    assert.deepEqual(pairProblem(v1, sheet), { kind: 'no-storage', version: sheet });
    assert.equal(previousVersion([v3, v2, v1], v3), v2);
    assert.equal(previousVersion([v1, v3], v3), v1);
    assert.equal(previousVersion([v3, v1], v1), undefined);
    assert.equal(versionedFileName('Door Schedule.csv', 2), 'Door Schedule (v2).csv');
    assert.equal(versionedFileName('README', 1), 'README (v1)');
  });

  it('links to Autodesk Docs: APS links first, else built from ids in the form the web apps read back', () => {
    const bim: Pick<Project, 'id' | 'kind' | 'webViewUrl'> = { id: 'b.11111111-2222-4333-a444-555555555555', kind: 'bim360' };
    const acc: Pick<Project, 'id' | 'kind' | 'webViewUrl'> = { id: 'b.66666666-2222-4333-a444-555555555555', kind: 'acc' };
    const folderId = 'urn:adsk.wipprod:fs.folder:co.abc';
    const itemId = 'urn:adsk.wipprod:dm.lineage:xyz';
    assert.equal(docsWebLink({ webViewUrl: 'https://example.com/x', project: bim }), 'https://example.com/x');
    assert.equal(docsWebLink({ project: { id: 'a.x', kind: 'fusion' } }), undefined);
    assert.equal(docsWebLink({ project: bim }), 'https://docs.b360.autodesk.com/projects/11111111-2222-4333-a444-555555555555');
    assert.match(docsWebLink({ project: bim, region: 'EMEA' })!, /^https:\/\/docs\.b360\.eu\.autodesk\.com\//);
    for (const project of [bim, acc]) {
      const forItem = parseWebLink(docsWebLink({ project, folderId, itemId })!);
      assert.deepEqual(forItem, { projectId: project.id, folderId, itemId });
      assert.deepEqual(parseWebLink(docsWebLink({ project, folderId })!), { projectId: project.id, folderId });
    }
  });
});
