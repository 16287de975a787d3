import { choices } from '../choices';
import type { Exchange } from '../http/exchange';
import type { ApiContext } from './context';
import { sendDataError, sendJsonApi } from './http';

type Json = Record<string, unknown>;

export const JSONAPI = { version: '1.0' } as const;

export function selfHref(exchange: Exchange, ctx: ApiContext): { href: string } {
  return { href: `${ctx.base()}${exchange.req.url ?? exchange.path}` };
}

export function sendDocument(exchange: Exchange, ctx: ApiContext, data: unknown, extra: { included?: unknown[]; links?: Json; meta?: Json; status?: number } = {}): void {
  sendJsonApi(exchange, extra.status ?? 200, {
    jsonapi: JSONAPI,
    links: { self: selfHref(exchange, ctx), ...(extra.links ?? {}) },
    data,
    ...(extra.included ? { included: extra.included } : {}),
    ...(extra.meta ? { meta: extra.meta } : {}),
  });
}

export interface Page {
  number: number;
  limit: number;
}

/** page[number] / page[limit]; answers 400 itself and returns undefined on bad values. */
export function readPage(exchange: Exchange, options: { maxNumber?: number } = {}): Page | undefined {
  const numberText = exchange.query.get('page[number]');
  const limitText = exchange.query.get('page[limit]');
  const number = numberText === null ? 0 : Number(numberText);
  const limit = limitText === null ? 200 : Number(limitText);
  if (!Number.isInteger(number) || number < 0 || (options.maxNumber !== undefined && number > options.maxNumber)) {
    sendDataError(exchange, 400, `Invalid page[number] value: ${numberText}`);
    return undefined;
  }
  if (!Number.isInteger(limit) || limit < 1 || limit > 200) {
    if (choices.rejectOutOfRangePageLimit) {
      sendDataError(exchange, 400, `Invalid page[limit] value: ${limitText}. It must be between 1 and 200.`);
      return undefined;
    }
  }
  return { number, limit: Math.min(200, Math.max(1, Math.trunc(limit) || 200)) };
}

function pageHref(exchange: Exchange, ctx: ApiContext, number: number, limit: number): { href: string } {
  const params = new URLSearchParams();
  for (const [key, value] of exchange.query) if (key !== 'page[number]' && key !== 'page[limit]') params.append(key, value);
  params.append('page[number]', String(number));
  if (choices.paginationLinksCarryLimit) params.append('page[limit]', String(limit));
  return { href: `${ctx.base()}${exchange.path}?${params.toString()}` };
}

/** One page of `all` plus first/prev/next links (only when the collection spans pages). */
export function paginate<T>(exchange: Exchange, ctx: ApiContext, all: T[], page: Page): { slice: T[]; links: Json } {
  const start = page.number * page.limit;
  const slice = all.slice(start, start + page.limit);
  const links: Json = {};
  if (all.length > page.limit || page.number > 0) {
    links.first = pageHref(exchange, ctx, 0, page.limit);
    if (page.number > 0) links.prev = pageHref(exchange, ctx, Math.min(page.number - 1, Math.max(0, Math.ceil(all.length / page.limit) - 1)), page.limit);
    if (start + page.limit < all.length) links.next = pageHref(exchange, ctx, page.number + 1, page.limit);
  }
  return { slice, links };
}

interface FilterClause {
  field: string;
  op: 'eq' | 'contains' | 'starts' | 'ends';
  values: string[];
}

/** filter[<field>][-contains|-starts|-ends]=a,b (any of) — repeated params add values. */
export function readFilters(exchange: Exchange, ignore: string[] = []): FilterClause[] {
  const clauses = new Map<string, FilterClause>();
  for (const [key, value] of exchange.query) {
    const m = /^filter\[([^\]]+)\](-contains|-starts|-ends)?$/.exec(key);
    if (!m || ignore.includes(m[1])) continue;
    const op = (m[2]?.slice(1) ?? 'eq') as FilterClause['op'];
    const id = `${m[1]}${op}`;
    const clause = clauses.get(id) ?? { field: m[1], op, values: [] };
    clause.values.push(...value.split(',').filter((v) => v !== ''));
    clauses.set(id, clause);
  }
  return [...clauses.values()];
}

/** A resource's `type`, `id`, `extension.type` or attribute (`attributes.` optional, dotted paths). */
export function fieldValue(resource: Json, field: string): unknown {
  const attributes = (resource.attributes ?? {}) as Json;
  if (field === 'type' || field === 'id') return resource[field];
  if (field === 'extension.type') return (attributes.extension as Json | undefined)?.type;
  const path = field.startsWith('attributes.') ? field.slice('attributes.'.length) : field;
  let current: unknown = attributes;
  for (const part of path.split('.')) current = current && typeof current === 'object' ? (current as Json)[part] : undefined;
  return current;
}

function matchesClause(resource: Json, clause: FilterClause): boolean {
  const raw = fieldValue(resource, clause.field);
  if (raw === undefined || raw === null) return false;
  const value = String(raw);
  return clause.values.some((wanted) => {
    switch (clause.op) {
      case 'eq':
        return value === wanted;
      case 'contains':
        return value.toLowerCase().includes(wanted.toLowerCase());
      case 'starts':
        return value.toLowerCase().startsWith(wanted.toLowerCase());
      case 'ends':
        return value.toLowerCase().endsWith(wanted.toLowerCase());
    }
  });
}

export function applyFilters<T extends Json>(resources: T[], clauses: FilterClause[]): T[] {
  if (clauses.length === 0) return resources;
  return resources.filter((resource) => clauses.every((clause) => matchesClause(resource, clause)));
}
