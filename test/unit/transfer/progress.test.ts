import * as assert from 'node:assert/strict';
import { mock } from 'node:test';
import { progressText } from '../../../src/cli/output';
import { etaSeconds, FileProgressTracker, RateMeter } from '../../../src/core/transfer/progress';
import type { FileProgress } from '../../../src/core/transfer/types';

describe('transfer: progress', () => {
  it('never goes backwards or above the size, even across a restart', () => {
    const events: FileProgress[] = [];
    const tracker = new FileProgressTracker('id', '/x', (p) => events.push(p));
    tracker.setTotal(1000);
    tracker.startAttempt(0);
    tracker.setPhase('downloading');
    tracker.addWritten(600);
    tracker.setPhase('resolving');
    tracker.startAttempt(0);
    tracker.setPhase('downloading');
    tracker.addWritten(300);
    assert.equal(tracker.snapshot().transferredBytes, 600, 'held while the new attempt catches up');
    tracker.addWritten(500);
    assert.equal(tracker.snapshot().transferredBytes, 800);
    tracker.addWritten(5000);
    assert.equal(tracker.snapshot().transferredBytes, 1000);
    tracker.setPhase('done');
    tracker.setPhase('failed');
    tracker.dispose();
    assert.equal(events[events.length - 1].phase, 'done', 'a finished file stays finished');
    for (let i = 1; i < events.length; i++) assert.ok(events[i].transferredBytes >= events[i - 1].transferredBytes);
  });

  it('keeps the fraction held, not the bytes, when a restart finds the object resized', () => {
    const tracker = new FileProgressTracker('id', '/x', undefined);
    tracker.setTotal(1000);
    tracker.startAttempt(0);
    tracker.addWritten(600);
    tracker.setTotal(500);
    tracker.startAttempt(0);
    assert.deepEqual([tracker.snapshot().transferredBytes, tracker.snapshot().totalBytes], [300, 500], 'still 60 %, not 600 of 500');
    tracker.addWritten(400);
    assert.equal(tracker.snapshot().transferredBytes, 400);
    tracker.setTotal(2000);
    tracker.startAttempt(0);
    assert.equal(tracker.snapshot().transferredBytes, 1600, 'still 80 %');
  });

  it('counts resumed bytes as done but not towards the rate', () => {
    let now = 0;
    const meter = new RateMeter(3000, () => now);
    meter.sample(0);
    now = 1000;
    meter.sample(2_000_000);
    assert.equal(meter.bytesPerSecond(), 2_000_000);
    now = 5000;
    meter.sample(2_000_000);
    assert.equal(meter.bytesPerSecond(), 0, 'a stalled transfer shows no rate once the window passed');
    assert.equal(etaSeconds(4_000_000, 2_000_000), 2);
    assert.equal(etaSeconds(1, 0), undefined);
    const tracker = new FileProgressTracker('id', '/x', undefined);
    tracker.setTotal(100);
    tracker.startAttempt(40);
    assert.equal(tracker.snapshot().transferredBytes, 40);
  });

  it('reports on a timer while downloading, and never after the file settled', () => {
    mock.timers.enable({ apis: ['setInterval'] });
    try {
      const events: FileProgress[] = [];
      const tracker = new FileProgressTracker('id', '/x', (p) => events.push(p), 20);
      tracker.setTotal(100);
      tracker.setPhase('downloading');
      mock.timers.tick(100);
      assert.equal(events.filter((event) => event.phase === 'downloading').length, 1 + 5, 'the phase change, then one every 20 ms');
      tracker.setPhase('cancelled');
      const settled = events.length;
      mock.timers.tick(1_000);
      assert.equal(events.length, settled, 'nothing after the cancel');
      assert.equal(events.at(-1)?.phase, 'cancelled');
      tracker.dispose();
    } finally {
      mock.timers.reset();
    }
  });

  it("formats the CLI's progress line", () => {
    const MiB = 1024 * 1024;
    const line = progressText({ files: 10, finishedFiles: 2, failedFiles: 0, skippedFiles: 1, activeFiles: 4, totalBytes: 256 * MiB, transferredBytes: 64 * MiB, bytesPerSecond: 32 * MiB, etaSeconds: 6 });
    assert.equal(line, '25% · 3/10 files · 64.0 MiB of 256 MiB · 32.0 MiB/s · ETA 6s');
  });
});
