import * as assert from 'node:assert/strict';
import { IntervalSet } from '../../../src/core/transfer/plan/intervals';
import { planSpans, SpanScheduler, type Span } from '../../../src/core/transfer/plan/scheduler';
import type { StorageSegment } from '../../../src/core/transfer/types';

describe('transfer: byte intervals and span scheduling', () => {
  it('counts only bytes not covered before', () => {
    const set = new IntervalSet();
    assert.equal(set.add(0, 10), 10);
    assert.equal(set.add(5, 15), 5);
    assert.equal(set.add(20, 30), 10);
    assert.equal(set.add(0, 30), 5);
    assert.equal(set.size, 30);
    assert.deepEqual(set.toArray(), [[0, 30]]);
    assert.equal(set.add(3, 3), 0);
  });

  it('finds gaps and the first missing byte', () => {
    const set = IntervalSet.from([
      [10, 20],
      [30, 40],
    ]);
    assert.deepEqual(set.missingWithin(0, 50), [
      [0, 10],
      [20, 30],
      [40, 50],
    ]);
    assert.equal(set.firstMissingFrom(12), 20);
    assert.equal(set.firstMissingFrom(5), 5);
    assert.equal(set.coveredWithin(15, 35), 10);
    assert.equal(set.maxEnd(), 40);
  });

  it('matches a brute-force model under random adds', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const set = new IntervalSet();
    const model = new Uint8Array(1000);
    for (let i = 0; i < 500; i++) {
      const start = Math.floor(random() * 1000);
      const end = Math.min(1000, start + Math.floor(random() * 60));
      let fresh = 0;
      for (let b = start; b < end; b++) {
        if (!model[b]) fresh++;
        model[b] = 1;
      }
      assert.equal(set.add(start, end), fresh);
    }
    assert.equal(set.size, model.reduce((a, b) => a + b, 0));
  });

  const segments = [
    { start: 0, end: 99, url: 'a' },
    { start: 100, end: 149, url: 'b' },
  ];
  const shape = (spans: Span[]) => spans.map((s) => [s.segment, s.start, s.end]);
  const schedule = (parts: StorageSegment[], done: IntervalSet, connections: number, minSplit: number, now?: () => number) =>
    new SpanScheduler(planSpans(parts, done, connections, minSplit), minSplit, now);
  const drain = (scheduler: SpanScheduler) => {
    const spans: Span[] = [];
    for (let span = scheduler.next(); span; span = scheduler.next()) {
      spans.push({ ...span });
      span.cursor = span.end;
      scheduler.finish(span);
    }
    return spans;
  };

  it('cuts the missing bytes into about one span per connection, within segments', () => {
    const done = IntervalSet.from([[10, 30]]);
    const spans = drain(schedule(segments, done, 4, 10));
    assert.deepEqual(shape(spans), [
      [0, 0, 10],
      [0, 30, 65],
      [0, 65, 100],
      [1, 100, 125],
      [1, 125, 150],
    ]);
    assert.deepEqual(shape(drain(schedule(segments, new IntervalSet(), 8, Infinity))), [
      [0, 0, 100],
      [1, 100, 150],
    ]);
  });

  it('plans a last round of the given share of the missing bytes, after the rest', () => {
    const done = IntervalSet.from([[10, 30]]);
    // 130 missing bytes: the first 98 (to offset 118) in the first round, the last 32 in the second.
    assert.deepEqual(shape(planSpans(segments, done, 2, 10, 0.25)), [
      [0, 0, 10],
      [0, 30, 100],
      [1, 100, 118],
      [1, 118, 134],
      [1, 134, 150],
    ]);
    assert.deepEqual(shape(planSpans(segments, done, 2, 10, 1)), shape(planSpans(segments, done, 2, 10)), 'a share of 1 is one round');
  });

  it('lets an idle worker take over the far half of the busiest span', () => {
    const scheduler = schedule([{ start: 0, end: 999, url: 'a' }], new IntervalSet(), 2, 100);
    const first = scheduler.next() as Span;
    const second = scheduler.next() as Span;
    assert.deepEqual([first.start, first.end, second.start, second.end], [0, 500, 500, 1000]);
    second.cursor = 1000;
    scheduler.finish(second);
    first.cursor = 100;
    const stolen = scheduler.next() as Span;
    assert.deepEqual([first.end, stolen.start, stolen.end], [300, 300, 500]);
    first.cursor = 150;
    stolen.cursor = 450;
    assert.equal(scheduler.next(), undefined, 'nothing left worth splitting (< 2 x minSplit)');
  });

  describe('once rates are measured', () => {
    const MiB = 1024 * 1024;
    let clock = 0;
    const twoSpans = () => {
      clock = 0;
      const scheduler = schedule([{ start: 0, end: 64 * MiB - 1, url: 'a' }], new IntervalSet(), 2, 8 * MiB, () => clock);
      const slow = scheduler.next() as Span;
      const fast = scheduler.next() as Span;
      // Both answered after 10 ms; 100 ms later 1 MiB of the slow one has arrived, and all of the fast one.
      slow.stream = { since: 10, from: 0, received: 1 * MiB, latencyMs: 10 };
      clock = 110;
      fast.cursor = fast.end;
      scheduler.finish(fast);
      return { scheduler, slow };
    };

    it('cuts the span that will take longest where both end together, below 2 x the chunk size too', () => {
      const { scheduler, slow } = twoSpans();
      // 31 MiB left at 0.01 MiB/ms; a new request starts 10 ms late (0.1 MiB): the taker gets (31 - 0.1) / 2 MiB.
      const taken = scheduler.next() as Span;
      assert.equal(taken.end, 32 * MiB);
      assert.equal(taken.end - taken.start, Math.floor((31 * MiB - 0.1 * MiB) / 2));
      assert.equal(slow.end, taken.start);

      // Again and again while a piece outlasts a new request's wait, though far below the 8 MiB chunk size.
      taken.cursor = taken.end;
      scheduler.finish(taken);
      const again = scheduler.next() as Span;
      assert.ok(again.end - again.start < 8 * MiB && again.end - again.start > 7 * MiB);
    });

    it('leaves a span alone when it ends before a new request could help', () => {
      const { scheduler, slow } = twoSpans();
      slow.stream = { since: 10, from: slow.end - 1.3 * MiB, received: slow.end - 0.3 * MiB, latencyMs: 10 };
      assert.equal(scheduler.next(), undefined, '0.3 MiB left at 0.01 MiB/ms: the taker would get 0.1 MiB');
      assert.equal(slow.end, 32 * MiB);
    });

    it('cuts spans too young for a rate by bytes: the far half', () => {
      const { scheduler, slow } = twoSpans();
      slow.stream = { since: 100, from: 0, received: 1 * MiB, latencyMs: 10 };
      slow.cursor = 1 * MiB;
      const taken = scheduler.next() as Span;
      assert.equal(taken.start, 1 * MiB + Math.ceil((31 * MiB) / 2));
    });

    it('leaves bytes that arrived but are not written yet to the span they came for', () => {
      const { scheduler, slow } = twoSpans();
      slow.stream = { since: 100, from: 0, received: 3 * MiB, latencyMs: 10 };
      slow.cursor = 1 * MiB;
      const taken = scheduler.next() as Span;
      assert.equal(taken.start, 3 * MiB + Math.ceil((29 * MiB) / 2), 'the cut is past the 3 MiB that arrived, of which 2 MiB are not on disk yet');
    });
  });

  it('covers every missing byte exactly once', () => {
    const done = IntervalSet.from([
      [5, 17],
      [60, 61],
      [120, 130],
    ]);
    const scheduler = schedule(segments, done, 3, 7);
    const covered = IntervalSet.from(done.toArray());
    for (let span = scheduler.next(); span; span = scheduler.next()) {
      const half = Math.floor((span.start + span.end) / 2);
      span.cursor = half;
      const tail = scheduler.next();
      span.cursor = span.end;
      assert.equal(covered.add(span.start, span.end), span.end - span.start, 'no overlap');
      scheduler.finish(span);
      if (tail) {
        assert.equal(covered.add(tail.start, tail.end), tail.end - tail.start, 'no overlap');
        tail.cursor = tail.end;
        scheduler.finish(tail);
      }
    }
    assert.equal(covered.size, 150);
  });
});
