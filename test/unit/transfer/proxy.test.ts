import * as assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import * as path from 'node:path';
import { FAST, MiB, runCli, sha1OfFile, useTransferHarness } from './harness';

/** A minimal forward proxy that tunnels CONNECT and remembers the targets and its own upstream ports. */
async function startTunnelProxy(): Promise<{ url: string; targets: string[]; upstreamPorts: number[]; close(): Promise<void> }> {
  const targets: string[] = [];
  const upstreamPorts: number[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((_req, res) => res.writeHead(405).end());
  server.on('connect', (req, client: Socket, head: Buffer) => {
    targets.push(req.url ?? '');
    const [host, port] = (req.url ?? '').split(':');
    const upstream = connect(Number(port), host, () => {
      upstreamPorts.push(upstream.localPort as number);
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => undefined).on('close', () => sockets.delete(socket));
    }
    upstream.on('close', () => client.destroy());
    client.on('close', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    targets,
    upstreamPorts,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

describe('transfer: through a proxy', function () {
  this.timeout(60_000);
  const h = useTransferHarness();

  it('sends storage requests through the configured proxy, as the API client does', async () => {
    const proxy = await startTunnelProxy();
    try {
      const object = await h.emulator.addObject({ size: 3 * MiB + 5 });
      const target = path.join(h.dir, 'proxied.bin');
      const engine = h.engine({ proxy: { url: proxy.url } });
      const result = await engine.download(h.source(object), target, { ...FAST, connections: 3, chunkSize: MiB, singleRequestThreshold: 0 });
      assert.equal(result.sha1, object.sha1);
      assert.equal(await sha1OfFile(target), object.sha1);
      const storageHost = new URL(h.emulator.storageUrl).host;
      assert.ok(proxy.targets.length > 0 && proxy.targets.every((t) => t === storageHost), `tunnels: ${proxy.targets.join(', ')}`);
    } finally {
      await proxy.close();
    }
  });

  it('uses no proxy when the setting says so, whatever the environment says', async () => {
    const proxy = await startTunnelProxy();
    const saved = process.env.HTTP_PROXY;
    process.env.HTTP_PROXY = proxy.url;
    try {
      const object = await h.emulator.addObject({ size: 64 * 1024 });
      const target = path.join(h.dir, 'direct.bin');
      const result = await h.engine({ proxy: { url: '' } }).download(h.source(object), target, FAST);
      assert.equal(result.sha1, object.sha1);
      assert.deepEqual(proxy.targets, []);
    } finally {
      if (saved === undefined) delete process.env.HTTP_PROXY;
      else process.env.HTTP_PROXY = saved;
      await proxy.close();
    }
  });

  it('the CLI sends every request through HTTP_PROXY, its size probe too', async () => {
    const proxy = await startTunnelProxy();
    try {
      const object = await h.emulator.addObject({ size: 2 * MiB + 1 });
      const url = h.emulator.signedUrl(object.bucketKey, object.objectKey, { minutes: 10 });
      const target = path.join(h.dir, 'cli-proxied.bin');
      const { code, stderr } = await runCli(['download', url, target, '--connections', '2', '--chunk-size', '1M', '--quiet'], { HTTP_PROXY: proxy.url });
      assert.equal(code, 0, stderr);
      assert.equal(await sha1OfFile(target), object.sha1);
      const requests = h.storageRequests();
      assert.equal(requests.filter((r) => r.range === 'bytes=0-0').length, 1);
      assert.ok(requests.every((r) => proxy.upstreamPorts.includes(r.clientPort as number)), 'every storage request came out of the proxy');
    } finally {
      await proxy.close();
    }
  });
});

