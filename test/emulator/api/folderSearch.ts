/**
 * GET data/v1/projects/:pid/folders/:fid/search (aps-api.md §3.12; OpenAPI getFolderSearch): tip versions
 * of the items in the folder and every subfolder the caller may read, filtered by `filter[*]` over the
 * version payload, paged by `page[number]` 0–49. Needs a user context and the `data:search` scope.
 *
 * Filters follow the Data Management filtering guide: `filter[<field>]=a,b` (any of the values), several
 * fields all apply, matching is case-sensitive; `-contains`, `-starts` and `-ends` compare text. The date
 * and number comparisons `-lt`, `-le`, `-gt`, `-ge` are the emulator's reading of the guide (its operator
 * list is UNCONFIRMED, aps-api.md §8 [13]). Anything else is refused with 400, as APS refuses filters it
 * cannot parse.
 */
import { choices } from '../choices';
import type { Exchange } from '../http/exchange';
import type { Actor } from '../model/dataModel';
import { itemResource, versionResource } from '../model/resources';
import type { SeedFolder, SeedItem } from '../seed';
import type { ApiContext } from './context';
import type { Principal } from './gateway';
import { sendDataError } from './http';
import { fieldValue, paginate, readPage, sendDocument } from './jsonapi';
import { findFolder, findProject } from './lookups';
import { principalOf } from './route';
import type { Params } from './router';

type Json = Record<string, unknown>;

/** The highest page number search serves (50 pages). */
export const SEARCH_MAX_PAGE_NUMBER = 49;

type Op = (typeof choices.searchFilterOperators)[number];
const COMPARE_OPS: readonly string[] = ['lt', 'le', 'gt', 'ge'];

interface Clause {
  field: string;
  op: Op;
  values: string[];
}

export function handleFolderSearch(exchange: Exchange, params: Params, ctx: ApiContext, principal: Principal | undefined): void {
  const { actor } = principalOf(principal);
  if (ctx.options.switches.userContext === 'required' && !actor.userId) {
    return sendDataError(exchange, 403, 'The user could not be authenticated.', 'USER_NOT_AUTHENTICATED');
  }
  const project = findProject(exchange, ctx, actor, params.projectId, true);
  const folder = project && findFolder(exchange, ctx, actor, project, params.folderId);
  if (!folder) return;
  const page = readPage(exchange, { maxNumber: SEARCH_MAX_PAGE_NUMBER });
  if (!page) return;
  const clauses = readSearchFilters(exchange);
  if (!clauses) return;
  const hits = subtreeItems(ctx, actor, folder)
    .map((item) => ({ item, resource: versionResource(ctx, ctx.model.tip(item)) }))
    .filter((hit) => clauses.every((clause) => matches(hit.resource, clause)));
  const { slice, links } = paginate(exchange, ctx, hits, page);
  sendDocument(exchange, ctx, slice.map((hit) => hit.resource), { links, ...(slice.length > 0 ? { included: slice.map((hit) => itemResource(ctx, hit.item)) } : {}) });
}

/** Items below `folder` the actor may read, not deleted: depth first, each folder's items and subfolders by name. */
function subtreeItems(ctx: ApiContext, actor: Actor, folder: SeedFolder): SeedItem[] {
  const result: SeedItem[] = [];
  const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const visit = (current: SeedFolder) => {
    const items = ctx.model.childItems(current.id).filter((item) => !item.hidden);
    result.push(...items.sort((a, b) => byName(ctx.model.tip(a).name, ctx.model.tip(b).name)));
    const folders = ctx.model.childFolders(current.id).filter((child) => !child.hidden && ctx.model.canReadFolder(child, actor));
    for (const child of folders.sort((a, b) => byName(a.name, b.name))) visit(child);
  };
  visit(folder);
  return result;
}

/** The filter clauses, or undefined after answering 400 for one APS could not parse. */
function readSearchFilters(exchange: Exchange): Clause[] | undefined {
  const clauses = new Map<string, Clause>();
  for (const [key, value] of exchange.query) {
    if (!key.startsWith('filter')) continue;
    const match = /^filter\[([^[\]]+)\](?:-([a-z]+))?$/.exec(key);
    if (!match) return refuse(exchange, `Invalid filter parameter: ${key}`);
    const op = (match[2] ?? 'eq') as Op;
    if (!(choices.searchFilterOperators as readonly string[]).includes(op)) {
      return refuse(exchange, `Unsupported filter operator -${match[2]} in ${key}`);
    }
    const values = value.split(',').filter((part) => part !== '');
    if (values.length === 0) return refuse(exchange, `The filter ${key} has no value.`);
    if (COMPARE_OPS.includes(op) && values.some((v) => comparable(v) === undefined)) {
      return refuse(exchange, `The filter ${key} compares dates or numbers; '${value}' is neither.`);
    }
    const id = `${match[1]}\u0000${op}`;
    const clause = clauses.get(id) ?? { field: match[1], op, values: [] };
    clause.values.push(...values);
    clauses.set(id, clause);
  }
  return [...clauses.values()];
}

function refuse(exchange: Exchange, detail: string): undefined {
  sendDataError(exchange, 400, detail);
  return undefined;
}

/** A date (ISO 8601) or a number, as a number to compare; undefined for anything else. */
function comparable(text: string): number | undefined {
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  if (/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(text)) {
    const time = Date.parse(text);
    return Number.isNaN(time) ? undefined : time;
  }
  return undefined;
}

function matches(resource: Json, clause: Clause): boolean {
  const raw = fieldValue(resource, clause.field);
  if (raw === undefined || raw === null || typeof raw === 'object') return false;
  const value = String(raw);
  return clause.values.some((wanted) => {
    switch (clause.op) {
      case 'eq':
        return value === wanted;
      case 'contains':
        return value.includes(wanted);
      case 'starts':
        return value.startsWith(wanted);
      case 'ends':
        return value.endsWith(wanted);
      default: {
        const left = comparable(value);
        const right = comparable(wanted) as number;
        if (left === undefined) return false;
        if (clause.op === 'lt') return left < right;
        if (clause.op === 'le') return left <= right;
        if (clause.op === 'gt') return left > right;
        return left >= right;
      }
    }
  });
}
