import * as assert from 'node:assert/strict';
import { readFile, stat, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { setTimeout as wait } from 'node:timers/promises';
import { IntervalSet, type Interval } from '../../../src/core/transfer/plan/intervals';
import { parseJournal } from '../../../src/core/transfer/disk/journal';
import { partFilesFor } from '../../../src/core/transfer/disk/partFiles';
import { urlSource } from '../../../src/core/transfer/sources/urlSource';
import type { DownloadOptions } from '../../../src/core/transfer/types';
import { FAST, KiB, listFiles, MiB, objectPath, requestedRanges, sha1OfFile, spawnCli, useTransferHarness } from './harness';

async function journalDone(journalPath: string): Promise<readonly Interval[] | undefined> {
  const text = await readFile(journalPath, 'utf8').catch(() => undefined);
  return text === undefined ? undefined : parseJournal(text)?.done;
}

describe('transfer: resume', function () {
  this.timeout(60_000);
  const h = useTransferHarness();
  const options: DownloadOptions = { ...FAST, connections: 4, chunkSize: 256 * KiB, singleRequestThreshold: 0 };

  it('after kill -9 of a downloading CLI, fetches only the ranges the journal lacks', async () => {
    const size = 20 * MiB;
    const object = await h.emulator.addObject({ size });
    h.emulator.faults.add({ kind: 'bandwidth', bytesPerSecond: 512 * KiB, path: objectPath(object.objectKey) });
    const target = path.join(h.dir, 'model.rvt');
    const journalPath = partFilesFor(target).journal;
    const url = h.emulator.signedUrl(object.bucketKey, object.objectKey, { minutes: 60 });
    const child = spawnCli(['download', url, target, '--connections', '4', '--chunk-size', '256K']);
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    let recorded: readonly Interval[] | undefined;
    for (let i = 0; i < 300 && !(recorded && IntervalSet.from(recorded).size >= 1 * MiB); i++) {
      await wait(50);
      recorded = await journalDone(journalPath);
    }
    assert.ok(recorded, `the child wrote no journal; stderr: ${stderr}`);
    child.kill('SIGKILL');
    assert.equal(await exited, 'SIGKILL');
    const journaled = IntervalSet.from((await journalDone(journalPath)) ?? []);
    assert.ok(journaled.size > 0 && journaled.size < size, 'killed mid-download');
    await assert.rejects(stat(target), 'no file under the final name after the kill');

    h.emulator.faults.clear();
    h.emulator.requests.clear();
    const engine = h.engine();
    const result = await engine.download(urlSource(url, engine.dispatcher), target, options);
    assert.equal(result.resumedBytes, journaled.size);
    assert.equal(await sha1OfFile(target), object.sha1);

    const covered = IntervalSet.from(journaled.toArray());
    const downloads = h.storageRequests().filter((request) => request.range !== 'bytes=0-0');
    for (const [start, end] of requestedRanges(downloads, object.objectKey, size)) {
      assert.equal(journaled.coveredWithin(start, end + 1), 0, `bytes ${start}-${end} were already journaled`);
      covered.add(start, end + 1);
    }
    assert.equal(covered.size, size);
    assert.deepEqual(await listFiles(h.dir), ['model.rvt']);
    assert.match(stderr, /\d+% · .* of 20\.0 MiB/, 'the CLI reports progress on stderr');
    assert.ok(!/X-Amz-Signature=[0-9a-f]{16}/i.test(stderr), 'no signature in the CLI output');
  });

  async function cancelHalfway(object: { bucketKey: string; objectKey: string }, target: string): Promise<void> {
    const fault = h.emulator.faults.add({ kind: 'bandwidth', bytesPerSecond: 1 * MiB, path: objectPath(object.objectKey) });
    const controller = new AbortController();
    const journalPath = partFilesFor(target).journal;
    const running = h.engine().download(h.source(object), target, { ...options, signal: controller.signal });
    for (let i = 0; i < 200 && !(await journalDone(journalPath))?.length; i++) await wait(20);
    controller.abort();
    await assert.rejects(running, { code: 'cancelled' });
    h.emulator.faults.remove(fault);
    assert.ok((await journalDone(journalPath))?.length, 'cancel kept the journal');
  }

  it('continues after a cancel', async () => {
    const object = await h.emulator.addObject({ size: 4 * MiB });
    const target = path.join(h.dir, 'a.bin');
    await cancelHalfway(object, target);
    const result = await h.engine().download(h.source(object), target, options);
    assert.ok(result.resumedBytes > 0);
    assert.equal(result.sha1, object.sha1);
  });

  it('starts over cleanly when the object changed since the journal (same size, new sha1)', async () => {
    const object = await h.emulator.addObject({ size: 4 * MiB });
    const target = path.join(h.dir, 'b.bin');
    await cancelHalfway(object, target);
    const replaced = await h.emulator.replaceObject(object.bucketKey, object.objectKey, { size: 4 * MiB });
    h.emulator.requests.clear();
    const result = await h.engine().download(h.source(object), target, options);
    assert.equal(result.resumedBytes, 0);
    assert.equal(result.sha1, replaced.sha1);
    assert.ok(requestedRanges(h.storageRequests(), object.objectKey, object.size).some(([start]) => start === 0));
    assert.equal(await sha1OfFile(target), replaced.sha1);
  });

  it('starts over cleanly when the object changed since the journal (new size)', async () => {
    const object = await h.emulator.addObject({ size: 4 * MiB });
    const target = path.join(h.dir, 'c.bin');
    await cancelHalfway(object, target);
    const replaced = await h.emulator.replaceObject(object.bucketKey, object.objectKey, { size: 3 * MiB + 5 });
    const result = await h.engine().download(h.source(object), target, options);
    assert.equal(result.resumedBytes, 0);
    assert.equal(result.sha1, replaced.sha1);
  });

  for (const [label, damage] of [
    ['garbage', 'not json {'],
    ['truncated', (text: string) => text.slice(0, Math.floor(text.length / 2))],
    ['ranges beyond the size', (text: string) => text.replace(/"done":\[.*\]/, '"done":[[0,999999999]]')],
  ] as const) {
    it(`starts over cleanly from a damaged journal (${label})`, async () => {
      const object = await h.emulator.addObject({ size: 2 * MiB });
      const target = path.join(h.dir, 'd.bin');
      await cancelHalfway(object, target);
      const journalPath = partFilesFor(target).journal;
      const text = await readFile(journalPath, 'utf8');
      await writeFile(journalPath, typeof damage === 'string' ? damage : damage(text));
      h.emulator.requests.clear();
      const result = await h.engine().download(h.source(object), target, options);
      assert.equal(result.resumedBytes, 0);
      assert.equal(result.sha1, object.sha1);
      assert.ok(requestedRanges(h.storageRequests(), object.objectKey, object.size).some(([start]) => start === 0));
    });
  }

  it('starts over when the partial file is shorter than the journal says', async () => {
    const object = await h.emulator.addObject({ size: 2 * MiB });
    const target = path.join(h.dir, 'e.bin');
    await cancelHalfway(object, target);
    await writeFile(partFilesFor(target).data, '');
    const result = await h.engine().download(h.source(object), target, options);
    assert.equal(result.resumedBytes, 0);
    assert.equal(result.sha1, object.sha1);
  });
});
