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

  it('collects the young generation every so many bytes, a due collection waiting for the next bytes', () => {
    let collections = 0;
    const relief = new MemoryRelief(1024, () => collections++);
    for (let i = 0; i < 10; i++) relief.received(512);
    // Due after every second call; run at the next one, so the tenth call's collection never runs.
    assert.equal(collections, 4);
    let disabled = 0;
    new MemoryRelief(0, () => disabled++).received(1 << 30);
    assert.equal(disabled, 0);
  });

  it("runs V8's own collections", () => {
    const relief = new MemoryRelief(1);
    relief.received(1);
    relief.received(1);
  });
});
