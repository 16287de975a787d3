// `aps-explorer mirror <local-dir> --push` as users run it (dist/cli.js in a child process) against the emulator:
// the preview, the confirmation, what APS holds afterwards (through Autodesk's SDK), conflicts, and kill -9.
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { setTimeout as wait } from 'node:timers/promises';
import { localTree, sdkTree } from '../mirror/harness';
import { buildTree, type TreeSpec } from '../mirror/tree';
import { MiB } from '../transfer/harness';
import { TOWER_FILES, useCliHarness } from './harness';

interface PushDocument {
  remote: string;
  summary: Record<string, number>;
  preview: Array<{ kind: string; path: string }>;
  files?: Array<{ status: string; path: string; versionNumber?: number; movedTo?: string }>;
  folders?: string[];
  resumed?: boolean;
}

describe('aps-explorer mirror --push (dist/cli.js against the emulator)', function () {
  this.timeout(120_000);
  const h = useCliHarness();
  let state = '';
  beforeEach(async () => {
    state = await mkdtemp(path.join(tmpdir(), 'aps-cli-state-'));
  });
  afterEach(async () => {
    await rm(state, { recursive: true, force: true });
  });
  const env = () => h.env({ APS_EXPLORER_STATE_DIR: state });
  const run = (args: string[]) => h.run(args, env());
  const local = (...names: string[]) => path.join(h.dir, ...names);
  const writes = () => h.emulator.requests.list({ origin: 'api' }).filter((request) => request.method !== 'GET' && !request.path.startsWith('/authentication/'));

  /** A tree in the emulator, mirrored into the test's folder by the command line. */
  async function mirrored(spec: TreeSpec) {
    const built = buildTree(h.emulator, spec);
    const remote = `${TOWER_FILES}/${built.name}`;
    const { code, stderr } = await run(['mirror', remote, h.dir]);
    assert.equal(code, 0, stderr);
    h.emulator.requests.clear();
    return { built, remote };
  }

  it('--dry-run prints exactly what a push would make and makes nothing', async () => {
    const { built } = await mirrored({ 'Model.rvt': [1000], Sub: { 'a.txt': [10] } });
    await writeFile(local('Model.rvt'), randomBytes(2000));
    await writeFile(local('Sub', 'new.txt'), 'new');
    await mkdir(local('Sub', 'Deeper'));
    await rm(local('Sub', 'a.txt'));
    const { code, stdout, stderr } = await run(['mirror', h.dir, '--push', '--dry-run']);
    assert.equal(code, 0, stderr);
    assert.deepEqual(stdout.trim().split('\n'), [
      `new folder  Sub/Deeper/ in ${built.name}/Sub`,
      'new version Model.rvt (v1 -> v2, 2.0 KiB)',
      `new file    Sub/new.txt (3 B) in ${built.name}/Sub`,
      'not pushed  Sub/a.txt (deleted here: a push never deletes in APS)',
    ]);
    assert.match(stderr, new RegExp(`Push to ${TOWER_FILES}/${built.name}: 1 new version, 1 new file, 1 new folder \\(2\\.0 KiB\\); 1 deleted here, not deleted in APS\\.`));
    assert.deepEqual(writes(), []);
    assert.equal(existsSync(local('.aps-mirror.push.json')), false);
  });

  it('refuses without a terminal to confirm on unless --yes; with --yes the files are in APS and the next mirror fetches nothing', async () => {
    const { built, remote } = await mirrored({ 'Model.rvt': [1000], 'Notes.txt': [10] });
    const model = randomBytes(5000);
    await writeFile(local('Model.rvt'), model);
    await mkdir(local('New'));
    await writeFile(local('New', 'plan.pdf'), 'a new plan');

    const refused = await run(['mirror', h.dir, '--push']);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /Nothing was pushed: there is no terminal to confirm on\. Run again with --yes/);
    assert.deepEqual(writes(), [], 'nothing is written before it is accepted');

    const { code, stdout, stderr } = await run(['mirror', h.dir, '--push', '--yes', '--json']);
    assert.equal(code, 0, stderr);
    const pushed = JSON.parse(stdout) as PushDocument;
    assert.deepEqual(pushed.files?.map(({ status, path: at, versionNumber }) => [status, at, versionNumber]).sort(), [['pushed', 'Model.rvt', 2], ['pushed', 'New/plan.pdf', 1]]);
    assert.deepEqual(pushed.folders, ['New']);
    assert.deepEqual(await sdkTree(h.emulator, built.folderId), await localTree(h.dir), 'APS holds the local tree, byte for byte');

    h.emulator.requests.clear();
    const again = await run(['mirror', remote, h.dir]);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stderr, /0 fetched \(0 B\), 3 unchanged/);
    assert.deepEqual(h.emulator.requests.list({ origin: 'storage', method: 'GET' }), [], 'nothing downloaded after the push');
    const nothing = await run(['mirror', h.dir, '--push']);
    assert.equal(nothing.code, 0, nothing.stderr);
    assert.match(nothing.stderr, /Nothing to push: no file here changed since the last mirror/);
  });

  it('skips a file APS changed since the last mirror, and keeps both with --conflict keep-both', async () => {
    const { built } = await mirrored({ 'a.txt': [10] });
    await writeFile(local('a.txt'), 'mine');
    const theirs = h.emulator.addVersion(built.files.get('a.txt')!.itemId, 11);
    const skipped = await run(['mirror', h.dir, '--push', '--yes']);
    assert.equal(skipped.code, 0, skipped.stderr);
    assert.match(skipped.stdout, /^conflict {4}a\.txt: changed here and in APS \(v1 here, v2 in APS\); skipped$/m);
    assert.match(skipped.stderr, /Nothing to push to/);
    assert.deepEqual(writes(), []);

    const kept = await run(['mirror', h.dir, '--push', '--yes', '--conflict', 'keep-both']);
    assert.equal(kept.code, 0, kept.stderr);
    assert.match(kept.stdout, /^pushed {6}a\.txt as a \(1\)\.txt \(new file, 4 B\)$/m);
    const aps = await sdkTree(h.emulator, built.folderId);
    assert.deepEqual(Object.keys(aps), ['a (1).txt', 'a.txt']);
    assert.equal(aps['a.txt'], await h.sha1Of({ storage: theirs.objectKey }), "APS's version is untouched");
    assert.equal(await readFile(local('a (1).txt'), 'utf8'), 'mine');
  });

  it('after kill -9 the same command finishes the push: parts that arrived are not sent again, nothing is made twice', async () => {
    const { built } = await mirrored({ 'one.txt': [10] });
    await writeFile(local('one.txt'), 'changed');
    await writeFile(local('two.txt'), 'new');
    await writeFile(local('Big.rvt'), randomBytes(12 * MiB + 3));
    // Big.rvt goes in three parts: the first one sent arrives, the others get no answer until the fault is gone.
    const stall = h.emulator.faults.add({ kind: 'stall', origin: 'storage', method: 'PUT', path: '**/*.rvt', skip: 1 });
    const child = h.spawn(['mirror', h.dir, '--push', '--yes', '--quiet'], env());
    const made = () => h.emulator.requests.list({ method: 'POST', path: /\/(items|versions)$/ }).filter((request) => request.status === 201).length;
    while (made() < 2 || (await journaledParts()).length < 1) {
      assert.equal(child.exitCode, null, 'the push ended before it could be killed');
      await wait(20);
    }
    const kept = await journaledParts();
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('close', resolve));
    assert.ok(existsSync(local('.aps-mirror.push.json')), 'the accepted push is kept');

    h.emulator.faults.remove(stall);
    h.emulator.requests.clear();
    const { code, stdout, stderr } = await run(['mirror', h.dir, '--push', '--json']);
    assert.equal(code, 0, stderr);
    assert.match(stderr, /Finishing the push to .* accepted .*: \d files? left to send/);
    const resumed = JSON.parse(stdout) as PushDocument;
    assert.equal(resumed.resumed, true);
    assert.equal(h.emulator.requests.list({ method: 'POST', path: /\/items$/ }).filter((request) => request.status === 201).length, 1, 'only the big file is made now');
    assert.equal(h.emulator.requests.list({ method: 'POST', path: /\/versions$/ }).length, 0);
    const parts = h.emulator.requests.list({ origin: 'storage', method: 'PUT' }).filter((put) => put.status === 200).map((put) => Number(put.query.partNumber));
    for (const part of kept) assert.ok(!parts.includes(part), `part ${part} was sent again`);
    assert.deepEqual(await sdkTree(h.emulator, built.folderId), await localTree(h.dir));
    const items = await readdir(h.dir);
    assert.ok(!items.includes('.aps-mirror.push.json'));
  });

  describe('bad input', () => {
    it('is 2 for a remote with --push, mirror-only options with --push, push-only options without it, or a bad --conflict', async () => {
      for (const [args, pattern] of [
        [['mirror', TOWER_FILES, h.dir, '--push'], /mirror --push takes the <local-dir> of a mirror alone/],
        [['mirror', h.dir, '--push', '--delete'], /--delete, --force and --no-verify are for mirroring from APS/],
        [['mirror', TOWER_FILES, h.dir, '--dry-run'], /--dry-run and --yes go with --push/],
        [['mirror', h.dir, '--push', '--conflict', 'merge'], /--conflict with --push is skip, keep-both or overwrite/],
      ] as const) {
        const { code, stderr } = await run([...args]);
        assert.equal(code, 2, `${args.join(' ')}: ${stderr}`);
        assert.match(stderr, pattern);
      }
    });

    it('is 1 for a folder that is not a mirror', async () => {
      await writeFile(local('x.txt'), 'x');
      const { code, stderr } = await run(['mirror', h.dir, '--push']);
      assert.equal(code, 1);
      assert.match(stderr, /is not a mirror \(it has no \.aps-mirror\.json\): mirror a folder into it first/);
    });
  });

  /** The part numbers the upload journals in the state folder list. */
  async function journaledParts(): Promise<number[]> {
    const dir = path.join(state, 'uploads');
    const parts: number[] = [];
    for (const name of await readdir(dir).catch(() => [] as string[])) {
      if (!/^[0-9a-f]{40}\.json$/.test(name)) continue;
      const journal = JSON.parse(await readFile(path.join(dir, name), 'utf8').catch(() => '{}')) as { parts?: [number, string][] };
      parts.push(...(journal.parts ?? []).map(([part]) => part));
    }
    return parts;
  }
});
