import * as assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import * as path from 'node:path';
import { safeJoin } from '../../../src/core/download/localNames';
import type { AggregateProgress, BulkItem } from '../../../src/core/transfer';
import { FAST, KiB, listFiles, sha1OfFile, useTransferHarness } from './harness';

describe('transfer: many files', function () {
  this.timeout(60_000);
  const h = useTransferHarness();

  it('downloads a folder tree through one bounded queue, collecting failures while the rest continue', async () => {
    const layout = ['Project Files/A.rvt', 'Project Files/Sub/B.dwg', 'Project Files/Sub/Deeper/C.pdf', 'Plans/D.pdf', 'E.txt'];
    const objects = await Promise.all(layout.map((_, i) => h.emulator.addObject({ size: 100 * KiB + i * 7919 })));
    const root = path.join(h.dir, 'root');
    const items: BulkItem[] = layout.map((relative, i) => ({ source: h.source(objects[i]), target: path.join(root, relative), size: objects[i].size }));
    items.splice(2, 0, { source: h.source({ bucketKey: 'wip.dm.prod', objectKey: 'missing.bin' }), target: path.join(root, 'Project Files', 'Missing.rvt') });
    const aggregates: AggregateProgress[] = [];
    const result = await h.engine().downloadMany(items, { ...FAST, root, concurrentFiles: 2, onProgress: (p) => aggregates.push(p) });

    assert.equal(result.results.length, items.length);
    assert.equal(result.failures.length, 1);
    assert.equal(path.basename(result.failures[0].item.target), 'Missing.rvt');
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
    const root = path.join(h.dir, 'root');
    const items: BulkItem[] = Object.values(seed.ids.items.hostile).map((itemId) => {
      const item = seed.items.find((candidate) => candidate.id === itemId);
      assert.ok(item?.versions[0].storage);
      return { source: h.source(seed.objects[item.versions[0].storage]), target: safeJoin(root, ['..', 'Hostile Names', item.displayName]) };
    });
    for (const names of [['/etc', 'passwd'], ['C:\\Windows', 'System32', 'x.dll']]) items.push({ source: items[0].source, target: safeJoin(root, names) });
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
    const items: BulkItem[] = [{ source: h.source(object), target: path.join(root, 'same.bin') }];
    await h.engine().downloadMany(items, { ...FAST, root });
    const skipped = await h.engine().downloadMany(items, { ...FAST, root, conflict: 'skip' });
    assert.equal(skipped.results[0].status, 'skipped');
    const kept = await h.engine().downloadMany(items, { ...FAST, root, conflict: 'keepBoth' });
    assert.equal(path.basename(kept.results[0].result?.path ?? ''), 'same (1).bin');
    await h.engine().downloadMany(items, { ...FAST, root, conflict: 'overwrite' });
    assert.deepEqual(await listFiles(root), ['same (1).bin', 'same.bin']);
  });
});
