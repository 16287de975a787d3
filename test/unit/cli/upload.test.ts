// `aps-explorer upload` as users run it (dist/cli.js in a child process) against the emulator; what APS holds
// afterwards read through Autodesk's own SDK.
import * as assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { setTimeout as wait } from 'node:timers/promises';
import { defaultJournalDir } from '../../../src/core/upload';
import type { Json } from '../emulator/helpers';
import { folderHeld, sdkClients, subfolderId, type SdkClients } from '../sdk/sdk';
import { MiB } from '../transfer/harness';
import { TOWER_FILES, useCliHarness } from './harness';

interface UploadSummary {
  target: string;
  files: { name: string; local: string; action: string; status: string; size: number; sha1?: string; itemId?: string; versionNumber?: number; resumedBytes?: number; adopted?: boolean; error?: string }[];
  uploaded: number;
  skipped: number;
  failed: number;
  newItems: number;
  newVersions: number;
  newFolders: number;
}


const sha1 = (bytes: Buffer) => createHash('sha1').update(bytes).digest('hex');

describe('aps-explorer upload (dist/cli.js against the emulator, checked through Autodesk’s SDK)', function () {
  this.timeout(120_000);
  const h = useCliHarness();
  let state = '';
  let sdk: SdkClients;
  let folderId = '';
  let folderPath = '';
  let tests = 0;

  beforeEach(async () => {
    state = await mkdtemp(path.join(tmpdir(), 'aps-cli-state-'));
    const { ids } = h.emulator.seed;
    sdk = sdkClients(h.emulator, h.emulator.issueToken({ scopes: ['data:read', 'data:write', 'data:create'] }));
    const name = `CLI upload ${++tests}`;
    const folder = (await sdk.dm.createFolder(ids.bim360Project, {
      jsonapi: { version: '1.0' },
      data: { type: 'folders', attributes: { name, extension: { type: 'folders:autodesk.bim360:Folder', version: '1.0' } }, relationships: { parent: { data: { type: 'folders', id: ids.folders.level1 } } } },
    } as never)) as unknown as Json;
    folderId = folder.data.id;
    folderPath = `${TOWER_FILES}/Level 1/${name}`;
  });
  afterEach(async () => {
    await rm(state, { recursive: true, force: true });
  });

  const env = () => h.env({ APS_EXPLORER_STATE_DIR: state });
  async function upload(args: string[]): Promise<UploadSummary> {
    const { code, stdout, stderr } = await h.run(['upload', ...args, '--json'], env());
    assert.equal(code, 0, stderr);
    return JSON.parse(stdout) as UploadSummary;
  }
  async function local(relative: string, bytes: Buffer): Promise<string> {
    const file = path.join(h.dir, relative);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, bytes);
    return file;
  }
  const held = (id = folderId) => folderHeld(sdk, h.emulator.seed.ids.bim360Project, id);
  const subfolder = (name: string, id = folderId) => subfolderId(sdk, h.emulator.seed.ids.bim360Project, id, name);

  it('uploads a file as a new item, the same name again as version 2, and a folder with its subfolders', async () => {
    const first = randomBytes(6 * MiB + 3);
    const file = await local('Tower East.rvt', first);
    const one = await upload([file, folderPath]);
    assert.deepEqual([one.uploaded, one.newItems, one.files[0].name, one.files[0].status, one.files[0].sha1], [1, 1, 'Tower East.rvt', 'uploaded', sha1(first)]);
    assert.deepEqual(await held(), { 'Tower East.rvt': [1, sha1(first)] });

    const second = randomBytes(1234);
    await writeFile(file, second);
    const two = await upload([file, folderPath]);
    assert.deepEqual([two.newVersions, two.files[0].action, two.files[0].versionNumber], [1, 'new-version', 2]);
    assert.deepEqual(await held(), { 'Tower East.rvt': [2, sha1(second)] });

    const a = randomBytes(100);
    const b = randomBytes(200);
    await local('Site/Plan.dwg', a);
    await local('Site/Details/Wall.dwg', b);
    const three = await upload([path.join(h.dir, 'Site'), folderPath]);
    assert.deepEqual([three.uploaded, three.newFolders, three.files.map((f) => f.name).sort()], [2, 2, ['Site/Details/Wall.dwg', 'Site/Plan.dwg']]);
    const site = await subfolder('Site');
    assert.deepEqual(await held(site), { Details: 'folder', 'Plan.dwg': [1, sha1(a)] });
    assert.deepEqual(await held(await subfolder('Details', site)), { 'Wall.dwg': [1, sha1(b)] });
  });

  it('takes an item as the remote for its next version, and applies --conflict keep-both and skip', async () => {
    const file = await local('Notes.txt', randomBytes(10));
    await upload([file, folderPath]);
    const next = randomBytes(20);
    const renamed = await local('renamed.txt', next);
    const version = await upload([renamed, `${folderPath}/Notes.txt`]);
    assert.deepEqual([version.files[0].name, version.files[0].versionNumber], ['Notes.txt', 2]);
    const kept = await upload([file, folderPath, '--conflict', 'keep-both']);
    assert.equal(kept.files[0].name, 'Notes (1).txt');
    const skipped = await upload([file, folderPath, '--conflict', 'skip']);
    assert.deepEqual([skipped.skipped, skipped.uploaded], [1, 0]);
    const now = await held();
    assert.deepEqual(Object.keys(now).sort(), ['Notes (1).txt', 'Notes.txt']);
    assert.deepEqual(now['Notes.txt'], [2, sha1(next)]);
  });

  it('says what it would do with --dry-run, and does nothing', async () => {
    const file = await local('Dry.txt', randomBytes(10));
    h.emulator.requests.clear();
    const { code, stdout, stderr } = await h.run(['upload', file, folderPath, '--dry-run'], env());
    assert.equal(code, 0, stderr);
    assert.match(stderr, /^Uploading 1 file \(10 B\) into .*CLI upload \d+: 1 new\.$/m);
    assert.match(stdout, /^new file +Dry\.txt$/m);
    assert.deepEqual(h.emulator.requests.list({ method: 'POST', path: /^\/(data|oss)\// }), [], 'no write (a token is all it asked for)');
    assert.deepEqual(await held(), {});
  });

  it('goes on past a file it cannot upload, naming it and why, and exits 1', async () => {
    const good = await local('Good.txt', randomBytes(10));
    const missing = path.join(h.dir, 'Nowhere.txt');
    const { code, stdout, stderr } = await h.run(['upload', missing, good, folderPath], env());
    assert.equal(code, 1);
    assert.match(stderr, new RegExp(`failed {6}Nowhere\\.txt: "${missing.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}" does not exist\\.`));
    assert.match(stdout, /^uploaded {4}Good\.txt \(10 B, new file\)$/m);
    assert.deepEqual(Object.keys(await held()), ['Good.txt']);
  });

  describe('exit status 2 for usage errors', () => {
    for (const [label, args, pattern] of [
      ['no remote', ['upload', 'x'], /upload takes one or more local files or folders, then the <remote>/],
      ['a bad conflict choice', ['upload', 'x', 'y', '--conflict', 'overwrite'], /--conflict is new-version, keep-both or skip/],
      ['a part under 5 MiB', ['upload', 'x', 'y', '--part-size', '1M'], /--part-size is at least 5M/],
      ['a project as the remote', ['upload', '.', 'Emulator BIM 360 Account/Tower'], /Tower is a project: upload into one of its folders/],
    ] as const) {
      it(label, async () => {
        const { code, stderr } = await h.run([...args], env());
        assert.equal(code, 2, stderr);
        assert.match(stderr, pattern);
      });
    }

    it('with --help, exit 0, and the journal folder named', async () => {
      const { code, stdout } = await h.run(['upload', '--help'], env());
      assert.equal(code, 0);
      assert.match(stdout, /^Usage: aps-explorer upload <local file or folder>\.\.\. <remote>/);
      assert.ok(stdout.includes(defaultJournalDir({ APS_EXPLORER_STATE_DIR: state })), stdout);
    });
  });

  describe('stopped midway, resumed by the same command', () => {
    /** The parts the journal in the state folder lists (0 before it exists). */
    async function journaledParts(): Promise<number[]> {
      const dir = path.join(state, 'uploads');
      for (const name of await readdir(dir).catch(() => [] as string[])) {
        if (!/^[0-9a-f]{40}\.json$/.test(name)) continue;
        const journal = JSON.parse(await readFile(path.join(dir, name), 'utf8').catch(() => '{}')) as { parts?: [number, string][] };
        return (journal.parts ?? []).map(([part]) => part);
      }
      return [];
    }

    for (const signal of ['SIGKILL', 'SIGINT'] as const) {
      it(`${signal === 'SIGKILL' ? 'kill -9' : 'Ctrl-C'}: the next run sends only the parts still missing`, async () => {
        const bytes = randomBytes(25 * MiB + 11);
        const file = await local('Big Model.rvt', bytes);
        const args = ['upload', file, folderPath, '--part-size', '5M', '--connections', '2', '--json'];
        const throttle = h.emulator.faults.add({ kind: 'bandwidth', origin: 'storage', method: 'PUT', bytesPerSecond: 4 * MiB });
        const child = h.spawn(args, env());
        let stderr = '';
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
        for (let i = 0; i < 1500 && (await journaledParts()).length < 2; i++) await wait(20);
        const kept = await journaledParts();
        child.kill(signal);
        const code = await exited;
        if (signal === 'SIGINT') {
          assert.equal(code, 130, stderr);
          assert.match(stderr, /Stopped\. What was sent is kept: run the same command again to resume\./);
        }
        assert.ok(kept.length >= 2 && kept.length < 6, `kept ${kept}`);
        assert.deepEqual(await held(), {}, 'no item before the upload completes');

        h.emulator.faults.remove(throttle);
        h.emulator.requests.clear();
        const { code: again, stdout, stderr: errors } = await h.run(args, env());
        assert.equal(again, 0, errors);
        const summary = JSON.parse(stdout) as UploadSummary;
        const onDisk = (await journaledParts()).length;
        assert.equal(onDisk, 0, 'the journal is gone');
        const resent = h.emulator.requests.list({ origin: 'storage', method: 'PUT' }).filter((put) => put.status === 200).map((put) => Number(put.query.partNumber));
        for (const part of kept) assert.ok(!resent.includes(part), `part ${part} was kept from the first run (sent again: ${resent})`);
        assert.ok(summary.files[0].resumedBytes! >= kept.length * 5 * MiB, `resumed ${summary.files[0].resumedBytes}`);
        assert.deepEqual(await held(), { 'Big Model.rvt': [1, sha1(bytes)] });
      });
    }
  });
});
