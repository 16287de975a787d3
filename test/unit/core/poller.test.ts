import * as assert from 'node:assert/strict';
import { isApsError } from '../../../src/core/http/apsError';
import { pollUntilDone, type PollVerdict } from '../../../src/core/jobs/poller';

/** A virtual clock: sleeping advances it instantly and records each wait. */
function virtualTime() {
  let now = 0;
  const waits: number[] = [];
  return {
    now: () => now,
    waits,
    sleep: async (ms: number, signal?: AbortSignal) => {
      if (signal?.aborted) throw signal.reason;
      waits.push(ms);
      now += ms;
    },
  };
}

function scripted(states: string[]) {
  let index = 0;
  return {
    polls: () => index,
    poll: async () => states[Math.min(index++, states.length - 1)],
    classify: (state: string): PollVerdict => (state === 'done' ? 'succeeded' : state === 'failed' ? 'failed' : 'pending'),
  };
}

describe('core/jobs/poller', () => {
  it('polls until the job finishes, backing off from 1 s towards 10 s, and reports progress', async () => {
    const time = virtualTime();
    const job = scripted(['queued', 'processing', 'processing', 'processing', 'processing', 'processing', 'processing', 'done']);
    const progress: Array<[string, number]> = [];
    const result = await pollUntilDone({ ...job, now: time.now, sleep: time.sleep, onProgress: (state, count) => progress.push([state, count]) });
    assert.equal(result, 'done');
    assert.equal(job.polls(), 8);
    assert.deepEqual(progress.map(([state]) => state), ['queued', 'processing', 'processing', 'processing', 'processing', 'processing', 'processing', 'done']);
    assert.equal(time.waits[0], 1_000);
    for (let i = 1; i < time.waits.length; i++) assert.ok(time.waits[i] >= time.waits[i - 1]);
    assert.equal(Math.max(...time.waits), 10_000);
  });

  it('throws the failure error when the job fails', async () => {
    const time = virtualTime();
    const job = scripted(['queued', 'failed']);
    await assert.rejects(
      pollUntilDone({ ...job, now: time.now, sleep: time.sleep, failure: (state) => new Error(`job ended ${state}`) }),
      /job ended failed/,
    );
    const generic = scripted(['failed']);
    await assert.rejects(pollUntilDone({ ...generic, now: time.now, sleep: time.sleep, what: 'Conversion' }), (error: unknown) => isApsError(error) && error.kind === 'job-failed');
  });

  it('gives up with a timeout error when the job never finishes', async () => {
    const time = virtualTime();
    const job = scripted(['processing']);
    await assert.rejects(
      pollUntilDone({ ...job, now: time.now, sleep: time.sleep, timing: { timeoutMs: 30_000 } }),
      (error: unknown) => isApsError(error) && error.kind === 'timeout' && error.code === 'POLL_TIMEOUT',
    );
    assert.ok(time.now() <= 30_000, 'never sleeps past the deadline');
    assert.ok(job.polls() >= 5);
  });

  it('stops with the abort reason as soon as the signal aborts, also mid-wait with the real sleep', async () => {
    const controller = new AbortController();
    const job = scripted(['processing']);
    const polling = pollUntilDone({ ...job, signal: controller.signal, timing: { initialDelayMs: 60_000 } });
    setImmediate(() => controller.abort(new Error('user cancelled')));
    await assert.rejects(polling, /user cancelled/);
    assert.equal(job.polls(), 1);
  });
});
