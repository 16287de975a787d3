import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import * as path from 'node:path';
import { setTimeout as wait } from 'node:timers/promises';
import type { Dispatcher } from 'undici';
import { createPlainRangeAgent, createStorageAgent, PLAIN_READ_BYTES } from '../../../src/core/transfer/agent';
import { StorageExchange } from '../../../src/core/transfer/storageExchange';
import { KiB, MiB, useTransferHarness } from './harness';

/** Test-only self-signed certificate for 127.0.0.1 and localhost. */
const FIXTURES = path.resolve(__dirname, '../../../../test/unit/transfer/fixtures');

/**
 * The body of a GET through `agent`, as the chunks the parser handed over. After the headers the
 * event loop is blocked for `blockMs`, so the next socket read finds more bytes waiting than Node's
 * own 64 KiB reads take (the kernel's receive buffer holds at least 128 KiB). `perChunkMs`: a slow
 * reader's pause after each chunk.
 */
async function bodyChunks(agent: Dispatcher, url: string, { blockMs = 0, perChunkMs = 0 } = {}): Promise<Buffer[]> {
  const { origin, pathname, search } = new URL(url);
  const response = await agent.request({ origin, path: pathname + search, method: 'GET' });
  assert.equal(response.statusCode, 200);
  for (const until = Date.now() + blockMs; Date.now() < until; );
  const chunks: Buffer[] = [];
  for await (const chunk of response.body) {
    chunks.push(Buffer.from(chunk as Buffer));
    if (perChunkMs > 0) await wait(perChunkMs);
  }
  return chunks;
}

const sha1 = (chunks: Buffer[]) => createHash('sha1').update(Buffer.concat(chunks)).digest('hex');

describe('transfer: the storage agent', function () {
  this.timeout(30_000);
  const h = useTransferHarness();
  const agents: Dispatcher[] = [];
  const agent = () => {
    const created = createStorageAgent({ connectionsPerOrigin: 2, proxy: { url: '', strictSSL: false } });
    agents.push(created);
    return created;
  };
  afterEach(async () => {
    await Promise.all(agents.splice(0).map((a) => a.close()));
  });

  it(`reads plain-http sockets up to ${PLAIN_READ_BYTES / KiB} KiB at a time, bytes intact`, async () => {
    const object = await h.emulator.addObject({ size: 8 * MiB + 123 });
    const chunks = await bodyChunks(agent(), h.emulator.signedUrl(object.bucketKey, object.objectKey), { blockMs: 100 });
    assert.equal(sha1(chunks), object.sha1);
    const largest = Math.max(...chunks.map((c) => c.length));
    assert.ok(largest > 64 * KiB && largest <= PLAIN_READ_BYTES, `largest chunk ${largest} bytes`);
  });

  it('copies each read out of the shared read buffer: two slow readers at once get every byte in order', async () => {
    const object = await h.emulator.addObject({ size: 3 * MiB });
    const url = h.emulator.signedUrl(object.bucketKey, object.objectKey);
    const shared = agent();
    // Two responses at once, each read slowly: their sockets read into the same buffer.
    const read = () => bodyChunks(shared, url, { perChunkMs: 1 });
    const [a, b] = await Promise.all([read(), read()]);
    assert.equal(sha1(a), object.sha1);
    assert.equal(sha1(b), object.sha1);
  });

  it('takes a whole body, paused at its last chunk, from a server that then closes the connection (undici#5360)', async () => {
    const body = Buffer.alloc(300 * KiB + 5, 'close');
    const server = createTcpServer((socket) =>
      socket.once('data', () => {
        socket.write(`HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`);
        socket.end(body);
      }),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const rangeAgent = createPlainRangeAgent({ connectionsPerOrigin: 2 }) as Dispatcher;
      agents.push(rangeAgent);
      for (const through of [agent(), rangeAgent]) {
        const exchange = new StorageExchange(through, { origin, path: '/object.bin', method: 'GET' }, new AbortController().signal);
        assert.equal((await exchange.head).statusCode, 200);
        await wait(50);
        const chunks: Buffer[] = [];
        // Every chunk pauses the body for a while, as a writer whose buffers are all busy does: the
        // last one leaves the parser paused with nothing left to read when the server's FIN arrives.
        await exchange.pipe((chunk) => {
          chunks.push(Buffer.from(chunk));
          setTimeout(() => exchange.resume(), 20);
          return false;
        });
        assert.ok(Buffer.concat(chunks).equals(body));
      }
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('speaks https through undici\'s own TLS connector', async () => {
    const body = Buffer.alloc(2 * MiB + 7, 'tls');
    const server = createServer(
      { key: readFileSync(path.join(FIXTURES, 'localhost-key.pem')), cert: readFileSync(path.join(FIXTURES, 'localhost-cert.pem')) },
      (_req, res) => res.end(body),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const chunks = await bodyChunks(agent(), `https://127.0.0.1:${port}/object.bin`, { blockMs: 50 });
      assert.ok(Buffer.concat(chunks).equals(body));
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
