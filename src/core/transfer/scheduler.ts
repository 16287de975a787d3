import type { IntervalSet } from './intervals';
import type { StorageSegment } from './types';

/** A contiguous run of missing bytes [start, end) within one storage segment, fetched by one worker. */
export interface Span {
  readonly segment: number;
  readonly start: number;
  /** Shrinks when another worker takes over the tail. */
  end: number;
  /** Next byte not yet written. */
  cursor: number;
}

/**
 * Hands out work like aria2c's segmented download: the missing bytes are cut into about one span per
 * connection, each fetched with one open request; a worker that runs out of work takes over the far
 * half of the span with the most bytes left, so every connection stays busy until the end with few
 * requests. `minSplit` (the chunk size) is the smallest piece a span is ever cut into.
 */
export class SpanScheduler {
  private readonly queue: Span[] = [];
  private readonly active = new Set<Span>();

  constructor(
    segments: readonly StorageSegment[],
    done: IntervalSet,
    connections: number,
    private readonly minSplit: number,
  ) {
    const gaps = segments.flatMap((segment, index) => done.missingWithin(segment.start, segment.end + 1).map(([start, end]) => ({ index, start, end })));
    const missing = gaps.reduce((sum, gap) => sum + gap.end - gap.start, 0);
    const target = Math.max(minSplit, Math.ceil(missing / connections));
    for (const gap of gaps) {
      const length = gap.end - gap.start;
      const pieces = Number.isFinite(target) ? Math.max(1, Math.min(Math.round(length / target), Math.floor(length / minSplit))) : 1;
      for (let i = 0; i < pieces; i++) {
        const start = gap.start + Math.floor((length * i) / pieces);
        const end = gap.start + Math.floor((length * (i + 1)) / pieces);
        this.queue.push({ segment: gap.index, start, end, cursor: start });
      }
    }
  }

  /** The next span to fetch: a queued one, else the far half of the busiest active one, else none. */
  next(): Span | undefined {
    const span = this.queue.shift() ?? this.steal();
    if (span) this.active.add(span);
    return span;
  }

  finish(span: Span): void {
    this.active.delete(span);
  }

  get pending(): number {
    return this.queue.length;
  }

  private steal(): Span | undefined {
    let victim: Span | undefined;
    for (const span of this.active) {
      if (!victim || span.end - span.cursor > victim.end - victim.cursor) victim = span;
    }
    if (!victim) return undefined;
    const remaining = victim.end - victim.cursor;
    if (!(remaining >= 2 * this.minSplit)) return undefined;
    const boundary = victim.cursor + Math.ceil(remaining / 2);
    const taken: Span = { segment: victim.segment, start: boundary, end: victim.end, cursor: boundary };
    victim.end = boundary;
    return taken;
  }
}
