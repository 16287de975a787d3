import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { setTimeout as wait } from 'node:timers/promises';
import type { FaultSpec } from '../../emulator';
import { inlineWritesFs, nodeFs } from '../../../src/core/transfer/disk/fileSystem';
import { isTransferError } from '../../../src/core/transfer/errors';
import type { DownloadOptions, DownloadResult } from '../../../src/core/transfer/types';
import { fsWith } from './faultyFs';
import { FAST, fileExists, KiB, listFiles, MiB, objectPath, progressRecorder, sha1OfFile, useTransferHarness } from './harness';
import { mulberry32 } from '../../emulator/random';

const RUNS = Number(process.env.APS_SOAK_RUNS ?? 25);
const SEED = Number(process.env.APS_SOAK_SEED ?? 20240304);

describe(`transfer: randomized fault soak (${RUNS} downloads, seed ${SEED})`, function () {
  this.timeout(60_000 + RUNS * 5_000);
  const h = useTransferHarness({ randomSeed: SEED });

  it('never leaves a corrupt file, nor any file under its final name unless verified', async () => {
    const random = mulberry32(SEED);
    const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)];
    const chance = (p: number) => random() < p;
    const outcomes = new Map<string, number>();
    const count = (key: string) => outcomes.set(key, (outcomes.get(key) ?? 0) + 1);

    for (let run = 0; run < RUNS; run++) {
      const size = pick([0, 1, Math.floor(random() * 64 * KiB), Math.floor(random() * 2 * MiB), 3 * MiB + Math.floor(random() * 1000)]);
      const object = await h.emulator.addObject({ size });
      const where = objectPath(object.objectKey);
      const faults: FaultSpec[] = [];
      if (chance(0.4)) faults.push({ kind: 'status', status: pick([429, 500, 502, 503]), retryAfter: pick([undefined, 1]), probability: 0.3, count: 1 + Math.floor(random() * 4) });
      if (chance(0.3)) faults.push({ kind: 'reset', afterBytes: Math.floor(random() * 200 * KiB), probability: 0.5, count: 3 });
      if (chance(0.3)) faults.push({ kind: 'truncate', afterBytes: Math.floor(random() * 200 * KiB), probability: 0.5, count: 3 });
      if (chance(0.15)) faults.push({ kind: 'stall', afterBytes: Math.floor(random() * 100 * KiB), count: 1 });
      if (chance(0.2)) faults.push({ kind: 'wrongContentRange', shiftBytes: 1 + Math.floor(random() * 4096), count: 2 });
      if (chance(0.1)) faults.push({ kind: 'ignoreRange' });
      if (chance(0.1)) faults.push({ kind: 'replaceObject', afterBytes: Math.floor(random() * 300 * KiB), newSize: pick([size, size + 1, Math.floor(size / 2)]), count: 1 });
      if (chance(0.15)) faults.push({ kind: 'expireSignedUrl', count: 1 });
      if (chance(0.04)) faults.push({ kind: 'status', status: 500 });
      const diskFull = size > 0 && chance(0.04);
      const cancelMidway = size > 256 * KiB && chance(0.15);
      if (cancelMidway) faults.push({ kind: 'bandwidth', bytesPerSecond: 2 * MiB });
      // As the extension writes (libuv's thread pool), or as the command line does (on the event loop).
      const inlineWrites = chance(0.5);
      const fs = inlineWrites ? inlineWritesFs : nodeFs;
      const ids = faults.map((fault) => h.emulator.faults.add({ ...fault, path: where }));

      const target = path.join(h.dir, `run-${run}.bin`);
      const options: DownloadOptions = {
        ...FAST,
        stallTimeoutMs: 200,
        connections: 1 + Math.floor(random() * 8),
        chunkSize: pick([16 * KiB, 64 * KiB, 200 * KiB, 1 * MiB]),
        singleRequestThreshold: pick([0, 256 * KiB, 16 * MiB]),
      };
      const progress = progressRecorder();
      let result: DownloadResult | undefined;
      let failure: unknown;
      try {
        if (cancelMidway) {
          const controller = new AbortController();
          const first = h.engine({ fs }).download(h.source(object), target, { ...options, signal: controller.signal });
          await wait(20 + Math.floor(random() * 80));
          controller.abort();
          await first.catch((error: unknown) => assert.ok(isTransferError(error), String(error)));
          for (const id of ids) h.emulator.faults.remove(id);
        }
        const engine = h.engine({ fs: diskFull ? fsWith({ base: fs, failWriteAfterBytes: { bytes: Math.floor(random() * size), code: 'ENOSPC' } }) : fs });
        result = await engine.download(h.source(object), target, { ...options, onProgress: progress.onProgress });
      } catch (error) {
        failure = error;
      }
      for (const id of ids) h.emulator.faults.remove(id);

      const current = await h.emulator.describeObject(object.bucketKey, object.objectKey);
      const label = `run ${run} (size ${size}, ${faults.map((f) => f.kind).join('+') || 'no faults'}${inlineWrites ? ', inline writes' : ''})`;
      if (result) {
        // A replacement may land just after the last byte was served: then the old version is the right answer.
        const versions = new Map([
          [object.sha1, object.size],
          [current.sha1, current.size],
        ]);
        const actual = await sha1OfFile(target);
        assert.ok(versions.has(actual), `${label}: corrupt file (sha1 ${actual})`);
        assert.equal(result.sha1, actual, label);
        progress.check(versions.get(actual) as number);
        count('downloaded');
      } else {
        assert.ok(isTransferError(failure), `${label}: ${String(failure)}`);
        assert.ok(!(await fileExists(target)), `${label}: a failed download left ${target}`);
        count(`failed: ${failure.code}`);
      }
      const leftovers = (await listFiles(h.dir)).filter((f) => f.startsWith(`run-${run}.`) && f !== `run-${run}.bin`);
      if (result) assert.deepEqual(leftovers, [], `${label}: temp files left after success`);
    }

    const summary = [...outcomes].map(([key, n]) => `${key}: ${n}`).join(', ');
    console.log(`      soak outcomes: ${summary}`);
    assert.ok((outcomes.get('downloaded') ?? 0) >= RUNS * 0.7, `too few downloads succeeded (${summary})`);
  });
});
