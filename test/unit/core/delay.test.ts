import * as assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { linkedController, runWorkers } from '../../../src/core/http/delay';

describe('core/http/delay: linkedController', () => {
  it("aborts with the parent's reason, and its own abort stays its own", () => {
    const parent = new AbortController();
    const own = linkedController(parent.signal);
    own.controller.abort(new Error('worker failed'));
    assert.equal(parent.signal.aborted, false);
    const second = linkedController(parent.signal);
    const reason = new Error('cancelled');
    parent.abort(reason);
    assert.equal(second.controller.signal.reason, reason);
    assert.equal(own.controller.signal.reason.message, 'worker failed', 'an aborted child keeps its first reason');
  });

  it('starts aborted under an aborted parent, and works without one', () => {
    const reason = new Error('gone');
    assert.equal(linkedController(AbortSignal.abort(reason)).controller.signal.reason, reason);
    const alone = linkedController(undefined);
    assert.equal(alone.controller.signal.aborted, false);
    alone.unlink();
  });

  it('leaves nothing on the parent once unlinked, and no longer follows it', () => {
    const parent = new AbortController();
    const children = Array.from({ length: 3 }, () => linkedController(parent.signal));
    assert.equal(getEventListeners(parent.signal, 'abort').length, 3);
    for (const child of children) child.unlink();
    assert.equal(getEventListeners(parent.signal, 'abort').length, 0, 'a long-lived parent holds no child');
    parent.abort();
    assert.ok(children.every((child) => !child.controller.signal.aborted));
  });
});

describe('core/http/delay: runWorkers', () => {
  it('runs every worker to the end when none fails', async () => {
    const group = new AbortController();
    let finished = 0;
    await runWorkers(4, group, async () => {
      await Promise.resolve();
      finished++;
    });
    assert.equal(finished, 4);
    assert.equal(group.signal.aborted, false);
  });

  it('stops the others at the first failure, waits for them, and rejects with that failure alone', async () => {
    const group = new AbortController();
    const first = new Error('part 3 failed');
    let started = 0;
    let stopped = 0;
    const worker = async () => {
      const index = started++;
      if (index === 0) throw first;
      await new Promise<void>((resolve) => group.signal.addEventListener('abort', () => resolve(), { once: true }));
      stopped++;
      throw new Error(`worker ${index} stopped`);
    };
    await assert.rejects(runWorkers(3, group, worker), (error) => error === first);
    assert.equal(group.signal.reason, first, 'the group is aborted with the failure');
    assert.equal(stopped, 2, 'every other worker settled before it rejected');
  });
});
