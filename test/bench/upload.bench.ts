// Upload engine vs curl on the emulator's storage origin (not a test). The emulator runs in a child process.
// Capped: 16 MiB/s per connection + 20 ms per request, 256 MiB from disk, 8 parts in flight, next to one
// `curl -T` of the whole file and 8 curls of one part each; then peak RSS of the command line for 1 GiB.
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createApsClient, type ApsClient } from '../../src/core/client';
import { seed } from '../emulator/seed';
import { startEmulatorProcess } from './emulatorProcess';
import { contenderEnv, installed, mib, MiB, runMeasured, table, type Run } from './processes';

const CAP = 16 * MiB;
const LATENCY_MS = 20;
const SIZE = 256 * MiB;
const CONNECTIONS = 8;
const CLI = path.resolve(__dirname, '../../../dist/cli.js');
const TOWER = 'Emulator BIM 360 Account/Tower/Project Files';

interface UploadJson {
  seconds: number;
  files: { status: string; sha1?: string; partsSeconds?: number; error?: string }[];
}

/** A file of `size` pseudo-random bytes (written once, outside any timing), and its sha1. */
async function makeFile(file: string, size: number): Promise<string> {
  const hash = createHash('sha1');
  let state = 0x9e3779b9;
  const chunk = Buffer.allocUnsafe(MiB);
  async function* chunks() {
    for (let done = 0; done < size; done += MiB) {
      for (let i = 0; i < chunk.length; i += 4) {
        state = (state * 1664525 + 1013904223) >>> 0;
        chunk.writeUInt32LE(state, i);
      }
      const piece = Buffer.from(chunk.subarray(0, Math.min(MiB, size - done)));
      hash.update(piece);
      yield piece;
    }
  }
  await pipeline(chunks, createWriteStream(file));
  return hash.digest('hex');
}

