// The upload engine against the strict emulator: files and folders into a folder, new versions, conflicts,
// bad input; what APS holds afterwards read back through the emulator (items, versions, stored bytes).
import * as assert from 'node:assert/strict';
import { rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { locateRemote } from '../../../src/core/remote/locate';
import { createApsClient } from '../../../src/core/client';
import { nodeUploadFs, partLayout, UploadEngine, uploadTargetOf, UploadTargetError, type UploadConflict, type UploadFs } from '../../../src/core/upload';
import type { FileProgress } from '../../../src/core/transfer';
import { FAST, MiB, sha1Of, TOWER, useUploadHarness } from './harness';

describe('upload engine', function () {
  this.timeout(120_000);
  const h = useUploadHarness();

  describe('files into a folder', () => {
    it('uploads a file as a new item whose bytes APS holds exactly, in parts of at least 5 MiB signed at most 25 at a time', async () => {
      const local = await h.file('Model.rvt', 125 * MiB + 1);
      const engine = h.engine();
      const plan = await engine.plan([local.path], h.target());
      assert.deepEqual(plan.summary, { files: 1, bytes: local.size, newItems: 1, newVersions: 0, newFolders: 0, skipped: 0, refused: 0 });
      assert.equal(h.emulator.requests.list({ method: 'POST' }).length, 0, 'planning writes nothing');
      const result = await engine.run(plan, { ...FAST, partSize: 5 * MiB });
      assert.deepEqual(result.failed, []);
      const item = await h.item('Model.rvt');
      assert.ok(item, 'the item is in the folder');
      const versions = await h.versions(item.id);
      assert.equal(versions.length, 1);
      assert.equal(await h.storedSha1(versions[0]), local.sha1);
      assert.deepEqual(
        { ...result.uploaded[0].result, versionId: undefined },
        { itemId: item.id, versionId: undefined, versionNumber: 1, name: 'Model.rvt', size: local.size, sha1: local.sha1, resumedBytes: 0, adopted: false },
      );
      const puts = h.emulator.requests.list({ origin: 'storage', method: 'PUT' });
      assert.equal(puts.length, 26, '26 parts of 5 MiB');
      assert.ok(puts.every((put) => put.status === 200 && !put.hadAuthorization && put.headerNames.includes('content-length')), 'no Authorization to storage, a Content-Length on each part');
      const signing = h.emulator.requests.list({ method: 'GET', path: /signeds3upload$/ });
      assert.deepEqual(signing.map((call) => [call.query.firstPart, call.query.parts, call.query.uploadKey === undefined]), [['1', '25', true], ['26', '1', false]]);
      assert.equal(h.emulator.requests.list({ method: 'POST', path: /\/items$/ }).length, 1);
    });

    it('cuts parts its connections share evenly, at least 5 MiB but the last, at most the part size', () => {
      assert.deepEqual(partLayout(256 * MiB, 8, 64 * MiB), { partSize: 32 * MiB, count: 8 });
      assert.deepEqual(partLayout(1024 * MiB, 8, 64 * MiB), { partSize: 64 * MiB, count: 16 });
      assert.deepEqual(partLayout(600 * MiB, 8, 64 * MiB), { partSize: 38 * MiB, count: 16 });
      assert.deepEqual(partLayout(6 * MiB, 8, 64 * MiB), { partSize: 5 * MiB, count: 2 });
      assert.deepEqual(partLayout(0, 8, 64 * MiB), { partSize: 5 * MiB, count: 1 });
      assert.equal(partLayout(100 * 1024 * MiB, 8, 5 * MiB).count <= 10_000, true);
    });

    it('uploads an empty file as one empty part: S3 takes a last part of any size, and the only part is the last', async () => {
      const local = await h.file('Empty.txt', Buffer.alloc(0));
      const engine = h.engine();
      const result = await engine.run(await engine.plan([local.path], h.target()), FAST);
      assert.deepEqual(result.failed, []);
      const item = await h.item('Empty.txt');
      assert.equal(item?.tip?.storageSize, 0);
      assert.equal(await h.storedSha1((await h.versions(item!.id))[0]), sha1Of(Buffer.alloc(0)));
      assert.deepEqual(h.emulator.requests.list({ origin: 'storage', method: 'PUT' }).map((put) => put.status), [200]);
    });

    it('makes the same name a new version by default (any case), keeps both under a numbered name, or skips', async () => {
      const engine = h.engine();
      const first = await h.file('one/Plan.dwg', 3000);
      await engine.run(await engine.plan([first.path], h.target()), FAST);
      const item = (await h.item('Plan.dwg'))!;

      const second = await h.file('two/plan.DWG', 4000);
      const plan = await engine.plan([second.path], h.target());
      assert.deepEqual([plan.summary.newItems, plan.summary.newVersions], [0, 1]);
      assert.deepEqual([plan.files[0].action, plan.files[0].itemId, plan.files[0].name], ['new-version', item.id, 'Plan.dwg']);
      const run = await engine.run(plan, FAST);
      assert.equal(run.uploaded[0].result?.versionNumber, 2);
      const versions = await h.versions(item.id);
      assert.deepEqual(versions.map((version) => version.name), ['Plan.dwg', 'Plan.dwg'], 'the item keeps its name');
      assert.equal(await h.storedSha1(versions[0]), second.sha1);

      const third = await h.file('three/Plan.dwg', 5000);
      const both = await engine.plan([third.path], h.target(), { conflict: 'keep-both' });
      assert.equal(both.files[0].name, 'Plan (1).dwg');
      await engine.run(both, FAST);
      const kept = (await h.item('Plan (1).dwg'))!;
      assert.equal(await h.storedSha1((await h.versions(kept.id))[0]), third.sha1);

      h.emulator.requests.clear();
      const skipped = await engine.run(await engine.plan([third.path], h.target(), { conflict: 'skip' }), FAST);
      assert.deepEqual([skipped.skipped.length, skipped.uploaded.length], [1, 0]);
      assert.equal(h.emulator.requests.list({ method: 'POST' }).length, 0, 'nothing sent for a skipped file');
      assert.equal((await h.versions(item.id)).length, 2);
    });

    it("asks about each taken name under 'ask', before anything is written", async () => {
      const engine = h.engine();
      const a = await h.file('first/A.txt', 10);
      const b = await h.file('first/B.txt', 20);
      await engine.run(await engine.plan([a.path, b.path], h.target()), FAST);
      const again = [await h.file('second/A.txt', 30), await h.file('second/B.txt', 40), await h.file('second/C.txt', 50)];
      const asked: UploadConflict[] = [];
      h.emulator.requests.clear();
      const plan = await engine.plan(
        again.map((file) => file.path),
        h.target(),
        { conflict: 'ask', onConflict: async (conflict) => (asked.push(conflict), conflict.file.name === 'A.txt' ? 'new-version' : 'skip') },
      );
      assert.equal(h.emulator.requests.list({ method: 'POST' }).length, 0);
      assert.deepEqual(asked.map((conflict) => [conflict.file.name, conflict.existing.name, conflict.existing.versionNumber, conflict.existing.size, conflict.folderNames.at(-1)]), [
        ['A.txt', 'A.txt', 1, 10, h.folderName],
        ['B.txt', 'B.txt', 1, 20, h.folderName],
      ]);
      assert.deepEqual(plan.summary, { files: 2, bytes: 80, newItems: 1, newVersions: 1, newFolders: 0, skipped: 1, refused: 0 });
      const result = await engine.run(plan, FAST);
      assert.deepEqual(result.uploaded.map((file) => file.name), ['A.txt', 'C.txt']);
      assert.equal((await h.versions((await h.item('B.txt'))!.id)).length, 1);
    });

    it('reports bytes, rate and ETA per file and overall, never going back, ending at the size', async () => {
      const files = [await h.file('p/One.bin', 7 * MiB + 3), await h.file('p/Two.bin', 2 * MiB)];
      const engine = h.engine();
      const perFile = new Map<string, FileProgress[]>();
      const overall: number[] = [];
      const totals: number[] = [];
      await engine.run(await engine.plan(files.map((file) => file.path), h.target()), {
        ...FAST,
        onFileProgress: (file, progress) => perFile.set(file.localPath, [...(perFile.get(file.localPath) ?? []), progress]),
        onProgress: (progress) => (overall.push(progress.transferredBytes), totals.push(progress.totalBytes)),
      });
      for (const file of files) {
        const events = perFile.get(file.path) ?? [];
        let last = 0;
        for (const event of events) {
          assert.ok(event.transferredBytes >= last && event.transferredBytes <= file.size, `${event.transferredBytes} after ${last}`);
          last = event.transferredBytes;
        }
        assert.deepEqual([events.at(-1)?.phase, events.at(-1)?.transferredBytes, events.at(-1)?.totalBytes], ['done', file.size, file.size]);
        assert.ok(events.some((event) => event.phase === 'uploading'));
        assert.match(events[0].path, new RegExp(`${h.folderName}/`));
      }
      assert.equal(overall.at(-1), files[0].size + files[1].size);
      assert.ok(totals.every((total) => total === files[0].size + files[1].size), 'the overall total is known from the start');
    });
  });

  describe('where the target is', () => {
    it('gives new items, versions and folders the extension types of the hub: ACC takes autodesk.bim360, a personal hub autodesk.core', async () => {
      const acc = await uploadTargetOf(h.client.dm, await locateRemote(h.client.dm, 'Emulator ACC Account/Hospital/Project Files'));
      assert.deepEqual([acc.kind, acc.plansFolder], ['acc', false]);
      await h.file(`ACC ${h.folderName}/Ward B.dwg`, 100);
      const engine = h.engine();
      const result = await engine.run(await engine.plan([path.join(h.dir, `ACC ${h.folderName}`)], acc), FAST);
      assert.deepEqual(result.failed, []);
      const folder = (await h.client.dm.listFolderContents(acc.projectId, acc.folderId)).find((entry) => entry.name === `ACC ${h.folderName}`)!;
      assert.equal(folder.extensionType, 'folders:autodesk.bim360:Folder');
      const [item] = await h.client.dm.listFolderContents(acc.projectId, folder.id);
      assert.deepEqual([item.extensionType, item.type === 'items' ? item.tip?.extensionType : undefined], ['items:autodesk.bim360:File', 'versions:autodesk.bim360:File']);

      // Personal hubs answer only a signed-in user: a 3-legged token of the demo user.
      const { ids } = h.emulator.seed;
      const token = h.emulator.issueToken({ scopes: ['data:read', 'data:write', 'data:create'], userId: ids.users.demo });
      const asUser = createApsClient({ baseUrl: h.emulator.baseUrl, auth: { kind: 'token', accessToken: token }, proxy: { url: '' } });
      try {
        const personal = await uploadTargetOf(asUser.dm, await locateRemote(asUser.dm, "Dana's Hub/Demo Project/Demo Project"));
        assert.equal(personal.kind, 'fusion');
        const local = await h.file(`Sketch ${h.folderName}.f3d`, 200);
        const own = new UploadEngine(asUser, { journalDir: h.journalDir });
        const uploaded = await own.run(await own.plan([local.path], personal), FAST);
        await own.close();
        assert.deepEqual(uploaded.failed, []);
        const made = (await asUser.dm.listFolderContents(personal.projectId, personal.folderId)).find((entry) => entry.name === `Sketch ${h.folderName}.f3d`)!;
        assert.equal(made.extensionType, 'items:autodesk.core:File');
      } finally {
        await asUser.close();
      }
    });

    it('resolves a name taken after the plan as the plan said: a new version, or (asked again) a numbered name', async () => {
      const engine = h.engine();
      const mine = await h.file('mine/Late.txt', 100);
      const other = await h.file('other/Late.txt', 50);
      const newVersion = await engine.plan([mine.path], h.target());
      const asked = await engine.plan([mine.path], h.target(), { conflict: 'ask', onConflict: async () => 'skip' });
      assert.deepEqual([newVersion.files[0].action, asked.files[0].action], ['new-item', 'new-item']);
      // Someone else puts a Late.txt there meanwhile.
      await engine.run(await engine.plan([other.path], h.target()), FAST);
      const item = (await h.item('Late.txt'))!;

      const first = await engine.run(newVersion, FAST);
      assert.deepEqual([first.uploaded[0].result?.itemId, first.uploaded[0].result?.versionNumber], [item.id, 2]);
      const lateAnswers: string[] = [];
      const second = await engine.run(asked, { ...FAST, onConflict: async (conflict) => (lateAnswers.push(conflict.existing.name), 'keep-both') });
      assert.deepEqual(lateAnswers, ['Late.txt']);
      assert.equal(second.uploaded[0].result?.name, 'Late (1).txt');
      assert.deepEqual((await h.contents()).map((entry) => entry.name).sort(), ['Late (1).txt', 'Late.txt']);
      assert.equal((await h.versions(item.id)).length, 2);
    });
  });

  describe('folders', () => {
    it('uploads a folder recursively, making its subfolders and reusing one that is there (any case)', async () => {
      const engine = h.engine();
      const existing = await h.client.writes.createFolder(h.emulator.seed.ids.bim360Project, { parentId: h.folderId, name: 'drawings', kind: 'bim360' });
      const files = [
        await h.file('Drawings/Ground.dwg', 1000),
        await h.file('Drawings/Sub/Deep/Detail.dwg', 2000),
        await h.file('Drawings/Sub/Notes.txt', 3000),
        await h.file('Drawings/Empty/.keep', 0),
      ];
      const plan = await engine.plan([path.join(h.dir, 'Drawings')], h.target());
      assert.deepEqual(plan.folders.map((folder) => [folder.path.join('/'), folder.existing]), [
        ['Drawings', true],
        ['Drawings/Empty', false],
        ['Drawings/Sub', false],
        ['Drawings/Sub/Deep', false],
      ]);
      assert.deepEqual([plan.summary.files, plan.summary.newFolders], [4, 3]);
      const ready: string[] = [];
      const result = await engine.run(plan, { ...FAST, onFolderReady: (folder) => ready.push(folder.path.join('/')) });
      assert.deepEqual(result.failed, []);
      assert.deepEqual(ready, ['Drawings/Empty', 'Drawings/Sub', 'Drawings/Sub/Deep']);
      assert.deepEqual((await h.contents()).map((entry) => entry.name), ['drawings'], 'the folder that was there is reused');
      const tree = async (folderId: string, prefix: string): Promise<string[]> => {
        const out: string[] = [];
        for (const entry of await h.contents(folderId)) {
          if (entry.type === 'folders') out.push(...(await tree(entry.id, `${prefix}${entry.name}/`)));
          else out.push(`${prefix}${entry.name} ${await h.storedSha1((await h.versions(entry.id))[0])}`);
        }
        return out.sort();
      };
      assert.deepEqual(await tree(existing.id, ''), [
        `Empty/.keep ${files[3].sha1}`,
        `Ground.dwg ${files[0].sha1}`,
        `Sub/Deep/Detail.dwg ${files[1].sha1}`,
        `Sub/Notes.txt ${files[2].sha1}`,
      ]);
      const again = await engine.plan([path.join(h.dir, 'Drawings')], h.target());
      assert.deepEqual([again.summary.newFolders, again.summary.newItems, again.summary.newVersions], [0, 0, 4], 'a second upload finds everything');
    });
  });

  describe('bad input: a sentence naming the file, nothing created, the other files go on', () => {
    it('refuses a missing and an unreadable path, and uploads the rest', async () => {
      const good = await h.file('Good.txt', 100);
      const locked = await h.file('Locked.txt', 100);
      const unreadable: UploadFs = {
        ...nodeUploadFs,
        open: async (file) => {
          if (file === locked.path) throw Object.assign(new Error(`EACCES: permission denied, open '${file}'`), { code: 'EACCES' });
          return nodeUploadFs.open(file);
        },
      };
      const engine = h.engine({ fs: unreadable });
      const missing = path.join(h.dir, 'Missing.txt');
      const plan = await engine.plan([missing, locked.path, good.path], h.target());
      assert.deepEqual(plan.files.map((file) => [file.name, file.action]), [['Missing.txt', 'refused'], ['Locked.txt', 'refused'], ['Good.txt', 'new-item']]);
      const result = await engine.run(plan, FAST);
      assert.deepEqual(result.failed.map((file) => file.error), [`"${missing}" does not exist.`, `"${locked.path}" cannot be read: permission denied.`]);
      assert.deepEqual((await h.contents()).map((entry) => entry.name), ['Good.txt']);
      assert.equal(h.emulator.requests.list({ method: 'POST', path: /\/storage$/ }).length, 1, 'no storage for the refused ones');
    });

    it('says a file was removed after the plan, naming it, and uploads the others', async () => {
      const gone = await h.file('Gone.txt', 10);
      const kept = await h.file('Kept.txt', 10);
      const engine = h.engine();
      const plan = await engine.plan([gone.path, kept.path], h.target());
      await rm(gone.path);
      const result = await engine.run(plan, FAST);
      assert.deepEqual(result.failed.map((file) => file.error), [`"${gone.path}" does not exist.`]);
      assert.deepEqual((await h.contents()).map((entry) => entry.name), ['Kept.txt']);
    });

    it('refuses a name APS refuses, naming the file, with nothing created', async () => {
      const bad = await h.file('What?.txt', 10);
      const good = await h.file('Fine.txt', 10);
      const engine = h.engine();
      const result = await engine.run(await engine.plan([bad.path, good.path], h.target()), FAST);
      assert.equal(result.failed.length, 1);
      assert.match(result.failed[0].error ?? '', /^Autodesk refused the name "What\?\.txt"\. It says: .*not allowed/);
      assert.deepEqual((await h.contents()).map((entry) => entry.name), ['Fine.txt']);
    });

    it('refuses files a BIM 360 Plans folder does not take before anything is written; takes the others', async () => {
      const target = await uploadTargetOf(h.client.dm, await locateRemote(h.client.dm, 'Emulator BIM 360 Account/Tower/Plans'));
      assert.equal(target.plansFolder, true);
      const notes = await h.file('Plans Notes.txt', 10);
      const sheet = await h.file(`Sheet ${h.folderName}.pdf`, 10);
      const engine = h.engine();
      const plan = await engine.plan([notes.path, sheet.path], target);
      assert.deepEqual(plan.files.map((file) => [file.name, file.action, file.reason]), [
        ['Plans Notes.txt', 'refused', '"Plans Notes.txt" cannot go into the Plans folder: it takes only DWF, DWFX, DWG, IFC, PDF, RVT files.'],
        [`Sheet ${h.folderName}.pdf`, 'new-item', undefined],
      ]);
      const result = await engine.run(plan, FAST);
      assert.deepEqual(result.uploaded.map((file) => file.name), [`Sheet ${h.folderName}.pdf`]);
      assert.equal(h.emulator.requests.list({ method: 'POST', path: /\/storage$/ }).length, 1);
      const project = (await uploadTargetOf(h.client.dm, await locateRemote(h.client.dm, 'Emulator BIM 360 Account/Tower/Project Files'))).plansFolder;
      assert.equal(project, false);
    });

    it('says the account may not write to a view-only project, naming the file, and creates nothing', async () => {
      const target = await uploadTargetOf(h.client.dm, await locateRemote(h.client.dm, 'Emulator BIM 360 Account/Archive 2019/Project Files'));
      const local = await h.file('Archived.rvt', 10);
      const engine = h.engine();
      const result = await engine.run(await engine.plan([local.path], target), FAST);
      assert.deepEqual(result.failed.map((file) => file.error), ['Autodesk does not let this account add "Archived.rvt" here: it lacks permission to upload to this folder or project.']);
      assert.deepEqual((await h.client.dm.listFolderContents(target.projectId, target.folderId)).map((entry) => entry.name), ['Old Tower.rvt']);
    });

    it('takes an item as the target of one file, its next version under its name; refuses another file type, a folder or more files', async () => {
      const engine = h.engine();
      const first = await h.file('Tower East.rvt', 1000);
      await engine.run(await engine.plan([first.path], h.target()), FAST);
      const itemPath = [...TOWER, 'Level 1', h.folderName, 'Tower East.rvt'].join('/');
      const target = await uploadTargetOf(h.client.dm, await locateRemote(h.client.dm, itemPath));
      assert.equal(target.item?.name, 'Tower East.rvt');
      const fixed = await h.file('fixed/tower-east-fixed.RVT', 2000);
      const plan = await engine.plan([fixed.path], target);
      assert.deepEqual([plan.files[0].action, plan.files[0].name], ['new-version', 'Tower East.rvt']);
      const result = await engine.run(plan, FAST);
      assert.equal(result.uploaded[0].result?.versionNumber, 2);
      const pdf = await h.file('fixed/Tower East.pdf', 10);
      const refused = await engine.plan([pdf.path], target);
      assert.match(refused.files[0].reason ?? '', /cannot be a version of "Tower East.rvt": it is a \.pdf file, the item a \.rvt file/);
      await assert.rejects(engine.plan([path.join(h.dir, 'fixed')], target), (error: unknown) => error instanceof UploadTargetError && /takes one file as its new version, not a folder/.test(error.message));
      await assert.rejects(engine.plan([fixed.path, pdf.path], target), UploadTargetError);
    });

    it('says what to name instead of a hub, a project or a version', async () => {
      const cases: [string, RegExp][] = [
        ['Emulator BIM 360 Account', /is a hub: upload into a folder/],
        ['Emulator BIM 360 Account/Tower', /is a project: upload into one of its folders/],
      ];
      for (const [remote, message] of cases) {
        await assert.rejects(uploadTargetOf(h.client.dm, await locateRemote(h.client.dm, remote)), (error: unknown) => error instanceof UploadTargetError && message.test(error.message));
      }
      const tower = h.emulator.seed.items.find((item) => item.id === h.emulator.seed.ids.items.towerRvt)!;
      await assert.rejects(uploadTargetOf(h.client.dm, await locateRemote(h.client.dm, tower.versions[0].id)), /is a version: upload into its item/);
    });

    it('does not let a second run upload the same file to the same place at once', async () => {
      const local = await h.file('Twice.bin', 6 * MiB);
      h.emulator.faults.add({ kind: 'bandwidth', origin: 'storage', method: 'PUT', bytesPerSecond: 2 * MiB });
      const engine = h.engine();
      const first = engine.run(await engine.plan([local.path], h.target()), FAST);
      for (let i = 0; i < 200 && h.emulator.requests.list({ origin: 'storage', method: 'PUT' }).length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
      const second = await h.engine().run(await engine.plan([local.path], h.target()), { ...FAST, lockWaitMs: 0 });
      assert.match(second.failed[0]?.error ?? '', /is already being uploaded to .* by another run/);
      h.emulator.faults.clear();
      assert.equal((await first).uploaded.length, 1);
      assert.equal((await h.versions((await h.item('Twice.bin'))!.id)).length, 1);
    });
  });

  it('keeps a changed local file apart: a file rewritten after the plan is sent as it is when it is read', async () => {
    const local = await h.file('Changing.txt', 1000);
    const engine = h.engine();
    const plan = await engine.plan([local.path], h.target());
    const now = Buffer.from('rewritten after the plan');
    await writeFile(local.path, now);
    const result = await engine.run(plan, FAST);
    assert.equal(result.uploaded[0].result?.sha1, sha1Of(now));
    assert.equal(await h.storedSha1((await h.versions((await h.item('Changing.txt'))!.id))[0]), sha1Of(now));
  });
});
