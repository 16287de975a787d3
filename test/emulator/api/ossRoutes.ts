import { choices } from '../choices';
import type { Actor } from '../model/dataModel';
import { regionOfDocsBucket, type SeedFolder } from '../seed';
import type { Exchange } from '../http/exchange';
import { objectKeyOf, type StoredObject } from '../storage/objects';
import { serveObject } from '../storage/serve';
import type { ApiContext } from './context';
import { readJson, sendEmpty, sendJson, sendOssError } from './http';
import type { ApiRoute } from './route';
import { principalOf } from './route';

type Json = Record<string, unknown>;

export const BUCKET_KEY = /^[-_.a-z0-9]{3,128}$/;
const OVERRIDE_KEYS = ['response-content-type', 'response-content-disposition', 'response-cache-control'] as const;

/** Fallback (OSS signed resource) ids handed out for chunked objects. */
const fallbackIds = new WeakMap<ApiContext, Map<string, { bucketKey: string; objectKey: string; expiresAt: number }>>();

function fallbacks(ctx: ApiContext) {
  let map = fallbackIds.get(ctx);
  if (!map) {
    map = new Map();
    fallbackIds.set(ctx, map);
  }
  return map;
}

export function mayRead(ctx: ApiContext, actor: Actor, object: StoredObject): boolean {
  const owner = ctx.seed.bucketOwners[object.bucketKey];
  if (owner !== undefined) return owner === actor.clientId;
  const version = ctx.model.versionByStorage.get(objectKeyOf(object.bucketKey, object.objectKey));
  if (!version) return true;
  const item = ctx.model.itemOf(version);
  return ctx.model.canReadFolder(ctx.model.folders.get(item.folderId) as SeedFolder, actor);
}

export function readMinutes(raw: string | null | undefined, ctx: ApiContext): number | string {
  if (raw === null || raw === undefined || raw === '') return ctx.options.signedUrlMinutesDefault;
  const minutes = Number(raw);
  if (!Number.isInteger(minutes) || minutes < 1 || minutes > 60) {
    if (choices.rejectMinutesOutOfRange) return `minutesExpiration must be an integer between 1 and 60, got ${raw}`;
    return Math.min(60, Math.max(1, Math.trunc(minutes) || 2));
  }
  return minutes;
}

/**
 * Switch regionalStorage: a bucket stored outside the US is known only to requests that name its region
 * (x-ads-region header, or the region query parameter); others get the 404 a US store gives. Answers itself.
 */
export function outsideRequestedRegion(exchange: Exchange, ctx: ApiContext, bucketKey: string): boolean {
  const stored = regionOfDocsBucket(bucketKey) ?? 'US';
  if (stored === 'US' || ctx.options.switches.regionalStorage === 'any-region') return false;
  const header = exchange.req.headers['x-ads-region'];
  const asked = (typeof header === 'string' ? header : exchange.query.get('region') ?? 'US').trim().toUpperCase();
  if (asked === stored) return false;
  sendOssError(exchange, 404, "Bucket doesn't exist");
  return true;
}

interface SignOptions {
  minutes: number;
  useCdn: boolean;
  fallback: boolean;
  overrides: Partial<Record<(typeof OVERRIDE_KEYS)[number], string>>;
}

async function signedDownload(ctx: ApiContext, object: StoredObject, options: SignOptions): Promise<Json> {
  const params: Json = {
    'content-type': options.overrides['response-content-type'] ?? object.contentType,
    'content-disposition': options.overrides['response-content-disposition'] ?? `attachment; filename="${object.objectKey}"`,
    ...(options.overrides['response-cache-control'] ? { 'cache-control': options.overrides['response-cache-control'] } : {}),
  };
  const overrides = { 'response-content-type': params['content-type'] as string, 'response-content-disposition': params['content-disposition'] as string, ...options.overrides };
  const sign = (part?: { start: number; end: number }) =>
    ctx.signer.sign({ bucketKey: object.bucketKey, objectKey: object.objectKey, expiresInSeconds: options.minutes * 60, useCdn: options.useCdn, overrides, part });
  if (object.chunked) {
    if (options.fallback) {
      const id = `${object.bucketKey}-${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`;
      fallbacks(ctx).set(id, { bucketKey: object.bucketKey, objectKey: object.objectKey, expiresAt: ctx.now() + options.minutes * 60_000 });
      return { status: 'fallback', url: `${ctx.base()}/oss/v2/signedresources/${id}?region=US`, params, size: object.size };
    }
    const urls: Record<string, string> = {};
    for (let start = 0; start < object.size; start += choices.chunkedPartBytes) {
      const end = Math.min(object.size, start + choices.chunkedPartBytes) - 1;
      urls[`${start}-${end}`] = sign({ start, end });
    }
    return { status: 'chunked', urls, params, size: object.size };
  }
  return { status: 'complete', url: sign(), params, size: object.size, sha1: await ctx.store.sha1(object) };
}

function notModified(object: StoredObject, ifNoneMatch: unknown, ifModifiedSince: unknown): boolean {
  if (typeof ifNoneMatch === 'string' && ifNoneMatch.split(',').some((tag) => tag.trim() === object.etag || `"${tag.trim()}"` === object.etag)) return true;
  if (typeof ifModifiedSince === 'string') {
    const since = Date.parse(ifModifiedSince);
    if (!Number.isNaN(since) && Math.floor(object.lastModified / 1000) <= Math.floor(since / 1000)) return true;
  }
  return false;
}

