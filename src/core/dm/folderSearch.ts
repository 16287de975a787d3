// Data Management folder search (aps-api.md §3.12): tip versions in a folder's subtree that match filters,
// page by page. APS serves page numbers 0–49 only, so a search stops after 50 pages and says it was cut.
import { isApsError } from '../http/apsError';
import type { HttpClient } from '../http/httpClient';
import { asArray, nextHref, type JsonApiResource } from '../http/jsonApi';
import type { DataManagementClient } from './dataManagement';
import { pathSegment, withBPrefix } from './ids';
import { toItem, toVersion } from './mappers';
import type { Item, Version } from './models';
import { PAGE_LIMIT, PAGE_NUMBER, type PageDocument } from './paging';

/** The highest page number APS's search serves: 50 pages in all. */
export const SEARCH_MAX_PAGE_NUMBER = 49;

export interface SearchQuery {
  /** Name contains, ignoring case; commas separate alternatives ("tower,site"). */
  text?: string;
  /** File types (extensions without the dot), any of them. */
  fileTypes?: string[];
  /** Modified on or after this date (YYYY-MM-DD, UTC) or date-time. */
  modifiedAfter?: string;
  /** Modified before this date (YYYY-MM-DD, UTC) or date-time. */
  modifiedBefore?: string;
  /** Name of the user who created the version contains, ignoring case. */
  author?: string;
}

export interface SearchHit {
  version: Version;
  /** The version's item, when APS included it. */
  item?: Item;
}

export interface SearchPage {
  /** The folder searched (for a project search: one of its top folders). */
  folder: { id: string; name?: string };
  /** 0-based. */
  pageNumber: number;
  hits: SearchHit[];
  /** APS has more results than its 50 pages serve; the search of this folder stopped here. */
  truncated: boolean;
}

export interface SearchOptions {
  signal?: AbortSignal;
  /** page[limit] (1–200); APS's default when absent. */
  pageSize?: number;
}

/** Why a search failed, for a sentence that says what to do. */
export type SearchFailure = 'needs-user' | 'needs-scope' | 'no-access' | 'refused' | 'other';

export function searchFailure(error: unknown): SearchFailure {
  if (!isApsError(error)) return 'other';
  if (error.status === 403 && error.code === 'USER_NOT_AUTHENTICATED') return 'needs-user';
  if (error.status === 403 && error.code === 'AUTH-010') return 'needs-scope';
  if (error.status === 403 || error.status === 404) return 'no-access';
  if (error.status === 400) return 'refused';
  return 'other';
}

export function isEmptyQuery(query: SearchQuery): boolean {
  return !alternatives(query.text).length && !query.fileTypes?.length && !query.modifiedAfter && !query.modifiedBefore && !query.author?.trim();
}

/** The query as APS filters: its filters are case-sensitive, so text goes in the usual spellings. */
export function searchFilters(query: SearchQuery): Record<string, string> {
  const filters: Record<string, string> = {};
  const names = alternatives(query.text).flatMap(spellings);
  if (names.length) filters['filter[attributes.displayName]-contains'] = unique(names).join(',');
  const types = (query.fileTypes ?? []).map((type) => type.trim().replace(/^\./, '')).filter(Boolean);
  if (types.length) filters['filter[fileType]'] = unique(types.flatMap((type) => [type.toLowerCase(), type.toUpperCase()])).join(',');
  if (query.modifiedAfter) filters['filter[lastModifiedTime]-ge'] = isoOf(query.modifiedAfter);
  if (query.modifiedBefore) filters['filter[lastModifiedTime]-lt'] = isoOf(query.modifiedBefore);
  const author = query.author?.trim();
  if (author) filters['filter[createUserName]-contains'] = unique(spellings(author)).join(',');
  return filters;
}

/** Checks a version against the query here too, so results are right whatever APS made of the filters. */
export function matchesSearch(version: Version, query: SearchQuery): boolean {
  const names = alternatives(query.text).map((text) => text.toLocaleLowerCase());
  const name = (version.displayName ?? version.name).toLocaleLowerCase();
  if (names.length && !names.some((text) => name.includes(text))) return false;
  const types = (query.fileTypes ?? []).map((type) => type.trim().replace(/^\./, '').toLowerCase()).filter(Boolean);
  if (types.length && !types.includes(fileTypeOf(version))) return false;
  const modified = Date.parse(version.lastModifiedTime ?? version.createTime ?? '');
  if (query.modifiedAfter && !(modified >= Date.parse(isoOf(query.modifiedAfter)))) return false;
  if (query.modifiedBefore && !(modified < Date.parse(isoOf(query.modifiedBefore)))) return false;
  const author = query.author?.trim().toLocaleLowerCase();
  if (author && !(version.createUserName ?? '').toLocaleLowerCase().includes(author)) return false;
  return true;
}

export interface ParsedSearch {
  query: SearchQuery;
  /** Words that look like a filter but are not understood, e.g. `after:yesterday`. */
  problems: Array<{ word: string; expected: 'date' }>;
}

