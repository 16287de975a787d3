/** Half-open byte interval [start, end). */
export type Interval = readonly [start: number, end: number];

/** Sorted, merged set of byte intervals; knows how many bytes it covers. */
export class IntervalSet {
  private readonly items: [number, number][] = [];
  private covered = 0;

  static from(intervals: readonly Interval[]): IntervalSet {
    const set = new IntervalSet();
    for (const [start, end] of intervals) set.add(start, end);
    return set;
  }

  get size(): number {
    return this.covered;
  }

  /** Adds [start, end) and returns how many of those bytes were not covered before. */
  add(start: number, end: number): number {
    if (end <= start) return 0;
    const items = this.items;
    let index = this.firstEndingAtOrAfter(start);
    let mergedStart = start;
    let mergedEnd = end;
    let overlap = 0;
    const first = index;
    while (index < items.length && items[index][0] <= end) {
      const [s, e] = items[index];
      overlap += Math.max(0, Math.min(e, end) - Math.max(s, start));
      mergedStart = Math.min(mergedStart, s);
      mergedEnd = Math.max(mergedEnd, e);
      index++;
    }
    items.splice(first, index - first, [mergedStart, mergedEnd]);
    const added = end - start - overlap;
    this.covered += added;
    return added;
  }

  /** Number of bytes of [start, end) already covered. */
  coveredWithin(start: number, end: number): number {
    let total = 0;
    for (let i = this.firstEndingAtOrAfter(start); i < this.items.length && this.items[i][0] < end; i++) {
      const [s, e] = this.items[i];
      total += Math.max(0, Math.min(e, end) - Math.max(s, start));
    }
    return total;
  }

  /** Gaps of [start, end) not covered by the set. */
  missingWithin(start: number, end: number): Interval[] {
    const gaps: Interval[] = [];
    let cursor = start;
    for (let i = this.firstEndingAtOrAfter(start); i < this.items.length && this.items[i][0] < end; i++) {
      const [s, e] = this.items[i];
      if (s > cursor) gaps.push([cursor, s]);
      cursor = Math.max(cursor, e);
    }
    if (cursor < end) gaps.push([cursor, end]);
    return gaps;
  }

  /** First offset at or after `from` not covered by the set. */
  firstMissingFrom(from: number): number {
    const index = this.firstEndingAtOrAfter(from);
    const item = this.items[index];
    return item !== undefined && item[0] <= from ? item[1] : from;
  }

  maxEnd(): number {
    return this.items.length === 0 ? 0 : this.items[this.items.length - 1][1];
  }

  toArray(): Interval[] {
    return this.items.map(([s, e]) => [s, e] as const);
  }

  private firstEndingAtOrAfter(offset: number): number {
    let low = 0;
    let high = this.items.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.items[mid][1] < offset) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}
