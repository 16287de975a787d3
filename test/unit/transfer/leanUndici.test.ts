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

  it('collects garbage every so many bytes without throwing, full collections included', () => {
    const relief = new MemoryRelief(1024, 4096);
    for (let i = 0; i < 10; i++) relief.received(1024);
    new MemoryRelief(0).received(1 << 30);
  });
});
