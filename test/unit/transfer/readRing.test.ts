import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { connect, createServer, type Server, type Socket } from 'node:net';
import * as path from 'node:path';
import { setTimeout as wait } from 'node:timers/promises';
import { kParser } from 'undici/lib/core/symbols';
import { createStorageAgent } from '../../../src/core/transfer/agent';
import { MemoryRelief } from '../../../src/core/transfer/memoryRelief';
import { ReadRing, ringReadCounts } from '../../../src/core/transfer/readRing';
import { urlSource } from '../../../src/core/transfer/sources/urlSource';
import { FAST, KiB, MiB, sha1OfFile, useTransferHarness } from './harness';

const sha1 = (bytes: Buffer) => createHash('sha1').update(bytes).digest('hex');

/** A server that sends `pieces` on each connection, `gapMs` apart, then closes it. */
async function sender(pieces: Buffer[], gapMs: number): Promise<{ server: Server; port: number }> {
  const server = createServer(async (socket) => {
    for (const piece of pieces) {
      socket.write(piece);
      if (gapMs > 0) await wait(gapMs);
    }
    socket.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as { port: number }).port };
}

/**
 * Reads a connection through `ring` the way undici's parser does ('readable', then read() until
 * null), once `startAfterMs` has passed; `parser` stands in for undici's, whose held header views the
 * ring must respect. Resolves with every byte and the distinct buffers the bytes came in.
 */
async function readThrough(ring: ReadRing, port: number, parser: { headers: unknown[] } | undefined, startAfterMs = 0) {
  const socket: Socket = connect({ port, host: '127.0.0.1', onread: ring.onread });
  if (parser) (socket as unknown as Record<symbol, unknown>)[kParser] = parser;
  const chunks: Buffer[] = [];
  const buffers = new Set<ArrayBufferLike>();
  const take = () => {
    for (let chunk: Buffer | null; (chunk = socket.read() as Buffer | null) !== null; ) {
      buffers.add(chunk.buffer);
      // The consumer copies what it keeps, as the engine's sinks do.
      chunks.push(Buffer.from(chunk));
    }
  };
  await wait(startAfterMs);
  socket.on('readable', take);
  await new Promise((resolve) => socket.once('end', resolve));
  take();
  return { bytes: Buffer.concat(chunks), buffers };
}

