import * as assert from 'node:assert/strict';
import { readFile, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { setTimeout as wait } from 'node:timers/promises';
import { partFilesFor } from '../../../src/core/transfer';
import { IntervalSet } from '../../../src/core/transfer/plan/intervals';
import { parseJournal } from '../../../src/core/transfer/disk/journal';
import { fileExists, listFiles, MiB, requestedRanges, sha1OfFile } from '../transfer/harness';
import { TOWER_FILES, useCliHarness } from './harness';

interface Summary {
  files: { name: string; target: string; status: string; size?: number; sha1?: string; resumedBytes?: number; error?: string }[];
  downloaded: number;
  skipped: number;
  failed: number;
}

describe('aps-explorer download (dist/cli.js against the emulator)', function () {
  this.timeout(120_000);
  const h = useCliHarness();

  async function download(args: string[]): Promise<Summary> {
    const { code, stdout, stderr } = await h.run(['download', ...args, '--json']);
    assert.equal(code, 0, stderr);
    return JSON.parse(stdout) as Summary;
  }

  it("downloads a file's latest version by its path of names", async () => {
    const tower = h.item(h.emulator.seed.ids.items.towerRvt);
    const summary = await download([`${TOWER_FILES}/Tower.rvt`, h.dir]);
    const expected = await h.sha1Of(tower.versions.at(-1)!);
    assert.deepEqual(summary.files.map(({ name, status, sha1 }) => ({ name, status, sha1 })), [{ name: 'Tower.rvt', status: 'downloaded', sha1: expected }]);
    assert.equal(await sha1OfFile(path.join(h.dir, 'Tower.rvt')), expected);
    assert.deepEqual(await listFiles(h.dir), ['Tower.rvt'], 'no part file or journal left');
  });

  it('downloads an older version by its URN', async () => {
    const tower = h.item(h.emulator.seed.ids.items.towerRvt);
    const [first] = tower.versions;
    await download([first.id, h.dir]);
    assert.equal(await sha1OfFile(path.join(h.dir, 'Tower.rvt')), await h.sha1Of(first));
  });

  it('downloads a folder recursively, its structure kept, every file as the emulator holds it', async () => {
    const { seed } = h.emulator;
    const summary = await download([seed.ids.folders.level1, h.dir]);
    assert.equal(summary.downloaded, 4);
    const expected = ['Level 1 Note.txt', 'Level 2/Level 2 Note.txt', 'Level 2/Level 3/Level 3 Note.txt', 'Level 2/Level 3/Level 4/Level 4 Note.txt'];
    assert.deepEqual(await listFiles(h.dir), expected.map((file) => path.join('Level 1', ...file.split('/'))));
    for (const file of expected) {
      const item = seed.items.find((candidate) => candidate.displayName === path.basename(file));
      assert.equal(await sha1OfFile(path.join(h.dir, 'Level 1', ...file.split('/'))), await h.sha1Of(item!.versions.at(-1)!), file);
    }
  });

  it('applies the conflict policy as the extension does', async () => {
    const notes = `${TOWER_FILES}/Notes.txt`;
    await download([notes, h.dir]);
    const skipped = await download([notes, h.dir, '--conflict', 'skip']);
    assert.deepEqual([skipped.skipped, skipped.downloaded], [1, 0]);
    const kept = await download([notes, h.dir, '--conflict', 'keep-both']);
    assert.equal(path.basename(kept.files[0].target), 'Notes (1).txt');
    assert.deepEqual(await listFiles(h.dir), ['Notes (1).txt', 'Notes.txt']);
  });

  it('downloads a plain URL to a file, checking the SHA-1 it is given', async () => {
    const object = await h.emulator.addObject({ size: 3 * MiB + 5 });
    const url = h.emulator.signedUrl(object.bucketKey, object.objectKey, { minutes: 10 });
    const target = path.join(h.dir, 'plain.bin');
    const summary = await download([url, target, '--sha1', object.sha1]);
    assert.equal(summary.files[0].sha1, object.sha1);
    assert.equal(await sha1OfFile(target), object.sha1);
    const wrong = await h.run(['download', url, path.join(h.dir, 'wrong.bin'), '--sha1', '0'.repeat(40)]);
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /failed {6}wrong\.bin: .*does not match the expected 0{40}/);
    assert.ok(!(await fileExists(path.join(h.dir, 'wrong.bin'))));
  });

  describe('exit status', () => {
    for (const [label, args, pattern] of [
      ['no command', [], /Usage: aps-explorer <command>/],
      ['an unknown command', ['copy', 'x'], /Unknown command "copy"/],
      ['an unknown option', ['ls', '--recursive'], /Unknown option '--recursive'/],
      ['a bad number of connections', ['download', 'x', '--connections', '40'], /--connections takes a whole number from 1 to 16/],
      ['a plain URL without a file', ['download', 'https://example.com/a.bin'], /needs the <file> to write/],
      ['a project to download', ['download', 'Emulator BIM 360 Account/Tower'], /Tower is a project: download one of its folders/],
    ] as const) {
      it(`is 2 for a usage error: ${label}`, async () => {
        const { code, stderr } = await h.run([...args]);
        assert.equal(code, 2);
        assert.match(stderr, pattern);
      });
    }

    it('is 1, with one line, for wrong credentials or missing ones', async () => {
      const wrong = await h.run(['ls'], h.env({ APS_CLIENT_SECRET: 'not-the-secret' }));
      assert.equal(wrong.code, 1);
      assert.equal(wrong.stderr.trim().split('\n').length, 1, wrong.stderr);
      assert.match(wrong.stderr, /^aps-explorer: .*credentials/i);
      assert.ok(!wrong.stderr.includes('not-the-secret'));
      const none = await h.run(['ls'], { APS_BASE_URL: h.emulator.baseUrl });
      assert.equal(none.code, 1);
      assert.equal(none.stderr, 'aps-explorer: No credentials: set APS_CLIENT_ID and APS_CLIENT_SECRET (2-legged), or APS_ACCESS_TOKEN.\n');
    });

    it('is 0 with help, which each command has', async () => {
      for (const args of [['--help'], ['ls', '--help'], ['download', '--help'], ['help', 'download']]) {
        const { code, stdout } = await h.run(args);
        assert.equal(code, 0, args.join(' '));
        assert.match(stdout, /^Usage: aps-explorer /, args.join(' '));
      }
    });
  });

  it('stops on Ctrl-C leaving nothing under the final name, and the same command resumes where it stopped', async () => {
    const { seed } = h.emulator;
    const big = h.item(seed.ids.items.sizes.twentyFourMiBPlus1);
    const target = path.join(h.dir, '24MiB-plus-1.rvt');
    const journal = partFilesFor(target).journal;
    const args = ['download', `${TOWER_FILES}/Transfer Sizes/24MiB-plus-1.rvt`, h.dir, '--json'];
    const throttle = h.emulator.faults.add({ kind: 'bandwidth', origin: 'storage', bytesPerSecond: 2 * MiB });
    const child = h.spawn(args);
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const journaled = async () => IntervalSet.from(parseJournal(await readFile(journal, 'utf8').catch(() => ''))?.done ?? []);
    for (let i = 0; i < 600 && (await journaled()).size < 2 * MiB; i++) await wait(50);
    child.kill('SIGINT');
    assert.equal(await exited, 130, stderr);
    assert.match(stderr, /Stopped\. What arrived is kept: run the same command again to resume\./);
    await assert.rejects(stat(target), 'nothing under the final name');
    const onDisk = await journaled();
    const kept = onDisk.size;
    assert.ok(kept >= 2 * MiB && kept < seed.sizes.twentyFourMiBPlus1, `the journal keeps ${kept} bytes`);

    h.emulator.faults.remove(throttle);
    h.emulator.requests.clear();
    const { code, stdout } = await h.run(args);
    assert.equal(code, 0);
    const summary = JSON.parse(stdout) as Summary;
    assert.equal(summary.files[0].resumedBytes, kept);
    assert.equal(await sha1OfFile(target), await h.sha1Of(big.versions.at(-1)!));
    const key = big.versions.at(-1)!.storage!;
    const fetched = requestedRanges(h.emulator.requests.list({ origin: 'storage' }), key.slice(key.indexOf('/') + 1), seed.sizes.twentyFourMiBPlus1);
    assert.ok(fetched.length > 0);
    for (const [start, end] of fetched) assert.equal(onDisk.coveredWithin(start, end + 1), 0, `bytes ${start}-${end} were kept from the first run`);
    assert.deepEqual(await listFiles(h.dir), ['24MiB-plus-1.rvt']);
  });
});
