// Storage origin throughput: the 1 GiB seeded object uncapped (one connection, then four ranged
// connections), and one connection held to a bandwidth cap. The emulator runs in a child process.
import { request } from 'node:http';
import { seed } from '../emulator/seed';
import { startEmulatorProcess } from './emulatorProcess';

const MiB = 1024 * 1024;
const UNCAPPED_TARGET_MIB_S = 500;
const CAP_BYTES_PER_SECOND = 20 * MiB;
const CAPPED_BYTES = 100 * MiB;


/** Downloads a URL (optionally a range), discarding the bytes; returns bytes received and seconds taken. */
function download(url: string, range?: string): Promise<{ bytes: number; seconds: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = request(url, { headers: range ? { range } : {} }, (res) => {
      let bytes = 0;
      res.on('data', (chunk: Buffer) => (bytes += chunk.length));
      res.once('end', () => resolve({ bytes, seconds: (performance.now() - started) / 1000 }));
      res.once('error', reject);
    });
    req.once('error', reject);
    req.end();
  });
}

async function json(url: string, init: RequestInit = {}): Promise<Record<string, unknown>> {
  const response = await fetch(url, init);
  if (!response.ok) throw new Error(`${url}: ${response.status} ${await response.text()}`);
  return (await response.json()) as Record<string, unknown>;
}

export async function run(): Promise<void> {
  const { baseUrl, child } = await startEmulatorProcess();
  try {
    const { clientId, clientSecret } = seed.credentials;
    const token = (await json(`${baseUrl}/authentication/v2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'data:read', client_id: clientId, client_secret: clientSecret as string }),
    })).access_token as string;
    const [bucketKey, objectKey] = seed.ids.objects.oneGiB.split('/');
    const signed = await json(`${baseUrl}/oss/v2/buckets/${bucketKey}/objects/${encodeURIComponent(objectKey)}/signeds3download?minutesExpiration=60`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const url = signed.url as string;
    const size = signed.size as number;

    const single = await download(url);
    const singleRate = single.bytes / MiB / single.seconds;
    console.log(`1 GiB, one connection:   ${singleRate.toFixed(0)} MiB/s (${single.seconds.toFixed(2)} s) — target ≥ ${UNCAPPED_TARGET_MIB_S} MiB/s: ${singleRate >= UNCAPPED_TARGET_MIB_S ? 'ok' : 'MISSED'}`);

    const parts = 4;
    const partSize = Math.ceil(size / parts);
    const started = performance.now();
    const results = await Promise.all(Array.from({ length: parts }, (_, i) => download(url, `bytes=${i * partSize}-${Math.min(size, (i + 1) * partSize) - 1}`)));
    const seconds = (performance.now() - started) / 1000;
    const total = results.reduce((sum, r) => sum + r.bytes, 0);
    console.log(`1 GiB, ${parts} ranged connections: ${(total / MiB / seconds).toFixed(0)} MiB/s (${seconds.toFixed(2)} s)`);

    await json(`${baseUrl}/__emulator/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'bandwidth', bytesPerSecond: CAP_BYTES_PER_SECOND, count: 1 }),
    });
    const capped = await download(url, `bytes=0-${CAPPED_BYTES - 1}`);
    const cappedRate = capped.bytes / capped.seconds;
    const deviation = ((cappedRate - CAP_BYTES_PER_SECOND) / CAP_BYTES_PER_SECOND) * 100;
    console.log(
      `capped at ${CAP_BYTES_PER_SECOND / MiB} MiB/s: ${(cappedRate / MiB).toFixed(2)} MiB/s over ${(capped.bytes / MiB).toFixed(0)} MiB (${deviation >= 0 ? '+' : ''}${deviation.toFixed(2)} %) — within 5 %: ${Math.abs(deviation) <= 5 ? 'ok' : 'MISSED'}`,
    );
  } finally {
    child.kill('SIGTERM');
  }
}
