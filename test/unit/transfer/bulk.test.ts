import * as assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import * as path from 'node:path';
import type { BulkItem } from '../../../src/core/transfer/bulk';
import type { AggregateProgress } from '../../../src/core/transfer/types';
import { FAST, KiB, listFiles, sha1OfFile, useTransferHarness } from './harness';

describe('transfer: many files', function () {
  this.timeout(60_000);
  const h = useTransferHarness();

  it('downloads a folder tree through one bounded queue, collecting failures while the rest continue', async () => {
    const layout = ['Project Files/A.rvt', 'Project Files/Sub/B.dwg', 'Project Files/Sub/Deeper/C.pdf', 'Plans/D.pdf', 'E.txt'];
    const objects = await Promise.all(layout.map((_, i) => h.emulator.addObject({ size: 100 * KiB + i * 7919 })));
    const items: BulkItem[] = layout.map((relative, i) => ({ source: h.source(objects[i]), path: relative.split('/'), size: objects[i].size }));
    items.splice(2, 0, { source: h.source({ bucketKey: 'wip.dm.prod', objectKey: 'missing.bin' }), path: ['Project Files', 'Missing.rvt'] });
    const root = path.join(h.dir, 'root');
    const aggregates: AggregateProgress[] = [];
    const result = await h.engine().downloadMany(items, { ...FAST, root, concurrentFiles: 2, onProgress: (p) => aggregates.push(p) });

    assert.equal(result.results.length, items.length);
    assert.equal(result.failures.length, 1);
    assert.equal(result.failures[0].item.path[1], 'Missing.rvt');
    assert.equal(result.failures[0].error?.code, 'not-found');
    assert.deepEqual(await listFiles(root), [...layout].sort());
    for (const [i, relative] of layout.entries()) assert.equal(await sha1OfFile(path.join(root, relative)), objects[i].sha1);

    const last = aggregates[aggregates.length - 1];
    assert.equal(last.files, items.length);
    assert.equal(last.finishedFiles, layout.length);
    assert.equal(last.failedFiles, 1);
    assert.equal(last.transferredBytes, objects.reduce((sum, o) => sum + o.size, 0));
    for (let i = 1; i < aggregates.length; i++) assert.ok(aggregates[i].transferredBytes >= aggregates[i - 1].transferredBytes);
  });

  it('keeps every hostile server name inside the chosen root', async () => {
    const seed = h.emulator.seed;
    const items: BulkItem[] = Object.values(seed.ids.items.hostile).map((itemId) => {
      const item = seed.items.find((candidate) => candidate.id === itemId);
      assert.ok(item?.versions[0].storage);
      const stored = seed.objects[item.versions[0].storage];
      return { source: h.source(stored), path: ['..', 'Hostile Names', item.displayName] };
    });
    items.push({ source: items[0].source, path: ['/etc', 'passwd'] }, { source: items[0].source, path: ['C:\\Windows', 'System32', 'x.dll'] });
    const root = path.join(h.dir, 'root');
    const result = await h.engine().downloadMany(items, { ...FAST, root });
    assert.deepEqual(result.failures, []);
    assert.deepEqual(await readdir(h.dir), ['root'], 'nothing written beside the root');
    const files = await listFiles(root);
    assert.equal(files.length, items.length);
    for (const file of files) {
      for (const segment of file.split(path.sep)) {
        assert.ok(Buffer.byteLength(segment) <= 255);
        assert.ok(!/[<>:"|?*\\]/.test(segment) && !/[. ]$/.test(segment) && segment !== '..', segment);
        assert.ok(!/^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i.test(segment), segment);
      }
    }
    assert.ok(files.some((f) => f.endsWith('evil.rvt')));
    assert.ok(files.some((f) => f.includes('Ünïcødé 设计 📐.dwg')));
  });

  it('applies the conflict policy to existing files', async () => {
    const object = await h.emulator.addObject({ size: 10 * KiB });
    const root = path.join(h.dir, 'root');
    const items: BulkItem[] = [{ source: h.source(object), path: ['same.bin'] }];
    await h.engine().downloadMany(items, { ...FAST, root });
    const skipped = await h.engine().downloadMany(items, { ...FAST, root, conflict: 'skip' });
    assert.equal(skipped.results[0].status, 'skipped');
    const kept = await h.engine().downloadMany(items, { ...FAST, root, conflict: 'keepBoth' });
    assert.equal(path.basename(kept.results[0].result?.path ?? ''), 'same (1).bin');
    await h.engine().downloadMany(items, { ...FAST, root, conflict: 'overwrite' });
    assert.deepEqual(await listFiles(root), ['same (1).bin', 'same.bin']);
  });
});