export const ossRoutes: ApiRoute[] = [
  {
    method: 'GET', pattern: '/oss/v2/buckets/:bucketKey/objects/:objectKey/signeds3download', name: 'oss.signeds3download', scope: 'read',
    async handle(exchange, params, ctx, principal) {
      const { actor } = principalOf(principal);
      if (!BUCKET_KEY.test(params.bucketKey)) return sendOssError(exchange, 400, `Invalid bucket key ${params.bucketKey}`);
      const minutes = readMinutes(exchange.query.get('minutesExpiration'), ctx);
      if (typeof minutes === 'string') return sendOssError(exchange, 400, minutes);
      if (outsideRequestedRegion(exchange, ctx, params.bucketKey)) return;
      const object = ctx.store.get(params.bucketKey, params.objectKey);
      if (!object) {
        return sendOssError(exchange, 404, ctx.store.bucketExists(params.bucketKey) ? "Object doesn't exist" : "Bucket doesn't exist");
      }
      if (!mayRead(ctx, actor, object)) return sendOssError(exchange, 403, 'Access denied to the object');
      if (notModified(object, exchange.req.headers['if-none-match'], exchange.req.headers['if-modified-since'])) return sendEmpty(exchange, 304);
      const overrides: SignOptions['overrides'] = {};
      for (const key of OVERRIDE_KEYS) {
        const value = exchange.query.get(key);
        if (value !== null) overrides[key] = value;
      }
      const useCdnText = exchange.query.get('useCdn');
      const body = await signedDownload(ctx, object, {
        minutes,
        useCdn: useCdnText === null ? choices.useCdnDefault : useCdnText === 'true',
        fallback: exchange.query.get('public-resource-fallback') === 'true',
        overrides,
      });
      sendJson(exchange, 200, body);
    },
  },
  {
    method: 'POST', pattern: '/oss/v2/buckets/:bucketKey/objects/batchsigneds3download', name: 'oss.batchsigneds3download', scope: 'read',
    async handle(exchange, params, ctx, principal) {
      const { actor } = principalOf(principal);
      if (!BUCKET_KEY.test(params.bucketKey)) return sendOssError(exchange, 400, `Invalid bucket key ${params.bucketKey}`);
      const minutes = readMinutes(exchange.query.get('minutesExpiration'), ctx);
      if (typeof minutes === 'string') return sendOssError(exchange, 400, minutes);
      if (outsideRequestedRegion(exchange, ctx, params.bucketKey)) return;
      if (ctx.seed.bucketOwners[params.bucketKey] !== actor.clientId && ctx.options.switches.foreignBucketBatch === 'refuse') {
        const refusal = choices.foreignBucketRefusal;
        return sendJson(exchange, refusal.status, refusal.body);
      }
      const body = await readJson(exchange);
      const requests = body.ok ? (body.value as { requests?: unknown } | undefined)?.requests : undefined;
      if (!Array.isArray(requests) || requests.length === 0 || requests.some((r) => !r || typeof (r as Json).objectKey !== 'string')) {
        return sendOssError(exchange, 400, 'The body must be {"requests": [{"objectKey": "..."}, ...]}');
      }
      const results: Record<string, Json> = {};
      for (const request of requests as Json[]) {
        let objectKey = request.objectKey as string;
        try {
          objectKey = decodeURIComponent(objectKey);
        } catch {
          // keep as given
        }
        const object = ctx.store.get(params.bucketKey, objectKey);
        if (!object) {
          results[request.objectKey as string] = { reason: "Object doesn't exist" };
          continue;
        }
        if (!mayRead(ctx, actor, object)) {
          results[request.objectKey as string] = { reason: 'Access denied to the object' };
          continue;
        }
        const overrides: SignOptions['overrides'] = {};
        for (const key of OVERRIDE_KEYS) if (typeof request[key] === 'string') overrides[key] = request[key] as string;
        results[request.objectKey as string] = await signedDownload(ctx, object, {
          minutes,
          useCdn: choices.useCdnDefault,
          fallback: exchange.query.get('public-resource-fallback') === 'true',
          overrides,
        });
      }
      sendJson(exchange, 200, { results });
    },
  },
  {
    method: 'GET', pattern: '/oss/v2/buckets/:bucketKey/objects/:objectKey', name: 'oss.objectDownload', scope: 'read',
    handle(exchange) {
      sendOssError(exchange, choices.directDownloadStatus, 'Direct download is deprecated; use GET signeds3download and download from the returned URL.');
    },
  },
  {
    method: 'GET', pattern: '/oss/v2/signedresources/:id', name: 'oss.signedresource', scope: 'none',
    async handle(exchange, params, ctx) {
      const entry = fallbacks(ctx).get(params.id);
      if (!entry) return sendOssError(exchange, 404, 'Signed resource not found');
      if (!(ctx.now() < entry.expiresAt)) return sendOssError(exchange, 403, 'Signed resource expired');
      const object = ctx.store.get(entry.bucketKey, entry.objectKey);
      if (!object) return sendOssError(exchange, 404, "Object doesn't exist");
      await serveObject(exchange, { object, overrides: {} }, ctx);
    },
  },
];
