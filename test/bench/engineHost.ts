// A long-lived process that runs the transfer engine the way the extension host does: loaded once,
// then one download per message (a fresh engine each, so new connections; the extension's settings).
// The benchmark forks it, so its timings are not disturbed by the benchmark's own work.
// Message in: { url, out, connections, chunkSize }. Message out: { ok: true } or { ok: false, error }.
import { TransferEngine, urlSource } from '../../src/core/transfer';
import { errorDetail } from '../../src/core/transfer/errors';

export interface HostedDownload {
  readonly url: string;
  readonly out: string;
  readonly connections: number;
  readonly chunkSize: number;
}

export type HostedResult = { readonly ok: true } | { readonly ok: false; readonly error: string };

async function download(job: HostedDownload): Promise<HostedResult> {
  const engine = new TransferEngine({ proxy: {} });
  try {
    await engine.download(urlSource(job.url, engine.dispatcher), job.out, { connections: job.connections, chunkSize: job.chunkSize });
    return { ok: true };
  } catch (error) {
    return { ok: false, error: errorDetail(error) };
  } finally {
    await engine.close();
  }
}

if (process.send) {
  process.on('message', (job: HostedDownload) => {
    void download(job).then((result) => process.send?.(result));
  });
}
