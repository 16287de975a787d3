import * as assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { linkedController } from '../../../src/core/http/delay';

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
