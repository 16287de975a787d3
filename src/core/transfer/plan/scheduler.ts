import type { IntervalSet } from './intervals';
import type { StorageSegment } from '../types';

/** A contiguous run of missing bytes [start, end) within one storage segment, fetched by one worker. */
export interface Span {
  readonly segment: number;
  readonly start: number;
  /** Shrinks when another worker takes over the tail. */
  end: number;
  /** Next byte not yet written. */
  cursor: number;
  /** The response filling it now, if one is streaming: what its rate and a new request's wait are measured from. */
  stream?: SpanStream;
}

export interface SpanStream {
  /** performance.now() when its body began. */
  readonly since: number;
  /** Object offset of the body's first byte. */
  readonly from: number;
  /** Object offset up to which the body has arrived (written or not). */
  received: number;
  /** How long the request waited for its answer. */
  readonly latencyMs: number;
}

/** Below this much streaming, a rate says little. */
const MIN_RATE_WINDOW_MS = 20;
/** Smallest piece worth a request of its own once rates are known. */
const MIN_STEAL_BYTES = 256 * 1024;

interface Gap {
  readonly index: number;
  readonly start: number;
  readonly end: number;
}

/**
 * The missing bytes cut into about one span per connection, never into pieces under `minSplit` (the
 * chunk size), in object order. With `lastRound` (a share of the missing bytes, 0 to 1) they come in
 * two rounds of spans: the first (1 - lastRound) of the bytes, then the rest.
 */
export function planSpans(segments: readonly StorageSegment[], done: IntervalSet, connections: number, minSplit: number, lastRound?: number): Span[] {
  const gaps: Gap[] = segments.flatMap((segment, index) => done.missingWithin(segment.start, segment.end + 1).map(([start, end]) => ({ index, start, end })));
  if (lastRound === undefined || !(lastRound > 0 && lastRound < 1)) return cut(gaps, connections, minSplit);
  const missing = sizeOf(gaps);
  let firstBytes = Math.round(missing * (1 - lastRound));
  const first: Gap[] = [];
  const last: Gap[] = [];
  for (const gap of gaps) {
    const taken = Math.min(firstBytes, gap.end - gap.start);
    if (taken > 0) first.push({ ...gap, end: gap.start + taken });
    if (taken < gap.end - gap.start) last.push({ ...gap, start: gap.start + taken });
    firstBytes -= taken;
  }
  return [...cut(first, connections, minSplit), ...cut(last, connections, minSplit)];
}

function sizeOf(gaps: readonly Gap[]): number {
  return gaps.reduce((sum, gap) => sum + gap.end - gap.start, 0);
}

function cut(gaps: readonly Gap[], connections: number, minSplit: number): Span[] {
  const target = Math.max(minSplit, Math.ceil(sizeOf(gaps) / connections));
  const spans: Span[] = [];
  for (const gap of gaps) {
    const length = gap.end - gap.start;
    const pieces = Number.isFinite(target) ? Math.max(1, Math.min(Math.round(length / target), Math.floor(length / minSplit))) : 1;
    for (let i = 0; i < pieces; i++) {
      const start = gap.start + Math.floor((length * i) / pieces);
      const end = gap.start + Math.floor((length * (i + 1)) / pieces);
      spans.push({ segment: gap.index, start, end, cursor: start });
    }
  }
  return spans;
}

/**
 * Hands out work like aria2c's segmented download: the planned spans (planSpans) in order, each
 * fetched with one open request. A worker that runs out of work takes over the far part of another
 * span, so every connection stays busy until the end with few requests. Connections seldom run
 * equally fast: of the spans whose rate is measured, it cuts the one that will take longest, where
 * both would end together, if the piece lasts at least two request waits (even below the chunk size:
 * one slow connection never holds up the rest). Spans too young for a rate are cut by bytes: the far
 * half, only of at least 2 x `minSplit`.
 */
export class SpanScheduler {
  private readonly queue: Span[];
  private readonly active = new Set<Span>();

  constructor(
    spans: readonly Span[],
    private readonly minSplit: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.queue = [...spans];
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
    const now = this.now();
    const measured: Span[] = [];
    const young: Span[] = [];
    for (const span of this.active) {
      const stream = span.stream;
      (stream && now - stream.since >= MIN_RATE_WINDOW_MS && stream.received > stream.from ? measured : young).push(span);
    }
    const cut = this.cutByTime(measured, now) ?? this.cutByBytes(young);
    if (!cut) return undefined;
    const { victim, boundary } = cut;
    const taken: Span = { segment: victim.segment, start: boundary, end: victim.end, cursor: boundary };
    victim.end = boundary;
    return taken;
  }

  private cutByTime(spans: readonly Span[], now: number): Cut | undefined {
    let best: (Cut & { finishMs: number }) | undefined;
    for (const span of spans) {
      const stream = span.stream as SpanStream;
      const rate = (stream.received - stream.from) / (now - stream.since);
      const remaining = span.end - Math.max(span.cursor, stream.received);
      // A new request starts latencyMs late; at equal rates both end together when the victim keeps
      // (remaining + latency x rate) / 2 and the taker gets the rest.
      const lead = stream.latencyMs * rate;
      const taken = Math.floor((remaining - lead) / 2);
      // Taking a piece ends the victim's response early (its connection closes): only for a piece that
      // lasts at least two request waits.
      if (taken < Math.max(MIN_STEAL_BYTES, 2 * lead)) continue;
      const finishMs = remaining / rate;
      if (!best || finishMs > best.finishMs) best = { victim: span, boundary: span.end - taken, finishMs };
    }
    return best;
  }

  private cutByBytes(spans: readonly Span[]): Cut | undefined {
    let victim: Span | undefined;
    for (const span of spans) {
      if (!victim || span.end - arrived(span) > victim.end - arrived(victim)) victim = span;
    }
    if (!victim) return undefined;
    const remaining = victim.end - arrived(victim);
    if (!(remaining >= 2 * this.minSplit)) return undefined;
    return { victim, boundary: arrived(victim) + Math.ceil(remaining / 2) };
  }
}

/** Where the span's bytes stop having arrived: those before may be on their way to the disk already, so they stay with it. */
function arrived(span: Span): number {
  return Math.max(span.cursor, span.stream?.received ?? span.cursor);
}

/** Where to cut a span: the taker gets [boundary, end). */
interface Cut {
  readonly victim: Span;
  readonly boundary: number;
}
