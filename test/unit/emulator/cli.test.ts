import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunningEmulator } from '../../emulator/index';
import { seed } from '../../emulator/seed';
import { uploadParts } from './uploadHelpers';

const CLI = join(__dirname, '..', '..', 'emulator', 'cli.js');

describe('emulator: CLI', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'emu-cli-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('prints base url, storage url, client id and secret first, applies --faults, and exits 0 on SIGTERM', async () => {
    const faults = join(dir, 'faults.json');
    writeFileSync(faults, JSON.stringify([{ kind: 'status', status: 503, path: '/project/v1/hubs' }]));
    const child = spawn(process.execPath, [CLI, '--port', '0', '--latency', '1', '--faults', faults], { stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      let out = '';
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          if (out.split('\n').length > 4) resolve();
        });
        child.once('exit', () => reject(new Error(`CLI exited early: ${out}`)));
      });
      const lines = out.split('\n').slice(0, 4);
      assert.match(lines[0], /^base url: http:\/\/127\.0\.0\.1:\d+$/);
      assert.match(lines[1], /^storage url: http:\/\/127\.0\.0\.1:\d+$/);
      assert.equal(lines[2], `client id: ${seed.credentials.clientId}`);
      assert.equal(lines[3], `client secret: ${seed.credentials.clientSecret}`);

      const base = lines[0].slice('base url: '.length);
      const response = await fetch(`${base}/project/v1/hubs`);
      assert.equal(response.status, 503, 'the --faults file is active');
      await response.arrayBuffer();
    } finally {
      child.kill('SIGTERM');
    }
    assert.equal(await exited, 0);
  });

  it('keeps uploaded bytes under --upload-dir and removes them on SIGTERM', async () => {
    const uploads = mkdtempSync(join(dir, 'uploads-'));
    const child = spawn(process.execPath, [CLI, '--upload-dir', uploads], { stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const out = await new Promise<string>((resolve, reject) => {
        let text = '';
        child.stdout.on('data', (chunk: Buffer) => {
          text += chunk.toString();
          if (text.includes('client secret:')) resolve(text);
        });
        child.once('exit', () => reject(new Error(`CLI exited early: ${text}`)));
      });
      const base = /base url: (\S+)/.exec(out)?.[1] as string;
      const { access_token: token } = (await (
        await fetch(`${base}/authentication/v2/token`, {
          method: 'POST',
          headers: { authorization: `Basic ${Buffer.from(`${seed.credentials.clientId}:${seed.credentials.clientSecret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
          body: 'grant_type=client_credentials&scope=data:read data:write data:create',
        })
      ).json()) as { access_token: string };
      const uploaded = await uploadParts({ baseUrl: base } as RunningEmulator, token, { projectId: seed.ids.bim360Project, folderId: seed.ids.folders.level1, name: 'cli.bin' }, [Buffer.from('bytes')]);
      assert.equal(uploaded.completed.status, 200);
      assert.equal(readdirSync(uploads).length, 1);
    } finally {
      child.kill('SIGTERM');
    }
    assert.equal(await exited, 0);
    assert.deepEqual(readdirSync(uploads), []);
  });

  it('refuses unknown arguments with exit code 2', async () => {
    const child = spawn(process.execPath, [CLI, '--bogus'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    assert.equal(code, 2);
    assert.match(err, /unknown argument --bogus/);
  });
});
