// Randomized fault soak of the upload engine, in the style of the transfer soak: every run ends with the exact
// bytes in APS (one more item or version, its stored object's SHA-1 the local file's) or a clean failure, and
// never a stray item, version or folder. APS_UPLOAD_SOAK_RUNS=1000 APS_UPLOAD_SOAK_SEED=n for a full soak.
import * as assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import * as path from 'node:path';
import { setTimeout as wait } from 'node:timers/promises';
import type { FaultSpec } from '../../emulator';
import { mulberry32 } from '../../emulator/random';
import type { FolderEntry, Item } from '../../../src/core/dm/models';
import type { ConflictChoice, UploadRunOptions, UploadRunResult } from '../../../src/core/upload';
import { FAST, KiB, MiB, useUploadHarness, type LocalFile } from './harness';

const RUNS = Number(process.env.APS_UPLOAD_SOAK_RUNS ?? 25);
const SEED = Number(process.env.APS_UPLOAD_SOAK_SEED ?? 20250521);

describe(`upload engine: randomized fault soak (${RUNS} runs, seed ${SEED})`, function () {
  this.timeout(60_000 + RUNS * 5_000);
  const h = useUploadHarness({ randomSeed: SEED });

  it('ends every run with the exact bytes in APS, once, or a clean failure, and nothing stray', async () => {
    const random = mulberry32(SEED);
    const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)];
    const chance = (p: number) => random() < p;
    const outcomes = new Map<string, number>();
    const count = (key: string) => outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
    const project = h.emulator.seed.ids.bim360Project;
    const size = () => pick([0, 1, Math.floor(random() * 64 * KiB), Math.floor(random() * 2 * MiB), 5 * MiB + Math.floor(random() * 1000), 11 * MiB + Math.floor(random() * 3000)]);

    for (let run = 0; run < RUNS; run++) {
      h.emulator.faults.clear();
      const folder = await h.client.writes.createFolder(project, { parentId: h.folderId, name: `run ${run}`, kind: 'bim360' });
      const target = h.target({ folderId: folder.id, names: [...h.target().names, `run ${run}`] });
      const engine = h.engine();
      // What the folder holds before the faulty upload: an item the upload may add a version to.
      const existing = chance(0.35) ? await h.file(`run-${run}/before/Model.rvt`, size()) : undefined;
      if (existing) {
        const seeded = await engine.run(await engine.plan([existing.path], target), FAST);
        assert.equal(seeded.uploaded.length, 1, `run ${run}: seeding failed: ${seeded.failed[0]?.error}`);
      }
      const asFolder = !existing && chance(0.2);
      const locals: LocalFile[] = asFolder
        ? await Promise.all(Array.from({ length: 1 + Math.floor(random() * 3) }, (_, i) => h.file(`run-${run}/Drop/Part ${i}.dwg`, size())))
        : [await h.file(`run-${run}/now/Model.rvt`, size())];
      const conflict: ConflictChoice = existing ? pick(['new-version', 'new-version', 'keep-both', 'skip'] as const) : 'new-version';
      const biggest = Math.max(...locals.map((local) => local.size));

      const faults: FaultSpec[] = [];
      const put = { origin: 'storage', method: 'PUT' } as const;
      const api = { origin: 'api' } as const;
      if (chance(0.3)) faults.push({ kind: 'reset', ...put, afterBytes: Math.floor(random() * 3 * MiB), probability: 0.5, count: 1 + Math.floor(random() * 3) });
      if (chance(0.3)) faults.push({ kind: 'status', ...put, status: pick([429, 500, 502, 503]), retryAfter: pick([undefined, 0]), probability: 0.5, count: 1 + Math.floor(random() * 3) });
      if (chance(0.1)) faults.push({ kind: 'stall', ...put, afterBytes: Math.floor(random() * 256 * KiB), count: 1 });
      if (chance(0.2)) faults.push({ kind: 'expireSignedUrl', ...put, count: 1 + Math.floor(random() * 2) });
      if (chance(0.15)) faults.push({ kind: 'loseAnswer', ...api, method: 'POST', path: '/data/v1/projects/*/items', count: 1 });
      if (chance(0.15)) faults.push({ kind: 'loseAnswer', ...api, method: 'POST', path: '/data/v1/projects/*/versions', count: 1 });
      if (chance(0.15)) faults.push({ kind: 'loseAnswer', ...api, method: 'POST', path: '/data/v1/projects/*/folders', count: 1 });
      if (chance(0.15)) faults.push({ kind: 'loseAnswer', ...api, method: 'POST', path: '^/oss/.*/signeds3upload$', count: 1 });
      if (chance(0.1)) faults.push({ kind: 'loseAnswer', ...api, method: 'POST', path: '/data/v1/projects/*/storage', count: 1 });
      if (chance(0.15)) faults.push({ kind: 'status', ...api, status: pick([500, 503]), method: 'POST', path: pick(['/data/v1/projects/*/items', '/data/v1/projects/*/versions', '/data/v1/projects/*/folders']), count: 1 });
      if (chance(0.1)) faults.push({ kind: 'status', ...api, status: 503, method: 'GET', path: pick(['^/oss/.*/signeds3upload$', '^/oss/.*/details$']), count: 2 });
      const broken = biggest > 0 && chance(0.05);
      if (broken) faults.push({ kind: 'status', ...put, status: 500 });
      const cancelMidway = biggest > 256 * KiB && chance(0.2);
      const ids = faults.map((fault) => h.emulator.faults.add(fault));

      const options: UploadRunOptions = { ...FAST, stallTimeoutMs: 200, connections: 1 + Math.floor(random() * 8), partSize: 5 * MiB, retry: { ...FAST.retry, attempts: broken ? 2 : 8 } };
      const sources = asFolder ? [path.join(h.dir, `run-${run}`, 'Drop')] : [locals[0].path];
      const plan = await engine.plan(sources, target, { conflict });
      let result: UploadRunResult | undefined;
      let failure: unknown;
      try {
        if (cancelMidway) {
          const throttle = h.emulator.faults.add({ kind: 'bandwidth', ...put, bytesPerSecond: 4 * MiB });
          const controller = new AbortController();
          const first = engine.run(plan, { ...options, signal: controller.signal });
          await wait(20 + Math.floor(random() * 150));
          controller.abort();
          await first;
          h.emulator.faults.remove(throttle);
          // A day later the upload session is gone: the rerun must start it over.
          if (chance(0.3)) h.emulator.clock.advance(25 * 3600_000);
        }
        result = await engine.run(plan, options);
      } catch (error) {
        failure = error;
      }
      for (const id of ids) h.emulator.faults.remove(id);
      h.emulator.faults.clear();
      const label = `run ${run} (sizes ${locals.map((local) => local.size)}, ${asFolder ? 'folder, ' : ''}${existing ? `${conflict}, ` : ''}${faults.map((f) => `${f.kind}${f.path ? ` ${f.path}` : ''}`).join('+') || 'no faults'}${cancelMidway ? ', cancelled and resumed' : ''})`;
      assert.equal(failure, undefined, `${label}: the run threw ${String(failure)}`);
      assert.equal(result?.cancelled, false, label);

      // What the run's folder holds now, read back fresh.
      const entries = await h.contents(folder.id);
      const items = async (within: FolderEntry[]) => Object.fromEntries(await Promise.all(within.filter((entry): entry is Item => entry.type === 'items').map(async (item) => [item.name, await h.versions(item.id)] as const)));
      if (asFolder) {
        const drops = entries.filter((entry) => entry.name === 'Drop');
        assert.ok(drops.length <= 1, `${label}: ${drops.length} folders named Drop`);
        assert.deepEqual(entries.filter((entry) => entry.name !== 'Drop'), [], `${label}: stray entries`);
        const inside = drops.length ? await items(await h.contents(drops[0].id)) : {};
        for (const file of plan.files) {
          const local = locals.find((candidate) => candidate.path === file.localPath) as LocalFile;
          const versions = inside[file.name];
          if (file.state === 'uploaded') {
            assert.equal(versions?.length, 1, `${label}: ${file.name} has ${versions?.length} versions`);
            assert.equal(await h.storedSha1(versions[0]), local.sha1, `${label}: ${file.name} holds other bytes`);
            count('uploaded');
          } else {
            assert.equal(file.state, 'failed', `${label}: ${file.name} is ${file.state}`);
            assert.ok(file.error, `${label}: no reason given`);
            assert.equal(versions, undefined, `${label}: a failed upload left ${file.name}`);
            count('failed');
          }
        }
        continue;
      }
      const [file] = plan.files;
      const held = await items(entries);
      assert.deepEqual(entries.filter((entry) => entry.type !== 'items'), [], `${label}: stray folders`);
      const expectedNames = new Set([...(existing ? ['Model.rvt'] : []), ...(file.state === 'uploaded' ? [file.name] : [])]);
      assert.deepEqual(Object.keys(held).sort(), [...expectedNames].sort(), `${label}: the folder holds ${Object.keys(held)}`);
      const before = existing ? 1 : 0;
      if (file.state === 'uploaded') {
        const versions = held[file.name];
        const grew = file.name === 'Model.rvt' ? before + 1 : 1;
        assert.equal(versions.length, grew, `${label}: ${file.name} has ${versions.length} versions, not ${grew}`);
        assert.equal(await h.storedSha1(versions[0]), locals[0].sha1, `${label}: APS holds other bytes`);
        assert.equal(file.result?.sha1, locals[0].sha1, label);
        count(file.result?.adopted ? 'uploaded (adopted after a lost answer)' : 'uploaded');
      } else if (file.state === 'skipped') {
        assert.equal(conflict, 'skip', `${label}: skipped`);
        assert.equal(held['Model.rvt']?.length, before, `${label}: a skipped file added a version`);
        count('skipped');
      } else {
        assert.equal(file.state, 'failed', `${label}: the file is ${file.state}`);
        assert.ok(file.error, `${label}: no reason given`);
        if (existing) assert.equal(held['Model.rvt'].length, before, `${label}: a failed upload added a version`);
        count('failed');
      }
      await rm(path.join(h.dir, `run-${run}`), { recursive: true, force: true });
    }
    const summary = [...outcomes].map(([key, n]) => `${key}: ${n}`).join(', ');
    console.log(`      upload soak outcomes: ${summary}`);
    const succeeded = [...outcomes].filter(([key]) => key.startsWith('uploaded') || key === 'skipped').reduce((sum, [, n]) => sum + n, 0);
    assert.ok(succeeded >= RUNS * 0.7, `too few uploads succeeded (${summary})`);
  });
});
