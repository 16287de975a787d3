import * as assert from 'node:assert/strict';
import * as undici from 'undici';
import { createStorageAgent } from '../../../src/core/transfer/agent';
import { Agent } from '../../../src/core/transfer/leanUndici';
import { MemoryRelief } from '../../../src/core/transfer/memoryRelief';

describe('transfer: lean undici loading and memory relief', () => {
  it('loads the very Agent class undici exports, with the request API on it', async () => {
    assert.equal(Agent, undici.Agent);
    const agent = createStorageAgent({ connectionsPerOrigin: 2 });
    try {
      assert.ok(agent instanceof undici.Agent);
      for (const method of ['request', 'stream', 'pipeline', 'upgrade', 'connect'] as const) {
        assert.equal(typeof agent[method], 'function', method);
        assert.equal(agent[method], undici.Agent.prototype[method], method);
      }
    } finally {
      await agent.close();
    }
  });

  it('collects garbage every so many bytes, a due collection waiting for the next bytes', () => {
    const kinds: string[] = [];
    const relief = new MemoryRelief(1024, 4096, (kind) => kinds.push(kind));
    for (let i = 0; i < 10; i++) relief.received(1024);
    // Due after every call; run at the next one, so the tenth call's collection never runs.
    assert.deepEqual(kinds, ['minor', 'minor', 'minor', 'major', 'minor', 'minor', 'minor', 'major', 'minor']);
    const disabled: string[] = [];
    new MemoryRelief(0, 0, (kind) => disabled.push(kind)).received(1 << 30);
    assert.deepEqual(disabled, []);
  });

  it("runs V8's own collections", () => {
    const relief = new MemoryRelief(1, 1);
    relief.received(1);
    relief.received(1);
  });
});