/**
 * What a person types: words to find in names, plus `type:rvt,dwg`, `after:2024-03-01`, `before:2024-04-01`
 * and `by:dana` (quotes keep spaces: `by:"Alex Admin"`).
 */
export function parseSearchText(input: string): ParsedSearch {
  const query: SearchQuery = {};
  const words: string[] = [];
  const problems: ParsedSearch['problems'] = [];
  for (const match of input.matchAll(/(\w+:)?("[^"]*"?|\S+)/g)) {
    const key = match[1]?.slice(0, -1).toLowerCase();
    const value = match[2].replace(/^"|"$/g, '');
    if (key === 'type' || key === 'ext') query.fileTypes = [...(query.fileTypes ?? []), ...value.split(',').filter(Boolean)];
    else if (key === 'by' || key === 'author') query.author = value;
    else if (key === 'after' || key === 'before') {
      if (!isDate(value)) problems.push({ word: match[0], expected: 'date' });
      else if (key === 'after') query.modifiedAfter = value;
      else query.modifiedBefore = value;
    } else words.push(match[0]);
  }
  const text = words.join(' ').trim();
  if (text) query.text = text;
  return { query, problems };
}

/** Search through Data Management's folder search, following APS's page links up to its 50-page end. */
export class FolderSearch {
  constructor(private readonly http: HttpClient) {}

  async *folder(projectId: string, folder: { id: string; name?: string }, query: SearchQuery, options: SearchOptions = {}): AsyncGenerator<SearchPage> {
    const pid = withBPrefix(projectId);
    const first = this.http.resolve(`/data/v1/projects/${pathSegment(pid)}/folders/${pathSegment(folder.id)}/search`);
    for (const [name, value] of Object.entries(searchFilters(query))) first.searchParams.set(name, value);
    if (options.pageSize !== undefined) first.searchParams.set(PAGE_LIMIT, String(Math.min(200, Math.max(1, Math.floor(options.pageSize)))));
    const seen = new Set<string>();
    const visited = new Set<string>();
    let url: string | undefined = first.toString();
    for (let pageNumber = 0; url && !visited.has(url); ) {
      visited.add(url);
      const page: PageDocument = await this.http.getJson<PageDocument>(url, { signal: options.signal });
      const href = nextHref(page);
      const next = href === undefined ? undefined : this.http.resolve(href).toString();
      const nextNumber = next === undefined ? undefined : (pageNumberOf(next) ?? pageNumber + 1);
      const truncated = nextNumber !== undefined && nextNumber > SEARCH_MAX_PAGE_NUMBER;
      yield { folder, pageNumber, hits: hitsOf(page, pid, seen).filter((hit) => matchesSearch(hit.version, query)), truncated };
      if (truncated || nextNumber === undefined) return;
      url = next;
      pageNumber = nextNumber;
    }
  }

  /** Every top folder the caller may see, one after the other. */
  async *project(dm: DataManagementClient, hubId: string, projectId: string, query: SearchQuery, options: SearchOptions = {}): AsyncGenerator<SearchPage> {
    const folders = await dm.topFolders(hubId, projectId, { signal: options.signal });
    for (const folder of folders) yield* this.folder(projectId, { id: folder.id, name: folder.name }, query, options);
  }
}

function hitsOf(page: PageDocument, projectId: string, seen: Set<string>): SearchHit[] {
  const items = new Map<string, JsonApiResource>();
  for (const resource of page.included ?? []) if (resource.type === 'items') items.set(resource.id, resource);
  const hits: SearchHit[] = [];
  for (const resource of asArray(page.data)) {
    if (resource.type !== 'versions' || seen.has(resource.id)) continue;
    seen.add(resource.id);
    const version = toVersion(resource, projectId);
    const itemResource = version.itemId ? items.get(version.itemId) : undefined;
    hits.push({ version, ...(itemResource ? { item: toItem(itemResource, projectId, version) } : {}) });
  }
  return hits;
}

function pageNumberOf(href: string): number | undefined {
  const raw = new URL(href).searchParams.get(PAGE_NUMBER);
  return raw !== null && /^\d+$/.test(raw) ? Number(raw) : undefined;
}

function alternatives(text: string | undefined): string[] {
  return (text ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
}

/** As typed, lower case, upper case, capitalised and title case. */
function spellings(text: string): string[] {
  const lower = text.toLocaleLowerCase();
  const capital = (word: string) => word.charAt(0).toLocaleUpperCase() + word.slice(1);
  return [text, lower, text.toLocaleUpperCase(), capital(lower), lower.split(' ').map(capital).join(' ')];
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

function fileTypeOf(version: Version): string {
  if (version.fileType) return version.fileType.toLowerCase();
  const dot = version.name.lastIndexOf('.');
  return dot > 0 ? version.name.slice(dot + 1).toLowerCase() : '';
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function isDate(text: string): boolean {
  return (DATE.test(text) || /^\d{4}-\d{2}-\d{2}T/.test(text)) && !Number.isNaN(Date.parse(text));
}

/** A date (midnight UTC) or date-time as ISO 8601. */
function isoOf(text: string): string {
  return DATE.test(text) ? `${text}T00:00:00.000Z` : new Date(text).toISOString();
}
