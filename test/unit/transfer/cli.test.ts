import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { listFiles, MiB, objectPath, runCli, sha1OfFile, useTransferHarness } from './harness';

describe('transfer: the headless CLI on a plain URL', function () {
  this.timeout(30_000);
  const h = useTransferHarness();

  it('probes the size once, on a connection of its own sent before the engine loads, then downloads over others', async () => {
    const object = await h.emulator.addObject({ size: 20 * MiB + 3 });
    const url = h.emulator.signedUrl(object.bucketKey, object.objectKey, { minutes: 10 });
    const target = path.join(h.dir, 'plain.bin');
    const { code, stdout, stderr } = await runCli([url, target, '--connections', '4', '--chunk-size', '4M', '--sha1', object.sha1, '--quiet', '--report-json']);
    assert.equal(code, 0, stderr);
    assert.equal((JSON.parse(stdout) as { sha1: string }).sha1, object.sha1);
    assert.equal(await sha1OfFile(target), object.sha1);
    assert.deepEqual(await listFiles(h.dir), ['plain.bin']);
    const [probe, ...gets] = h.storageRequests();
    assert.equal(probe.range, 'bytes=0-0');
    assert.ok(gets.length >= 4 && gets.every((r) => r.range !== 'bytes=0-0' && r.clientPort !== probe.clientPort));
  });

  it('sends the probe before it loads node:crypto, node:vm and node:v8 (the code cache and V8 flags need them, the probe does not)', async () => {
    const object = await h.emulator.addObject({ size: 1 * MiB });
    const url = h.emulator.signedUrl(object.bucketKey, object.objectKey, { minutes: 10 });
    const watcher = path.resolve(__dirname, '../../../../test/unit/transfer/fixtures/probeWatcher.cjs');
    const env = { NODE_OPTIONS: `--require ${JSON.stringify(watcher)}`, PROBE_WATCH_MODULES: 'crypto,vm,v8,http' };
    const { code, stderr } = await runCli([url, path.join(h.dir, 'first.bin'), '--quiet'], env);
    assert.equal(code, 0, stderr);
    assert.deepEqual(stderr.match(/^probe left with: .*$/gm), ['probe left with: ["http"]']);
  });

  it("reports the engine's own error when the early probe's answer is one", async () => {
    const object = await h.emulator.addObject({ size: 1 * MiB });
    h.emulator.faults.add({ kind: 'status', status: 404, path: objectPath(object.objectKey) });
    const url = h.emulator.signedUrl(object.bucketKey, object.objectKey, { minutes: 10 });
    const { code, stderr } = await runCli([url, path.join(h.dir, 'gone.bin'), '--quiet']);
    assert.equal(code, 1);
    assert.match(stderr, /error: not-found: Nothing to download there/);
    assert.equal(h.storageRequests().length, 2, 'the early probe, then the engine asked itself');
    assert.deepEqual(await listFiles(h.dir), []);
  });
});
