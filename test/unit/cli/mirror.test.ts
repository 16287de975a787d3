import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { lstat, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { setTimeout as wait } from 'node:timers/promises';
import { MANIFEST_FILE } from '../../../src/core/mirror';
import { partFilesFor } from '../../../src/core/transfer';
import { parseJournal } from '../../../src/core/transfer/disk/journal';
import { localTree, sdkTree } from '../mirror/harness';
import { buildTree, type TreeSpec } from '../mirror/tree';
import { MiB } from '../transfer/harness';
import { TOWER_FILES, useCliHarness } from './harness';

interface Summary {
  remote: string;
  complete: boolean;
  counts: Record<string, number>;
  files: { status: string; path: string; other?: string }[];
}

describe('aps-explorer mirror (dist/cli.js against the emulator)', function () {
  this.timeout(120_000);
  const h = useCliHarness();
  const tree = (spec: TreeSpec) => buildTree(h.emulator, spec);
  const remoteOf = (name: string) => `${TOWER_FILES}/${name}`;
  const storageGets = () => h.emulator.requests.list({ origin: 'storage', method: 'GET' });

  async function mirror(args: string[]): Promise<Summary> {
    const { code, stdout, stderr } = await h.run(['mirror', ...args, '--json']);
    assert.equal(code, 0, stderr);
    return JSON.parse(stdout) as Summary;
  }

  it('mirrors a folder by its path of names, then fetches nothing when nothing changed', async () => {
    const built = tree({ 'Model.rvt': [200_000], Sheets: { 'A-101.pdf': [3000, 4000] } });
    const first = await mirror([remoteOf(built.name), h.dir]);
    assert.equal(first.remote, remoteOf(built.name));
    assert.deepEqual(first.files.map((file) => [file.status, file.path]).sort(), [['fetched', 'Model.rvt'], ['fetched', 'Sheets/A-101.pdf']]);
    assert.deepEqual(await localTree(h.dir), await sdkTree(h.emulator, built.folderId));

    h.emulator.requests.clear();
    const { code, stdout, stderr } = await h.run(['mirror', remoteOf(built.name), h.dir]);
    assert.equal(code, 0, stderr);
    assert.equal(stdout, '', 'nothing to report');
    assert.match(stderr, /0 fetched \(0 B\), 2 unchanged/);
    assert.deepEqual(storageGets(), []);
  });

  it('prints one line per change: a new version, a local edit kept as a conflict, a file gone from APS', async () => {
    const built = tree({ 'a.txt': [10], 'b.txt': [20], 'c.txt': [30] });
    await mirror([remoteOf(built.name), h.dir]);
    h.emulator.addVersion(built.files.get('a.txt')!.itemId, 11);
    h.emulator.addVersion(built.files.get('b.txt')!.itemId, 21);
    await writeFile(path.join(h.dir, 'b.txt'), 'mine');
    h.emulator.removeItem(built.files.get('c.txt')!.itemId);
    const { code, stdout } = await h.run(['mirror', remoteOf(built.name), h.dir]);
    assert.equal(code, 0);
    assert.deepEqual(stdout.trim().split('\n').sort(), [
      "conflict    b.txt: changed here and in APS (now v2); kept both, APS's is b (1).txt",
      'removed     c.txt (gone from APS; kept here, --delete deletes it)',
      'updated     a.txt (11 B, v2)',
    ]);
    const deleted = await h.run(['mirror', remoteOf(built.name), h.dir, '--delete']);
    assert.match(deleted.stdout, /^deleted {5}c\.txt \(gone from APS\)$/m);
    assert.deepEqual(Object.keys(await localTree(h.dir)), ['a.txt', 'b (1).txt', 'b.txt']);
  });

  it('mirrors a whole project (its top folders), in EMEA too, where signing names the region', async () => {
    const { seed } = h.emulator;
    for (const [remote, projectId] of [
      ['Emulator ACC Account/Bridge', seed.ids.accSecondProject],
      ['Emulator EMEA Account/Berlin Office', seed.ids.emeaProject],
    ] as const) {
      const dir = path.join(h.dir, projectId);
      const summary = await mirror([remote, dir]);
      assert.equal(summary.complete, true);
      const expected: Record<string, string> = {};
      for (const item of seed.items.filter((candidate) => candidate.projectId === projectId && !candidate.hidden)) {
        const names: string[] = [];
        for (let folder = seed.folders.find((f) => f.id === item.folderId); folder?.parentId; folder = seed.folders.find((f) => f.id === folder!.parentId)) names.unshift(folder.name);
        const tip = item.versions.at(-1)!;
        if (tip.storage) expected[[...names, tip.name].join('/')] = await h.sha1Of(tip);
      }
      assert.ok(Object.keys(expected).length >= 2);
      assert.deepEqual(await localTree(dir), Object.fromEntries(Object.entries(expected).sort(([a], [b]) => a.localeCompare(b))), remote);
    }
  });

  describe('bad input', () => {
    it('is 2 for a file, a hub, a missing folder or a bad --conflict', async () => {
      for (const [args, pattern] of [
        [['mirror', `${TOWER_FILES}/Tower.rvt`, h.dir], /Tower\.rvt is a file: mirror its folder, or download the file/],
        [['mirror', 'Emulator BIM 360 Account', h.dir], /is a hub: mirror one of its projects or folders/],
        [['mirror', TOWER_FILES], /mirror takes a <remote> and the <local-dir>/],
        [['mirror', TOWER_FILES, h.dir, '--conflict', 'merge'], /--conflict is keep-both, skip or overwrite/],
      ] as const) {
        const { code, stderr } = await h.run([...args]);
        assert.equal(code, 2, `${args.join(' ')}: ${stderr}`);
        assert.match(stderr, pattern);
      }
      assert.deepEqual(await readdir(h.dir), []);
    });

    it('is 1 for a folder that holds other files, and --force mirrors into it keeping what matches', async () => {
      const built = tree({ 'a.txt': [10] });
      await writeFile(path.join(h.dir, 'notes.md'), 'mine');
      const refused = await h.run(['mirror', remoteOf(built.name), h.dir]);
      assert.equal(refused.code, 1);
      assert.match(refused.stderr, /already holds files and is not a mirror; nothing was changed\. Run with --force/);
      assert.deepEqual(await readdir(h.dir), ['notes.md']);
      const forced = await mirror([remoteOf(built.name), h.dir, '--force']);
      assert.equal(forced.counts.fetched, 1);
      assert.deepEqual(Object.keys(await localTree(h.dir)), ['a.txt', 'notes.md']);
    });
  });

  it('stops on a full disk with one line naming the file, keeps what arrived in the record, and the next run fetches only the rest', async () => {
    const built = tree({ 'a.bin': [40_000], 'b.bin': [41_000], Sub: { 'c.bin': [42_000], 'full.bin': [43_000] } });
    await mirror([remoteOf(built.name), h.dir]);
    const names = ['a.bin', 'b.bin', 'Sub/c.bin', 'Sub/full.bin'];
    const added = new Map(names.map((name, index) => [name, h.emulator.addVersion(built.files.get(name)!.itemId, 50_000 + index)]));
    const keyOf = (name: string) => added.get(name)!.objectKey.split('/')[1];
    // A real ENOSPC, without root or a small file system: the partial file of Sub/full.bin is Linux's /dev/full, where every
    // write fails with ENOSPC. Its download is held until the three others are in place, so they finish before the disk "fills".
    const part = partFilesFor(path.join(h.dir, 'Sub', 'full.bin')).data;
    await symlink('/dev/full', part);
    const hold = h.emulator.faults.add({ kind: 'hold', origin: 'storage', method: 'GET', path: `/**/${keyOf('Sub/full.bin')}` });
    const sha1Of = (bytes: Buffer) => createHash('sha1').update(bytes).digest('hex');
    const newSha1 = (name: string) => h.sha1Of({ storage: added.get(name)!.objectKey });

    const child = h.spawn(['mirror', remoteOf(built.name), h.dir]);
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const landed = async (name: string) => sha1Of(await readFile(path.join(h.dir, name))) === (await newSha1(name));
    while (!(await Promise.all(names.slice(0, 3).map(landed))).every(Boolean)) {
      assert.equal(child.exitCode, null, `the mirror ended before the others landed: ${stderr}`);
      await wait(20);
    }
    h.emulator.faults.remove(hold);
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));

    assert.equal(code, 1, stderr);
    const diskLines = stderr.split('\n').filter((text) => /disk|space/i.test(text));
    assert.deepEqual(diskLines, [`Not enough disk space to write Sub/full.bin: free some space and run the same command again; it continues where it stopped.`], stderr);
    assert.doesNotMatch(stderr, /\.apspart/, 'the line names the file, not the partial one');
    const manifest = JSON.parse(await readFile(path.join(h.dir, MANIFEST_FILE), 'utf8')) as { files: Record<string, { versionId: string; sha1?: string }> };
    for (const name of names.slice(0, 3)) {
      assert.equal(manifest.files[name]?.versionId, added.get(name)!.versionId, `${name} is recorded at its new version`);
      assert.equal(manifest.files[name]?.sha1, await newSha1(name), name);
    }
    const stoppedAt = built.files.get('Sub/full.bin')!;
    assert.equal(manifest.files['Sub/full.bin']?.versionId, stoppedAt.versionIds[0], 'the file the disk stopped is still recorded at the version it has here');
    assert.equal(sha1Of(await readFile(path.join(h.dir, 'Sub', 'full.bin'))), await h.sha1Of({ storage: stoppedAt.objectKeys[0] }), 'and its local copy is untouched');

    await assert.rejects(lstat(part), { code: 'ENOENT' }, 'the partial file is not kept (here: the link to /dev/full, so the next run has space)');
    h.emulator.requests.clear();
    const rerun = await mirror([remoteOf(built.name), h.dir]);
    assert.equal(rerun.complete, true);
    assert.deepEqual(storageGets().map((request) => decodeURIComponent(request.path).split('/').at(-1)), [keyOf('Sub/full.bin')], 'only the file the disk stopped is fetched');
    assert.deepEqual(await localTree(h.dir), await sdkTree(h.emulator, built.folderId));
  });

  it('resumes after kill -9 without fetching finished files again, and continues half-fetched ones', async () => {
    const small = Object.fromEntries(Array.from({ length: 6 }, (_, index) => [`small-${index}.bin`, [40_000 + index]]));
    const big = Object.fromEntries(Array.from({ length: 3 }, (_, index) => [`big-${index}.bin`, [12 * MiB + index]]));
    const built = tree({ ...small, Big: big });
    const bigKeys = [...built.files.entries()].filter(([name]) => name.startsWith('Big/')).map(([, file]) => file.objectKeys[0].split('/')[1]);
    // The big files stop arriving after 10 MiB, so they are still half-fetched when the mirror is killed.
    for (const key of bigKeys) h.emulator.faults.add({ kind: 'stall', origin: 'storage', afterBytes: 10 * MiB, path: `/**/${key}` });

    const child = h.spawn(['mirror', remoteOf(built.name), h.dir, '--quiet']);
    const smallDone = () => Object.keys(small).every((name) => existsSync(path.join(h.dir, name)));
    const synced = async (name: string) => (parseJournal(await readFile(partFilesFor(path.join(h.dir, 'Big', name)).journal, 'utf8').catch(() => ''))?.done.length ?? 0) > 0;
    const journaled = async () => (await Promise.all(Object.keys(big).map(synced))).every(Boolean);
    while (!(smallDone() && (await journaled()))) {
      assert.equal(child.exitCode, null, 'the mirror ended before it could be killed');
      await wait(20);
    }
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('close', resolve));
    const finished = Object.keys(small);
    const finishedKeys = finished.map((name) => built.files.get(name)!.objectKeys[0].split('/')[1]);

    h.emulator.faults.clear();
    h.emulator.requests.clear();
    const resumed = await mirror([remoteOf(built.name), h.dir]);
    assert.equal(resumed.complete, true);
    const gets = storageGets();
    for (const key of finishedKeys) assert.deepEqual(gets.filter((request) => request.path.endsWith(key)), [], `${key} was fetched again`);
    for (const key of bigKeys) {
      const ranges = gets.filter((request) => request.path.endsWith(key)).map((request) => Number(/bytes=(\d+)-/.exec(request.range ?? '')?.[1] ?? 0));
      assert.ok(ranges.length > 0 && ranges.every((start) => start > 0), `${key} started over: ${ranges.join(', ')}`);
    }
    assert.deepEqual(await localTree(h.dir), await sdkTree(h.emulator, built.folderId));
  });
});
