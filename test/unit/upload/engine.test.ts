import * as assert from 'node:assert/strict';
import { FAST, MiB, useUploadHarness } from './harness';

describe('upload engine: files into a folder', function () {
  this.timeout(60_000);
  const h = useUploadHarness();

  it('uploads a file as a new item whose bytes APS holds exactly', async () => {
    const local = await h.file('Model.rvt', 12 * MiB + 5);
    const engine = h.engine();
    const plan = await engine.plan([local.path], h.target());
    assert.deepEqual(plan.summary, { files: 1, bytes: local.size, newItems: 1, newVersions: 0, newFolders: 0, skipped: 0, refused: 0 });
    const result = await engine.run(plan, { ...FAST, connections: 4 });
    assert.equal(result.uploaded.length, 1, JSON.stringify(result.plan.files) + h.log.join('\n'));
    const item = await h.item('Model.rvt');
    assert.ok(item);
    const [version] = await h.versions(item.id);
    assert.equal(await h.storedSha1(version), local.sha1);
    assert.equal(result.uploaded[0].result?.sha1, local.sha1);
  });
});
