// JSON:API 1.0 shapes used by the APS Project and Data services, and helpers to read them.

export const JSON_API_CONTENT_TYPE = 'application/vnd.api+json';

export interface JsonApiLink {
  href: string;
}

export interface JsonApiIdentifier {
  type: string;
  id: string;
}

export interface JsonApiRelationship {
  data?: JsonApiIdentifier | JsonApiIdentifier[] | null;
  links?: { related?: JsonApiLink; self?: JsonApiLink; [name: string]: JsonApiLink | undefined };
  meta?: { link?: JsonApiLink; [name: string]: unknown };
}

export interface JsonApiResource<A = Record<string, unknown>> extends JsonApiIdentifier {
  attributes?: A;
  links?: { self?: JsonApiLink; webView?: JsonApiLink; [name: string]: JsonApiLink | undefined };
  relationships?: Record<string, JsonApiRelationship | undefined>;
  meta?: Record<string, unknown>;
}

export interface JsonApiLinks {
  self?: JsonApiLink;
  first?: JsonApiLink;
  prev?: JsonApiLink;
  next?: JsonApiLink;
}

export interface JsonApiDocument<D> {
  jsonapi?: { version: string };
  links?: JsonApiLinks;
  data: D;
  included?: JsonApiResource[];
  meta?: Record<string, unknown>;
}

/** `links.next.href` of a page, if any (APS may also send next as a bare string). */
export function nextHref(document: { links?: JsonApiLinks }): string | undefined {
  const next = document.links?.next as JsonApiLink | string | undefined;
  if (typeof next === 'string') return next || undefined;
  return next?.href || undefined;
}

/** The id of a to-one relationship (`relationships.<name>.data.id`). */
export function relationshipId(resource: JsonApiResource, name: string): string | undefined {
  const data = resource.relationships?.[name]?.data;
  if (!data) return undefined;
  return Array.isArray(data) ? data[0]?.id : data.id;
}

/** `links.related.href` or `meta.link.href` of a relationship. */
export function relationshipHref(resource: JsonApiResource, name: string): string | undefined {
  const relationship = resource.relationships?.[name];
  return relationship?.links?.related?.href ?? relationship?.meta?.link?.href;
}

/** Tolerates APS answering a single resource either as an object or as a one-element array. */
export function singleResource<T>(data: T | T[]): T | undefined {
  return Array.isArray(data) ? data[0] : data;
}

export function asArray<T>(data: T | T[] | null | undefined): T[] {
  if (data === null || data === undefined) return [];
  return Array.isArray(data) ? data : [data];
}
