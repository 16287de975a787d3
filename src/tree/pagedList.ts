import { toApsError } from './errors';
import type { ApsError } from '../core/http/apsError';
import type { Page } from './hubsData';

/**
 * One container's children as the user has loaded them so far: whole pages from the server in server
 * order, plus entries pinned by "Reveal" that are not on a loaded page yet.
 */
export class PagedList<T> {
  private loaded: T[] = [];
  private pinned: T[] = [];
  private pages?: AsyncIterator<Page<T>>;
  private exhausted = false;
  private pending?: Promise<void>;
  error?: ApsError;
  /** The notices of the pages loaded (see Page.notices). */
  notices: string[] = [];

  constructor(
    private readonly openPages: () => AsyncIterator<Page<T>>,
    private readonly fetchAll: () => Promise<readonly T[]>,
    private readonly keyOf: (entry: T) => string,
  ) {}

  get started(): boolean {
    return this.pages !== undefined || this.exhausted || this.error !== undefined;
  }

  get hasMore(): boolean {
    return !this.exhausted && this.error === undefined;
  }

  get entries(): readonly T[] {
    if (this.pinned.length === 0) return this.loaded;
    const keys = new Set(this.loaded.map(this.keyOf));
    return [...this.loaded, ...this.pinned.filter((entry) => !keys.has(this.keyOf(entry)))];
  }

  /** Loads the first page if nothing was loaded yet. */
  ensureStarted(): Promise<void> {
    return this.started ? (this.pending ?? Promise.resolve()) : this.loadMore();
  }

  loadMore(): Promise<void> {
    this.pending ??= this.guard(async () => {
      this.pages ??= this.openPages();
      const page = await this.pages.next();
      if (!page.done) {
        this.loaded.push(...page.value.entries);
        this.notices.push(...(page.value.notices ?? []));
      }
      if (page.done || page.value.last) this.exhausted = true;
    });
    return this.pending;
  }

  /** Replaces what is loaded with the complete list (the core fetches pages ahead in parallel). */
  loadAll(): Promise<void> {
    const previous = this.pending ?? Promise.resolve();
    this.pending = previous.then(() =>
      this.guard(async () => {
        const all = await this.fetchAll();
        this.loaded = [...all];
        this.exhausted = true;
        void this.pages?.return?.(undefined);
      }),
    );
    return this.pending;
  }

  pin(entry: T): void {
    if (!this.entries.some((existing) => this.keyOf(existing) === this.keyOf(entry))) this.pinned.push(entry);
  }

  reset(): void {
    void this.pages?.return?.(undefined);
    this.pages = undefined;
    this.loaded = [];
    this.pinned = [];
    this.notices = [];
    this.exhausted = false;
    this.error = undefined;
    this.pending = undefined;
  }

  private async guard(work: () => Promise<void>): Promise<void> {
    try {
      this.error = undefined;
      await work();
    } catch (error) {
      this.error = toApsError(error);
      this.pages = undefined;
    } finally {
      this.pending = undefined;
    }
  }
}
