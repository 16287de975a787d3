// Following JSON:API links.next: a page iterator and a listAll with speculative page prefetch.
import { nextHref, type JsonApiDocument, type JsonApiResource } from '../http/jsonApi';

export type PageDocument = JsonApiDocument<JsonApiResource[]>;
export type FetchPage = (url: string, signal?: AbortSignal) => Promise<PageDocument>;

export const PAGE_NUMBER = 'page[number]';
export const PAGE_LIMIT = 'page[limit]';
/** APS's default and maximum page size. */
export const MAX_PAGE_SIZE = 200;

/** Yields each page, following `links.next` verbatim. */
export async function* iteratePages(
  fetchPage: FetchPage,
  firstUrl: string,
  signal?: AbortSignal,
  resolve: (href: string) => string = (href) => href,
): AsyncGenerator<PageDocument> {
  let url: string | undefined = firstUrl;
  const seen = new Set<string>();
  while (url) {
    if (seen.has(url)) return; // a server looping back to a page already read would never end
    seen.add(url);
    const page = await fetchPage(url, signal);
    yield page;
    const href = nextHref(page);
    url = href === undefined ? undefined : resolve(href);
  }
}

/** Pages requested ahead by default: with 200-item pages a 5,000-item folder takes 1 + ceil(24/4) = 7 round trips. */
export const DEFAULT_PREFETCH = 4;

export interface FetchAllOptions {
  /** Pages requested ahead of the one being waited for (0 = strictly sequential). */
  prefetch?: number;
  signal?: AbortSignal;
  /** Makes relative hrefs absolute. */
  resolve?: (href: string) => string;
}

type Settled = { ok: true; page: PageDocument } | { ok: false; error: unknown };

/**
 * All pages in server order. After the first page, up to `prefetch` following pages are requested at once
 * (their URLs made from the first `next` link by changing page[number]); it stops at the first page without
 * `next` and ignores whatever the speculative requests beyond it return. If a `next` link does not match
 * the predicted URL, it falls back to following links one by one, so no page is skipped or repeated.
 */
export async function fetchAllPages(fetchPage: FetchPage, firstUrl: string, options: FetchAllOptions = {}): Promise<PageDocument[]> {
  const prefetch = Math.max(0, Math.floor(options.prefetch ?? DEFAULT_PREFETCH));
  const { signal } = options;
  const resolve = options.resolve ?? ((href: string) => href);
  const nextOf = (page: PageDocument): string | undefined => {
    const href = nextHref(page);
    return href === undefined ? undefined : resolve(href);
  };
  const first = await fetchPage(firstUrl, signal);
  const pages = [first];
  let next = nextOf(first);
  const template = next ? pageTemplate(next) : undefined;

  if (next && template && prefetch > 0) {
    const inFlight = new Map<number, Promise<Settled>>();
    const launch = (number: number): void => {
      if (inFlight.has(number)) return;
      inFlight.set(
        number,
        fetchPage(template.urlFor(number), signal).then(
          (page): Settled => ({ ok: true, page }),
          (error: unknown): Settled => ({ ok: false, error }),
        ),
      );
    };
    let expected = template.number;
    for (let n = expected; n < expected + prefetch; n++) launch(n);
    for (;;) {
      const settled = await (inFlight.get(expected) as Promise<Settled>);
      inFlight.delete(expected);
      if (!settled.ok) throw settled.error;
      pages.push(settled.page);
      next = nextOf(settled.page);
      if (!next) break;
      if (template.numberOf(next) !== expected + 1) break; // unexpected link: continue sequentially below
      expected++;
      launch(expected + prefetch - 1);
      next = undefined;
    }
  }

  const visited = new Set(pages.map((page) => page.links?.self?.href).filter((href): href is string => !!href));
  while (next && !visited.has(next)) {
    visited.add(next);
    const page = await fetchPage(next, signal);
    pages.push(page);
    next = nextOf(page);
  }
  return pages;
}

interface PageTemplate {
  /** page[number] of the link the template was made from. */
  number: number;
  urlFor(number: number): string;
  /** page[number] of `href` if it matches the template otherwise, else undefined. */
  numberOf(href: string): number | undefined;
}

function pageTemplate(href: string): PageTemplate | undefined {
  const base = parsePageLink(href);
  if (!base) return undefined;
  return {
    number: base.number,
    urlFor(number: number): string {
      const url = new URL(base.url.toString());
      url.searchParams.set(PAGE_NUMBER, String(number));
      return url.toString();
    },
    numberOf(other: string): number | undefined {
      const parsed = parsePageLink(other);
      return parsed && parsed.key === base.key ? parsed.number : undefined;
    },
  };
}

// A page link's number plus a key identifying everything else about it (origin, path, other params).
function parsePageLink(href: string): { url: URL; number: number; key: string } | undefined {
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return undefined;
  }
  const raw = url.searchParams.get(PAGE_NUMBER);
  if (raw === null || !/^\d+$/.test(raw)) return undefined;
  const rest = new URLSearchParams(url.searchParams);
  rest.delete(PAGE_NUMBER);
  rest.sort();
  return { url, number: Number(raw), key: `${url.origin}${decodeURIComponent(url.pathname)}?${rest.toString()}` };
}

/** Drops resources already seen (by type and id), keeping the first occurrence. */
export function dedupeResources(resources: JsonApiResource[], seen: Set<string>): JsonApiResource[] {
  return resources.filter((resource) => {
    const key = `${resource.type}\u0000${resource.id}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
