import * as assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { setTimeout as wait } from 'node:timers/promises';
import { partFilesFor } from '../../../src/core/transfer/disk/partFiles';
import { urlSource } from '../../../src/core/transfer/sources/urlSource';
import { FAST, KiB, MiB, objectPath, sha1OfFile, useTransferHarness } from './harness';

describe('transfer: sources and what reaches storage', function () {
  this.timeout(30_000);
  const h = useTransferHarness();

  it("downloads the 'chunked' signeds3download form part by part", async () => {
    const object = await h.emulator.addObject({ size: 12 * MiB + 3, chunked: true });
    const target = path.join(h.dir, 'uploading.rvt');
    const result = await h.engine().download(h.source(object), target, { ...FAST, chunkSize: 1 * MiB, singleRequestThreshold: 0 });
    assert.equal(result.size, object.size);
    assert.equal(await sha1OfFile(target), object.sha1);
    const parts = new Set(h.storageRequests().map((r) => r.query['x-emu-part']));
    assert.equal(parts.size, 3, 'three 5 MiB parts, each from its own URL');
  });

  it('downloads a plain URL, probing its size with a one-byte GET whose connection then carries the download', async () => {
    const object = await h.emulator.addObject({ size: 3 * MiB });
    const engine = h.engine();
    const url = h.emulator.signedUrl(object.bucketKey, object.objectKey, { minutes: 10 });
    const withCredentials = new URL(url);
    withCredentials.username = 'user';
    withCredentials.password = 'secret';
    const result = await engine.download(urlSource(withCredentials.href, engine.dispatcher, object.sha1), path.join(h.dir, 'plain.bin'), FAST);
    assert.equal(result.sha1, object.sha1);
    const [probe, get, ...rest] = h.storageRequests();
    assert.deepEqual([probe.method, probe.range], ['GET', 'bytes=0-0']);
    assert.deepEqual([get.method, get.range], ['GET', `bytes=0-${object.size - 1}`]);
    assert.equal(rest.length, 0, 'one request for the small object');
    assert.equal(get.clientPort, probe.clientPort, 'the same connection');
    assert.ok(!probe.hadAuthorization && !get.hadAuthorization, "the URL's user:password is not sent");
  });

  it('never asks HEAD, which presigned GET-only links refuse', async () => {
    const object = await h.emulator.addObject({ size: 1 * MiB + 1 });
    h.emulator.faults.add({ kind: 'status', status: 403, method: 'HEAD', path: objectPath(object.objectKey) });
    const engine = h.engine();
    const url = h.emulator.signedUrl(object.bucketKey, object.objectKey, { minutes: 10 });
    const target = path.join(h.dir, 'probe.bin');
    const result = await engine.download(urlSource(url, engine.dispatcher), target, FAST);
    assert.equal(result.size, object.size);
    assert.equal(await sha1OfFile(target), object.sha1);
    assert.ok(!h.storageRequests().some((r) => r.method === 'HEAD'));
  });

  it('asks HEAD when the ranged GET does not tell the size', async () => {
    const content = Buffer.from('a server that streams GETs without a length');
    const server = createServer((req, res) => {
      if (req.method === 'HEAD') res.writeHead(200, { 'content-length': content.length }).end();
      else res.writeHead(200, { 'transfer-encoding': 'chunked' }).end(content);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const engine = h.engine();
      const target = path.join(h.dir, 'streamed.txt');
      const result = await engine.download(urlSource(`http://127.0.0.1:${port}/streamed.txt`, engine.dispatcher), target, FAST);
      assert.equal(result.size, content.length);
      assert.deepEqual(await readFile(target), content);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('never sends an Authorization header to storage, and keeps signatures out of logs and journals', async () => {
    const object = await h.emulator.addObject({ size: 2 * MiB });
    const target = path.join(h.dir, 'secret.bin');
    const controller = new AbortController();
    h.emulator.faults.add({ kind: 'expireSignedUrl', count: 1, path: objectPath(object.objectKey) });
    const slow = h.emulator.faults.add({ kind: 'bandwidth', bytesPerSecond: 128 * KiB, path: objectPath(object.objectKey) });
    const running = h.engine().download(h.source(object), target, { ...FAST, chunkSize: 256 * KiB, singleRequestThreshold: 0, signal: controller.signal });
    const journal = partFilesFor(target).journal;
    let journalText: string | undefined;
    for (let i = 0; i < 250 && !journalText; i++) {
      await wait(20);
      journalText = await readFile(journal, 'utf8').catch(() => undefined);
    }
    assert.ok(journalText, 'a journal was written while downloading');
    controller.abort();
    await running.catch(() => undefined);
    h.emulator.faults.remove(slow);
    await h.engine().download(h.source(object), target, FAST);

    const storage = h.storageRequests();
    assert.ok(storage.length > 2);
    assert.ok(storage.every((r) => !r.hadAuthorization && !r.headerNames.includes('authorization')));
    assert.ok(h.emulator.requests.list({ origin: 'api', path: 'signeds3download' }).every((r) => r.hadAuthorization));
    assert.ok(!/https?:|signature|x-amz/i.test(journalText), `journal holds no URL: ${journalText}`);
    const signature = new URL(h.emulator.signedUrl(object.bucketKey, object.objectKey)).searchParams.get('X-Amz-Signature') as string;
    assert.ok(signature.length > 0);
    assert.ok(h.log.length > 0);
    assert.ok(h.log.every((line) => !/X-Amz-Signature|Signature=|token/i.test(line)), h.log.join('\n'));
  });
});