async function control(baseUrl: string, faults: object[]): Promise<void> {
  await fetch(`${baseUrl}/__emulator/faults`, { method: 'DELETE' });
  if (faults.length > 0) {
    const response = await fetch(`${baseUrl}/__emulator/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(faults) });
    if (!response.ok) throw new Error(`faults: ${response.status} ${await response.text()}`);
  }
}

/** The CLI uploading `file` into `folder`; ok when it says it uploaded the bytes with this sha1 (checked against OSS). */
async function cliUpload(file: string, folder: string, sha1: string, env: NodeJS.ProcessEnv, extra: string[] = []): Promise<{ run: Run; json?: UploadJson; ok: boolean; note?: string }> {
  const run = await runMeasured(process.execPath, [CLI, 'upload', file, folder, '--json', '--quiet', ...extra], env);
  let json: UploadJson | undefined;
  try {
    json = JSON.parse(run.stdout) as UploadJson;
  } catch {
    // reported below
  }
  const ok = run.code === 0 && json?.files[0]?.status === 'uploaded' && json.files[0].sha1 === sha1;
  return { run, json, ok, note: ok ? undefined : `exit ${run.code}: ${json?.files[0]?.error ?? run.stderr.trim().slice(0, 200)}` };
}

/** Signed part URLs of a fresh upload session for a file in `folderId` (what curl PUTs to). */
async function partUrls(client: ApsClient, folderId: string, name: string, parts: number): Promise<string[]> {
  const storage = await client.writes.createStorage(seed.ids.bim360Project, { folderId, name });
  const signed = await client.signedUpload.uploadUrls(storage, { count: parts, minutesExpiration: 60 });
  return signed.parts.map((part) => part.url);
}

/** curl -T of each file to its URL, all at once; ok when every PUT answered 200. */
async function curlPuts(files: string[], urls: string[]): Promise<{ run: Run; ok: boolean }> {
  const script = [
    'set -e; n=$(( $# / 2 )); pids=(); out=$(mktemp -d)',
    'for ((i = 1; i <= n; i++)); do file=${!i}; j=$(( i + n )); url=${!j}',
    '  curl -sS -H "Expect:" -o /dev/null -w "%{http_code}\\n" -T "$file" "$url" > "$out/$i" & pids+=($!); done',
    'for pid in "${pids[@]}"; do wait "$pid"; done',
    'cat "$out"/*; rm -r "$out"',
  ].join('\n');
  const run = await runMeasured('bash', ['-c', script, 'curl-puts', ...files, ...urls], contenderEnv());
  return { run, ok: run.code === 0 && run.stdout.trim().split('\n').every((line) => line === '200') };
}

async function split(file: string, parts: number, size: number): Promise<string[]> {
  const share = size / parts;
  return Promise.all(
    Array.from({ length: parts }, async (_, index) => {
      const piece = `${file}.part${index + 1}`;
      await pipeline(createReadStream(file, { start: index * share, end: (index + 1) * share - 1 }), createWriteStream(piece));
      return piece;
    }),
  );
}

export async function run(): Promise<void> {
  const { baseUrl, child } = await startEmulatorProcess();
  const dir = await mkdtemp(path.join(tmpdir(), 'aps-upload-bench-'));
  const { clientId, clientSecret } = seed.credentials;
  const env = contenderEnv({ APS_BASE_URL: baseUrl, APS_CLIENT_ID: clientId, APS_CLIENT_SECRET: clientSecret as string, APS_USER_ID: seed.ids.users.demo, APS_EXPLORER_STATE_DIR: path.join(dir, 'state') });
  const client = createApsClient({ baseUrl, auth: { kind: '2-legged', clientId, clientSecret: clientSecret as string, userId: seed.ids.users.demo }, proxy: { url: '' } });
  try {
    const folder = await client.writes.createFolder(seed.ids.bim360Project, { parentId: seed.ids.folders.bim360ProjectFiles, name: 'Upload Bench', kind: 'bim360' });
    const target = `${TOWER}/Upload Bench`;
    const file = path.join(dir, 'Bench 256MiB.rvt');
    const sha1 = await makeFile(file, SIZE);
    const pieces = await split(file, CONNECTIONS, SIZE);
    const hasCurl = installed('curl');
    const limit = SIZE / (CONNECTIONS * CAP);

    // A first upload outside the timing, so the rows compare uploads into a folder that has the file already (a new version each).
    await cliUpload(file, target, sha1, env);
    await control(baseUrl, [
      { kind: 'bandwidth', origin: 'storage', bytesPerSecond: CAP },
      { kind: 'latency', origin: 'storage', latencyMs: LATENCY_MS },
    ]);
    const engine = await cliUpload(file, target, sha1, env);
    const rows: string[][] = [];
    const row = (name: string, connections: number, result: { run: Run; ok: boolean; note?: string }, own = '', parts = '') => {
      const rowLimit = SIZE / (connections * CAP);
      rows.push([name, result.ok ? result.run.seconds.toFixed(2) : `FAILED ${result.note ?? ''}`, own, parts, mib(SIZE / result.run.seconds), rowLimit.toFixed(2), (result.run.seconds / rowLimit).toFixed(3), result.run.peakRssBytes === undefined ? '' : mib(result.run.peakRssBytes)]);
    };
    row(`aps-explorer upload (${CONNECTIONS} parts in flight, size and SHA-1 checked, new version made)`, CONNECTIONS, engine, engine.json?.seconds.toFixed(2) ?? '', engine.json?.files[0]?.partsSeconds?.toFixed(2) ?? '');
    if (hasCurl) {
      const parallel = await curlPuts(pieces, await partUrls(client, folder.id, 'floor.rvt', CONNECTIONS));
      row(`floor: ${CONNECTIONS} x curl -T, one ${mib(SIZE / CONNECTIONS)} MiB part each (split beforehand)`, CONNECTIONS, parallel);
      const single = await curlPuts([file], await partUrls(client, folder.id, 'curl.rvt', 1));
      row('reference: curl -T, the whole file as one PUT', 1, single);
    }
    await control(baseUrl, []);
    console.log(`\n256 MiB from disk, ${mib(CAP)} MiB/s per connection, ${LATENCY_MS} ms per request (limit ${limit.toFixed(2)} s at ${CONNECTIONS} connections; target at most ${(1.15 * limit).toFixed(2)} s)`);
    console.log(table(['contender', 'wall s', 'engine s', 'parts s', 'MiB/s', 'limit s', 'wall / limit', 'peak RSS MiB'], rows));
    console.log(
      'engine s: from the start of the command to its end, without starting Node; parts s: from the first part PUT to the last answer. The rest is the ' +
        "token, finding the folder by its names, POST storage, signing, the completion, OSS's details (the emulator hashes the stored object then) and POST versions.",
    );

    // Peak RSS: 1 GiB uncapped, next to what any command of the CLI peaks at here.
    const big = path.join(dir, 'Bench 1GiB.rvt');
    const bigSha1 = await makeFile(big, 1024 * MiB);
    await rm(file, { force: true });
    const ls = await runMeasured(process.execPath, [CLI, 'ls', target], env);
    const bigUpload = await cliUpload(big, target, bigSha1, env);
    console.log('\nPeak RSS of the command line, uncapped');
    console.log(
      table(
        ['command', 'result', 'wall s', 'peak RSS MiB'],
        [
          [`ls "${target}"`, ls.code === 0 ? 'ok' : `FAILED exit ${ls.code}`, ls.seconds.toFixed(2), mib(ls.peakRssBytes ?? 0)],
          ['upload 1 GiB (target: at most 100 MiB)', bigUpload.ok ? 'ok' : `FAILED ${bigUpload.note ?? ''}`, bigUpload.run.seconds.toFixed(2), mib(bigUpload.run.peakRssBytes ?? 0)],
        ],
      ),
    );
    if (!hasCurl) console.log('(curl is not installed: its rows are missing)');
  } finally {
    await client.close();
    await rm(dir, { recursive: true, force: true });
    child.kill('SIGTERM');
  }
}