describe('transfer: reused read buffers (ReadRing)', function () {
  this.timeout(30_000);
  const servers: Server[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
  });

  const pattern = (n: number) => Buffer.from(Array.from({ length: n }, (_, i) => (i * 7 + (i >> 8)) & 0xff));

  it('reads into two buffers in turn while every read is taken before the next, bytes intact', async () => {
    const body = pattern(8 * MiB + 5);
    const { server, port } = await sender([body], 0);
    servers.push(server);
    const ring = new ReadRing(64 * KiB);
    const { bytes, buffers } = await readThrough(ring, port, { headers: [] });
    assert.equal(sha1(bytes), sha1(body));
    assert.equal(ring.unsharedReads, 0);
    assert.equal(buffers.size, 2, 'every read went into one of the two buffers');
  });

  it('reads into a buffer of its own while an earlier read still waits on the socket', async () => {
    // Small pieces apart in time: each is a read of its own, and the socket goes on reading while
    // nothing takes them (under its high-water mark). Reusing a buffer then would overwrite one.
    const pieces = Array.from({ length: 12 }, (_, i) => pattern(1000 + i));
    const { server, port } = await sender(pieces, 15);
    servers.push(server);
    const ring = new ReadRing(64 * KiB);
    const { bytes } = await readThrough(ring, port, { headers: [] }, 250);
    assert.equal(sha1(bytes), sha1(Buffer.concat(pieces)));
    assert.ok(ring.unsharedReads >= 8, `reads into buffers of their own: ${ring.unsharedReads}`);
  });

  it("reads into a buffer of its own while the HTTP parser holds header bytes, or when there is no parser to ask", async () => {
    const pieces = Array.from({ length: 6 }, (_, i) => pattern(2000 + i));
    for (const parser of [{ headers: [Buffer.from('etag')] }, undefined]) {
      const { server, port } = await sender(pieces, 15);
      servers.push(server);
      const ring = new ReadRing(64 * KiB);
      const { bytes } = await readThrough(ring, port, parser);
      assert.equal(sha1(bytes), sha1(Buffer.concat(pieces)));
      assert.ok(ring.unsharedReads >= pieces.length - 1, `reads into buffers of their own: ${ring.unsharedReads}`);
    }
  });

  describe('in the engine', () => {
    const h = useTransferHarness();

    it('keeps header values intact when a response head comes in pieces, read by read', async () => {
      const body = pattern(6 * MiB + 11);
      // A storage origin that sends each head in three writes, 10 ms apart: undici's parser then holds
      // views of earlier reads (its header names and values) while later reads arrive.
      const server = createServer((socket) => {
        socket.once('data', async (request: Buffer) => {
          const range = /range: bytes=(\d+)-(\d+)/i.exec(request.toString('latin1'));
          const start = range ? Number(range[1]) : 0;
          const end = range ? Number(range[2]) : body.length - 1;
          const head = [
            `HTTP/1.1 ${range ? 206 : 200} Partial\r\nETag: "ring-test-etag"\r\n`,
            range ? `Content-Range: bytes ${start}-${end}/${body.length}\r\n` : '',
            `Content-Length: ${end - start + 1}\r\nConnection: close\r\n\r\n`,
          ];
          for (const piece of head) {
            socket.write(piece);
            await wait(10);
          }
          socket.end(body.subarray(start, end + 1));
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      servers.push(server);
      const before = { ...ringReadCounts };
      const engine = h.engine();
      const target = path.join(h.dir, 'pieces.bin');
      const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/pieces.bin`;
      const result = await engine.download(urlSource(url, { dispatcher: engine.dispatcher, sha1: sha1(body) }), target, { ...FAST, connections: 3, chunkSize: 2 * MiB });
      assert.equal(result.sha1, sha1(body));
      assert.equal(await sha1OfFile(target), sha1(body));
      assert.ok(ringReadCounts.unshared - before.unshared >= 2, "the reads after a head's first piece went into buffers of their own");
    });

    it('leaves the bytes read into reused buffers out of MemoryRelief, which counts those read into fresh ones', async () => {
      const object = await h.emulator.addObject({ size: 6 * MiB });
      const url = h.emulator.signedUrl(object.bucketKey, object.objectKey, { minutes: 10 });
      const counted = { bytes: 0 };
      const received = MemoryRelief.prototype.received;
      MemoryRelief.prototype.received = function (bytes: number) {
        counted.bytes += bytes;
      };
      const shared = createStorageAgent({ connectionsPerOrigin: 4 });
      try {
        const options = { ...FAST, connections: 2, chunkSize: 2 * MiB };
        const ringEngine = h.engine();
        await ringEngine.download(urlSource(url, { dispatcher: ringEngine.dispatcher }), path.join(h.dir, 'ring.bin'), options);
        assert.equal(counted.bytes, 0, 'nothing counted for reused buffers');
        // An engine given a dispatcher has no range agent of its own: every read is a fresh buffer.
        const sharedEngine = h.engine({ dispatcher: shared });
        await sharedEngine.download(urlSource(url, { dispatcher: shared }), path.join(h.dir, 'fresh.bin'), options);
        assert.equal(counted.bytes, object.size);
        assert.equal(await sha1OfFile(path.join(h.dir, 'fresh.bin')), object.sha1);
      } finally {
        MemoryRelief.prototype.received = received;
        await shared.close();
      }
    });

    it('downloads over plain http with every read in a reused buffer, under undici', async () => {
      const object = await h.emulator.addObject({ size: 24 * MiB + 3 });
      const before = { ...ringReadCounts };
      const engine = h.engine();
      const url = h.emulator.signedUrl(object.bucketKey, object.objectKey, { minutes: 10 });
      const target = path.join(h.dir, 'ring.bin');
      await engine.download(urlSource(url, { dispatcher: engine.dispatcher }), target, { ...FAST, connections: 4, chunkSize: 4 * MiB });
      assert.equal(await sha1OfFile(target), object.sha1);
      const reads = ringReadCounts.reads - before.reads;
      assert.ok(reads > 24, `reads through the ring: ${reads}`);
      // Only a response's first read can find the parser holding a head that spans reads.
      assert.ok(ringReadCounts.unshared - before.unshared <= 8, `reads into buffers of their own: ${ringReadCounts.unshared - before.unshared}`);
    });
  });
});
