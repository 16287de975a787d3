// Listing the 5,000-item folder at 50 ms injected latency: sequential paging vs speculative prefetch.
// The emulator runs in a child process so its CPU work does not queue behind the client's on one event loop.
import { seed } from '../emulator/seed';
import { createApsClient, type RequestLogEntry } from '../../src/core';
import { startEmulatorProcess } from './emulatorProcess';

const LATENCY_MS = 50;
const TARGET_ROUND_TRIPS = 8;

interface Timed {
  start: number;
  end: number;
}

/**
 * Round trips on the critical path: a request's round is one more than the highest round among the
 * requests that had completed when it started (sequential paging: one round per page).
 */
function roundTrips(requests: Timed[]): number {
  const sorted = [...requests].sort((a, b) => a.start - b.start);
  const rounds: number[] = [];
  sorted.forEach((request, index) => {
    let before = 0;
    for (let other = 0; other < index; other++) if (sorted[other].end <= request.start) before = Math.max(before, rounds[other]);
    rounds.push(before + 1);
  });
  return Math.max(0, ...rounds);
}


export async function run(): Promise<void> {
  const { baseUrl, child } = await startEmulatorProcess(['--latency', String(LATENCY_MS)]);
  let timings: Timed[] = [];
  const onRequestLog = (entry: RequestLogEntry): void => {
    if (!entry.url.includes('/contents')) return;
    const end = performance.now();
    timings.push({ start: end - entry.durationMs, end });
  };
  const { clientId, clientSecret } = seed.credentials;
  const client = createApsClient({
    baseUrl,
    auth: { kind: '2-legged', clientId, clientSecret: clientSecret as string, scopes: ['data:read'] },
    proxy: { url: '' },
    onRequestLog,
  });
  const { bim360Project, folders } = seed.ids;
  try {
    await client.dm.getFolder(bim360Project, folders.bigFolder); // token and a warm connection
    const rows: Array<{ mode: string; requests: number; rounds: number; ms: number }> = [];
    for (const [mode, prefetch] of [['sequential', 0], ['prefetch 4 (default)', undefined], ['prefetch 8', 8]] as const) {
      timings = [];
      const started = performance.now();
      const entries = await client.dm.listFolderContents(bim360Project, folders.bigFolder, { prefetch });
      const ms = performance.now() - started;
      if (entries.length !== 5_000 || new Set(entries.map((entry) => entry.id)).size !== 5_000) throw new Error(`${mode}: wrong listing`);
      const needed = timings.filter((timing) => timing.end <= started + ms);
      rows.push({ mode, requests: timings.length, rounds: roundTrips(needed), ms });
      await new Promise((resolve) => setTimeout(resolve, 3 * LATENCY_MS)); // let speculative requests land
    }

    console.log(`listing 5,000 items at ${LATENCY_MS} ms latency per request`);
    console.log('mode                   requests  round trips  time (ms)  time / latency');
    for (const row of rows) {
      console.log(
        `${row.mode.padEnd(21)}  ${String(row.requests).padStart(8)}  ${String(row.rounds).padStart(11)}  ${row.ms.toFixed(0).padStart(9)}  ${(row.ms / LATENCY_MS).toFixed(1).padStart(14)}`,
      );
    }
    const byDefault = rows[1];
    console.log(
      `default prefetch: ${byDefault.rounds} round trips (target <= ${TARGET_ROUND_TRIPS}, sequential ${rows[0].rounds}): ${byDefault.rounds <= TARGET_ROUND_TRIPS ? 'ok' : 'MISSED'}`,
    );
    console.log('(time also includes the emulator building and the client parsing ~1 MB of JSON per page)');
  } finally {
    await client.close();
    child.kill('SIGTERM');
  }
}
