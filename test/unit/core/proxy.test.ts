// Proxy settings: a tiny loopback proxy (CONNECT tunnels and absolute-form forwarding) records what passes.
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import { captureLog, twoLeggedClient, useEmulator } from './harness';

interface TinyProxy {
  url: string;
  /** "CONNECT host:port" or "GET http://…" per request seen. */
  seen: string[];
  proxyAuthorizations: string[];
  close(): Promise<void>;
}

async function startProxy(): Promise<TinyProxy> {
  const seen: string[] = [];
  const proxyAuthorizations: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    if (req.headers['proxy-authorization']) proxyAuthorizations.push(req.headers['proxy-authorization']);
    const target = new URL(req.url ?? '');
    const headers = { ...req.headers };
    delete headers['proxy-authorization'];
    const upstream = http.request({ host: target.hostname, port: target.port, path: `${target.pathname}${target.search}`, method: req.method, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    seen.push(`CONNECT ${req.url}`);
    if (req.headers['proxy-authorization']) proxyAuthorizations.push(req.headers['proxy-authorization']);
    const [host, port] = (req.url ?? '').split(':');
    const upstream = net.connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream).add(client);
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  server.on('connection', (socket: net.Socket) => sockets.add(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    proxyAuthorizations,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

describe('core/http proxy settings', function () {
  const emulator = useEmulator();
  let proxy: TinyProxy;
  beforeEach(async () => {
    proxy = await startProxy();
  });
  afterEach(async () => {
    await proxy.close();
  });

  it('sends token and API calls through an explicit proxy', async () => {
    const e = emulator();
    const apiHost = new URL(e.baseUrl).host;
    const client = twoLeggedClient(e, undefined, { proxy: { url: proxy.url, noProxy: '' } });
    try {
      const { hubs } = await client.dm.listHubs();
      assert.ok(hubs.length > 0);
      assert.ok(proxy.seen.length > 0, 'nothing went through the proxy');
      assert.ok(proxy.seen.every((line) => line === `CONNECT ${apiHost}` || line.includes(`//${apiHost}/`)), proxy.seen.join('\n'));
    } finally {
      await client.close();
    }
  });

  it('passes proxy credentials to the proxy and never into the request log', async () => {
    const e = emulator();
    const log = captureLog();
    const withCredentials = proxy.url.replace('http://', 'http://proxyuser:pr0xy-pa55@');
    const client = twoLeggedClient(e, log, { proxy: { url: withCredentials, noProxy: '' } });
    try {
      await client.dm.listHubs();
      assert.ok(proxy.proxyAuthorizations.length > 0);
      assert.equal(proxy.proxyAuthorizations[0], `Basic ${Buffer.from('proxyuser:pr0xy-pa55').toString('base64')}`);
      assert.ok(!log.text().includes('pr0xy-pa55'));
    } finally {
      await client.close();
    }
  });

  it('bypasses the proxy for hosts in noProxy', async () => {
    const e = emulator();
    const client = twoLeggedClient(e, undefined, { proxy: { url: proxy.url, noProxy: ['127.0.0.1'] } });
    try {
      await client.dm.listHubs();
      assert.deepEqual(proxy.seen, []);
    } finally {
      await client.close();
    }
  });

  it('takes HTTP_PROXY and NO_PROXY from the environment when no proxy is configured', async () => {
    const e = emulator();
    const saved = { HTTP_PROXY: process.env.HTTP_PROXY, http_proxy: process.env.http_proxy, NO_PROXY: process.env.NO_PROXY, no_proxy: process.env.no_proxy };
    const restore = () => {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    };
    try {
      delete process.env.http_proxy;
      delete process.env.no_proxy;
      process.env.HTTP_PROXY = proxy.url;
      process.env.NO_PROXY = '';
      const viaEnv = twoLeggedClient(e, undefined, { proxy: undefined });
      try {
        await viaEnv.dm.listHubs();
      } finally {
        await viaEnv.close();
      }
      assert.ok(proxy.seen.length > 0, 'HTTP_PROXY was ignored');

      proxy.seen.length = 0;
      process.env.NO_PROXY = '127.0.0.1';
      const bypassing = twoLeggedClient(e, undefined, { proxy: undefined });
      try {
        await bypassing.dm.listHubs();
      } finally {
        await bypassing.close();
      }
      assert.deepEqual(proxy.seen, [], 'NO_PROXY was ignored');
    } finally {
      restore();
    }
  });
});
