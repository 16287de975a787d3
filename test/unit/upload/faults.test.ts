// The upload engine under the emulator's faults: parts reset, refused with a 5xx, or on an expired URL; an upload
// session that is gone; answers to POST items / versions / folders / completion lost after APS acted; cancel and
// resume; a local file that changes. Every run ends with the exact bytes in APS, once, or a clean failure.
import * as assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { setTimeout as wait } from 'node:timers/promises';
import { ApsError } from '../../../src/core/http/apsError';
import { journalPath, parseUploadJournal, type JournalKey, type UploadJournalData } from '../../../src/core/upload/journal';
import { UploadEngine, type UploadPlan, type UploadServices } from '../../../src/core/upload';
import { FAST, MiB, sha1Of, useUploadHarness, type LocalFile } from './harness';

const PUT = { origin: 'storage', method: 'PUT' } as const;

describe('upload engine: faults, lost answers, resume', function () {
  this.timeout(120_000);
  const h = useUploadHarness();

  /** The journal of the plan's first file, as it is on disk now. */
  async function journalOf(plan: UploadPlan): Promise<UploadJournalData | undefined> {
    const [file] = plan.files;
    const key: JournalKey = { localPath: file.localPath, projectId: plan.target.projectId, folderId: plan.target.folderId, name: file.name };
    return parseUploadJournal(await readFile(journalPath(h.journalDir, key), 'utf8').catch(() => ''), key);
  }

  /** The one item named `name` in the test's folder holds exactly `local`'s bytes in `versions` versions. */
  async function holds(name: string, local: LocalFile, versions = 1): Promise<void> {
    const items = (await h.contents()).filter((entry) => entry.name === name);
    assert.equal(items.length, 1, `one item named ${name}`);
    const all = await h.versions(items[0].id);
    assert.equal(all.length, versions, `${versions} version(s) of ${name}`);
    assert.equal(await h.storedSha1(all[0]), local.sha1);
  }

  const puts = (status?: number) => h.emulator.requests.list(PUT).filter((put) => status === undefined || put.status === status);

  it('sends a part again after a reset mid-part and after 5xx answers', async () => {
    const local = await h.file('Reset.bin', 11 * MiB + 7);
    h.emulator.faults.add({ kind: 'reset', ...PUT, afterBytes: 1 * MiB, count: 2 });
    h.emulator.faults.add({ kind: 'status', ...PUT, status: 503, count: 1 });
    h.emulator.faults.add({ kind: 'status', ...PUT, status: 500, count: 1 });
    const engine = h.engine();
    const result = await engine.run(await engine.plan([local.path], h.target()), { ...FAST, connections: 2 });
    assert.deepEqual(result.failed, []);
    await holds('Reset.bin', local);
    assert.ok(puts(503).length === 1 && puts(500).length === 1 && puts(0).length === 2, 'each fault was met');
    assert.equal(puts(200).length, 2, 'two parts stored');
  });

  it('signs a part again when storage says its URL expired', async () => {
    const local = await h.file('Expired.bin', 6 * MiB);
    h.emulator.faults.add({ kind: 'expireSignedUrl', ...PUT, count: 2 });
    const engine = h.engine();
    await engine.run(await engine.plan([local.path], h.target()), { ...FAST, connections: 1 });
    await holds('Expired.bin', local);
    const signing = h.emulator.requests.list({ method: 'GET', path: /signeds3upload$/ });
    assert.ok(signing.length >= 3, `signed ${signing.length} times`);
    assert.ok(signing.slice(1).every((call) => call.query.uploadKey !== undefined), 'signed again under the same upload');
    assert.equal(puts(403).length, 2);
  });

  it('fails cleanly when a part keeps failing: no item, no version, the journal kept for a later run', async () => {
    const local = await h.file('Broken.bin', 6 * MiB);
    h.emulator.faults.add({ kind: 'status', ...PUT, status: 500, skip: 1 });
    const engine = h.engine();
    const plan = await engine.plan([local.path], h.target());
    const result = await engine.run(plan, { ...FAST, connections: 1, partSize: 5 * MiB, retry: { ...FAST.retry, attempts: 2 } });
    assert.match(result.failed[0]?.error ?? '', /Part 2 of "Broken.bin" failed 3 times/);
    assert.deepEqual(await h.contents(), []);
    assert.deepEqual((await journalOf(plan))?.parts.map(([part]) => part), [1], 'the part that arrived is journaled');
    h.emulator.faults.clear();
    h.emulator.requests.clear();
    const again = await engine.run(plan, FAST);
    assert.equal(again.uploaded[0].result?.resumedBytes, 5 * MiB);
    assert.deepEqual(puts().map((put) => put.query.partNumber), ['2'], 'only the missing part is sent');
    await holds('Broken.bin', local);
    assert.equal(await journalOf(plan), undefined, 'the journal goes once the upload is done');
  });

  describe('cancel and resume', () => {
    async function cancelAfterParts(local: LocalFile, parts: number): Promise<UploadPlan> {
      const throttle = h.emulator.faults.add({ kind: 'bandwidth', ...PUT, bytesPerSecond: 8 * MiB });
      const engine = h.engine();
      const plan = await engine.plan([local.path], h.target());
      const controller = new AbortController();
      const running = engine.run(plan, { ...FAST, connections: 2, partSize: 5 * MiB, signal: controller.signal });
      for (let i = 0; i < 1000 && ((await journalOf(plan))?.parts.length ?? 0) < parts; i++) await wait(10);
      controller.abort();
      const cancelled = await running;
      assert.equal(cancelled.cancelled, true);
      assert.equal(plan.files[0].state, 'pending', 'a cancelled file stays pending');
      h.emulator.faults.remove(throttle);
      assert.deepEqual(await h.contents(), [], 'nothing in the folder after a cancel');
      h.emulator.requests.clear();
      return plan;
    }

    it('resumes a cancelled upload without sending its finished parts again', async () => {
      const local = await h.file('Resumed.bin', 24 * MiB + 5);
      const plan = await cancelAfterParts(local, 2);
      const journaled = (await journalOf(plan))!.parts.map(([part]) => part);
      const result = await h.engine().run(plan, FAST);
      assert.equal(result.uploaded[0].result?.resumedBytes, journaled.length * 5 * MiB);
      const sent = puts(200).map((put) => Number(put.query.partNumber));
      assert.deepEqual(sent.filter((part) => journaled.includes(part)), [], `parts ${journaled} were not sent again`);
      assert.equal(sent.length + journaled.length, 5);
      await holds('Resumed.bin', local);
    });

    it('starts over under a new upload key when the old one is gone (expired after a day)', async () => {
      const local = await h.file('Expired Session.bin', 12 * MiB);
      const plan = await cancelAfterParts(local, 1);
      const oldKey = (await journalOf(plan))!.uploadKey;
      h.emulator.clock.advance(25 * 3600_000);
      const result = await h.engine().run(plan, FAST);
      assert.deepEqual(result.failed, []);
      assert.equal(result.uploaded[0].result?.resumedBytes, 0, 'nothing could be kept');
      // (The token expired too in that day: a 401 and a fresh token first.)
      const signing = h.emulator.requests.list({ method: 'GET', path: /signeds3upload$/ }).filter((call) => call.status !== 401);
      assert.deepEqual(signing.map((call) => [call.status, call.query.uploadKey === oldKey]), [[400, true], [200, false]]);
      assert.ok(h.log.some((line) => /Starting the upload of .* again: The upload session .* is gone/.test(line)), h.log.join('\n'));
      await holds('Expired Session.bin', local);
    });

    it('starts afresh when the local file changed since the upload began', async () => {
      const local = await h.file('Edited.bin', 12 * MiB);
      const plan = await cancelAfterParts(local, 1);
      const edited = await h.file('Edited.bin', 12 * MiB);
      const result = await h.engine().run(plan, FAST);
      assert.equal(result.uploaded[0].result?.sha1, edited.sha1);
      assert.equal(result.uploaded[0].result?.resumedBytes, 0);
      assert.ok(h.log.some((line) => line.includes('changed since its upload began')));
      await holds('Edited.bin', edited);
    });
  });

  it('notices a file that changes while it is sent and sends it again as it is now', async () => {
    const local = await h.file('Moving.bin', 10 * MiB);
    h.emulator.faults.add({ kind: 'bandwidth', ...PUT, bytesPerSecond: 8 * MiB, count: 2 });
    const engine = h.engine();
    const plan = await engine.plan([local.path], h.target());
    const running = engine.run(plan, { ...FAST, connections: 2 });
    for (let i = 0; i < 1000 && puts().length === 0; i++) await wait(10);
    await wait(100);
    const now = Buffer.from((await readFile(local.path)).map((byte) => byte ^ 0xff));
    await writeFile(local.path, now);
    const result = await running;
    assert.equal(result.uploaded[0].result?.sha1, sha1Of(now));
    assert.ok(h.log.some((line) => /Starting the upload of .* again: .*changed/.test(line)), h.log.join('\n'));
    await holds('Moving.bin', { path: local.path, sha1: sha1Of(now), size: now.length });
  });

  describe('never a duplicate', () => {
    it('adopts the item a POST items made when its answer was lost, and posts once', async () => {
      const local = await h.file('Lost Item.dwg', 2000);
      h.emulator.faults.add({ kind: 'loseAnswer', method: 'POST', path: '/data/v1/projects/*/items', count: 1 });
      const engine = h.engine();
      const result = await engine.run(await engine.plan([local.path], h.target()), FAST);
      assert.equal(result.uploaded[0].result?.adopted, true);
      assert.equal(h.emulator.requests.list({ method: 'POST', path: /\/items$/ }).length, 1);
      await holds('Lost Item.dwg', local);
    });

    it('adopts the version a POST versions made when its answer was lost', async () => {
      const engine = h.engine();
      const first = await h.file('one/Lost Version.dwg', 100);
      await engine.run(await engine.plan([first.path], h.target()), FAST);
      const second = await h.file('two/Lost Version.dwg', 200);
      h.emulator.faults.add({ kind: 'loseAnswer', method: 'POST', path: '/data/v1/projects/*/versions', count: 1 });
      h.emulator.requests.clear();
      const result = await engine.run(await engine.plan([second.path], h.target()), FAST);
      assert.deepEqual([result.uploaded[0].result?.adopted, result.uploaded[0].result?.versionNumber], [true, 2]);
      assert.equal(h.emulator.requests.list({ method: 'POST', path: /\/versions$/ }).length, 1);
      await holds('Lost Version.dwg', second, 2);
    });

    it('adopts the folder a POST folders made when its answer was lost, and fills it', async () => {
      const local = await h.file('Lost Folder/Inside.txt', 300);
      h.emulator.faults.add({ kind: 'loseAnswer', method: 'POST', path: '/data/v1/projects/*/folders', count: 1 });
      const engine = h.engine();
      const result = await engine.run(await engine.plan([path.join(h.dir, 'Lost Folder')], h.target()), FAST);
      assert.deepEqual(result.failed, []);
      const folders = (await h.contents()).filter((entry) => entry.name === 'Lost Folder');
      assert.equal(folders.length, 1);
      assert.deepEqual((await h.contents(folders[0].id)).map((entry) => entry.name), ['Inside.txt']);
      assert.equal(await h.storedSha1((await h.versions((await h.contents(folders[0].id))[0].id))[0]), local.sha1);
    });

    it('asks for the object when the answer to the completion was lost, and completes once', async () => {
      const local = await h.file('Lost Completion.bin', 3 * MiB);
      h.emulator.faults.add({ kind: 'loseAnswer', method: 'POST', path: '^/oss/.*/signeds3upload$', count: 1 });
      const engine = h.engine();
      await engine.run(await engine.plan([local.path], h.target()), FAST);
      assert.equal(h.emulator.requests.list({ method: 'POST', path: /signeds3upload$/ }).length, 1);
      await holds('Lost Completion.bin', local);
    });

    it('posts again after a 5xx only once it found nothing made', async () => {
      const local = await h.file('Busy.dwg', 100);
      h.emulator.faults.add({ kind: 'status', status: 503, method: 'POST', path: '/data/v1/projects/*/items', count: 1 });
      const engine = h.engine();
      const result = await engine.run(await engine.plan([local.path], h.target()), FAST);
      assert.equal(result.uploaded[0].result?.adopted, false);
      assert.deepEqual(h.emulator.requests.list({ method: 'POST', path: /\/items$/ }).map((call) => call.status), [503, 201]);
      await holds('Busy.dwg', local);
    });

    it('finds the item an earlier run made before it could tell: the next run adopts it instead of adding a version', async () => {
      const local = await h.file('Crashed.dwg', 500);
      const network = () => new ApsError({ kind: 'network', message: 'socket hang up', userMessage: 'The connection to Autodesk dropped.' });
      const services: UploadServices = {
        ...h.client,
        writes: {
          ...h.client.writes,
          createItem: async (...args) => {
            await h.client.writes.createItem(...args);
            throw network();
          },
          createStorage: (...args) => h.client.writes.createStorage(...args),
          createVersion: (...args) => h.client.writes.createVersion(...args),
          createFolder: (...args) => h.client.writes.createFolder(...args),
        },
        dm: {
          ...h.client.dm,
          getTip: (...args) => h.client.dm.getTip(...args),
          listVersions: (...args) => h.client.dm.listVersions(...args),
          listFolderContents: async () => {
            throw network();
          },
        },
      };
      const crashing = h.engine();
      const plan = await crashing.plan([local.path], h.target());
      const broken = new UploadEngine(services, { journalDir: h.journalDir });
      const failed = await broken.run(plan, FAST);
      await broken.close();
      assert.match(failed.failed[0]?.error ?? '', /connection to Autodesk dropped/);
      assert.ok((await journalOf(plan))?.commit, 'the journal says the item may exist');

      const next = await crashing.plan([local.path], h.target());
      assert.equal(next.files[0].action, 'new-version', 'the item is there now');
      h.emulator.requests.clear();
      const result = await crashing.run(next, FAST);
      assert.deepEqual([result.uploaded[0].result?.adopted, result.uploaded[0].result?.versionNumber], [true, 1]);
      assert.equal(h.emulator.requests.list({ method: 'POST' }).length, 0, 'nothing posted again');
      assert.equal(h.emulator.requests.list({ origin: 'storage', method: 'PUT' }).length, 0, 'nothing sent again');
      await holds('Crashed.dwg', local);
    });
  });
});
