import * as assert from 'node:assert/strict';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import { createServer as createTcpServer, type AddressInfo, type Server, type Socket } from 'node:net';
import * as path from 'node:path';
import type { Dispatcher } from 'undici';
import { createStorageAgent } from '../../../src/core/transfer/http/agent';
import { StorageExchange } from '../../../src/core/transfer/http/storageExchange';
import { KiB, MiB } from './harness';

/** Test-only self-signed certificate for 127.0.0.1 and localhost. */
const FIXTURES = path.resolve(__dirname, '../../../../test/unit/transfer/fixtures');

/** A server that answers every request with `head` and `body`, then ends the connection; resolves once it sent them. */
async function closingServer(head: (body: Buffer) => string, body: Buffer): Promise<{ origin: string; sent: Promise<void>; server: Server }> {
  let markSent!: () => void;
  const sent = new Promise<void>((resolve) => (markSent = resolve));
  const server = createTcpServer((socket: Socket) =>
    socket.once('data', () => {
      socket.write(head(body));
      socket.end(body, markSent);
    }),
  );
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, sent, server };
}

/** The whole body through an exchange whose sink asks to wait after every chunk, as a writer waiting for the disk does. */
async function slowlyPiped(exchange: StorageExchange): Promise<Buffer> {
  const chunks: Buffer[] = [];
  await exchange.pipe((chunk) => {
    chunks.push(Buffer.from(chunk));
    setImmediate(() => exchange.resume());
    return false;
  });
  return Buffer.concat(chunks);
}

describe('transfer: the storage agent and exchange', function () {
  this.timeout(30_000);
  const agents: Dispatcher[] = [];
  const agent = () => {
    const created = createStorageAgent({ connectionsPerOrigin: 2, proxy: { url: '', strictSSL: false } });
    agents.push(created);
    return created;
  };
  afterEach(async () => {
    await Promise.all(agents.splice(0).map((a) => a.close()));
  });

  for (const [label, head] of [
    ['Connection: close', (body: Buffer) => `HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`],
    ['a body that ends with the connection', () => 'HTTP/1.1 200 OK\r\n\r\n'],
  ] as const) {
    it(`takes a whole body, held back by its consumer, from a server that then closes the connection: ${label} (undici#5360)`, async () => {
      const body = Buffer.alloc(300 * KiB + 5, 'close');
      const { origin, sent, server } = await closingServer(head, body);
      try {
        const exchange = new StorageExchange(agent(), { origin, path: '/object.bin', method: 'GET' }, new AbortController().signal);
        assert.equal((await exchange.head).statusCode, 200);
        // The server has written everything and closed its side before the consumer reads a byte.
        await sent;
        assert.ok((await slowlyPiped(exchange)).equals(body));
      } finally {
        server.close();
      }
    });
  }

  it('holds a length-delimited body back while its consumer waits, then hands over every byte in order', async () => {
    const body = Buffer.from(Array.from({ length: 2 * MiB + 11 }, (_, i) => (i * 7) & 0xff));
    const { origin, server } = await closingServer((b) => `HTTP/1.1 200 OK\r\nContent-Length: ${b.length}\r\n\r\n`, body);
    try {
      const exchange = new StorageExchange(agent(), { origin, path: '/object.bin', method: 'GET' }, new AbortController().signal);
      await exchange.head;
      assert.ok((await slowlyPiped(exchange)).equals(body));
    } finally {
      server.close();
    }
  });

  it("speaks https through undici's own TLS connector", async () => {
    const body = Buffer.alloc(2 * MiB + 7, 'tls');
    const server = createServer({ key: readFileSync(path.join(FIXTURES, 'localhost-key.pem')), cert: readFileSync(path.join(FIXTURES, 'localhost-cert.pem')) }, (_req, res) => res.end(body));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const { port } = server.address() as AddressInfo;
      const exchange = new StorageExchange(agent(), { origin: `https://127.0.0.1:${port}`, path: '/object.bin', method: 'GET' }, new AbortController().signal);
      assert.equal((await exchange.head).statusCode, 200);
      assert.ok((await slowlyPiped(exchange)).equals(body));
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
