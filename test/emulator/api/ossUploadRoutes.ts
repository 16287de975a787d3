// OSS upload to S3: GET signeds3upload (signed part URLs), POST signeds3upload (complete), and GET …/details.
import { choices } from '../choices';
import type { Exchange } from '../http/exchange';
import type { Actor } from '../model/dataModel';
import { regionOfDocsBucket } from '../seed';
import { objectUrn, type StoredObject } from '../storage/objects';
import type { UploadSession } from '../storage/uploads';
import type { ApiContext } from './context';
import { mediaType, readJson, sendEmpty, sendJson, sendOssError } from './http';
import { BUCKET_KEY, mayRead, outsideRequestedRegion, readMinutes } from './ossRoutes';
import type { ApiRoute } from './route';
import { principalOf } from './route';
import type { Params } from './router';

type Json = Record<string, unknown>;

/**
 * Only the bucket's owner may upload to it, and in Docs buckets only the app that reserved the object through
 * POST storage. Answers the refusal itself and returns false then.
 */
function mayWrite(exchange: Exchange, ctx: ApiContext, actor: Actor, params: Params): boolean {
  const { bucketKey, objectKey } = params;
  const owner = ctx.seed.bucketOwners[bucketKey];
  const reservation = ctx.uploads.reservation(bucketKey, objectKey);
  if (owner === undefined && reservation === undefined && regionOfDocsBucket(bucketKey) === undefined && !ctx.store.bucketExists(bucketKey)) {
    sendOssError(exchange, 404, "Bucket doesn't exist");
    return false;
  }
  if ((owner ?? reservation?.clientId) === actor.clientId) return true;
  const refusal = choices.foreignBucketRefusal;
  sendJson(exchange, refusal.status, refusal.body);
  return false;
}

/** The common preamble: bucket key, region, write permission. */
function uploadTarget(exchange: Exchange, ctx: ApiContext, actor: Actor, params: Params): boolean {
  if (!BUCKET_KEY.test(params.bucketKey)) {
    sendOssError(exchange, 400, `Invalid bucket key ${params.bucketKey}`);
    return false;
  }
  if (outsideRequestedRegion(exchange, ctx, params.bucketKey)) return false;
  return mayWrite(exchange, ctx, actor, params);
}

function positiveInteger(raw: string | null, fallback: number): number | undefined {
  if (raw === null || raw === '') return fallback;
  const value = Number(raw);
  return Number.isInteger(value) && value >= 1 ? value : undefined;
}

function liveSession(ctx: ApiContext, uploadKey: string, params: Params): UploadSession | undefined {
  const session = ctx.uploads.session(uploadKey);
  if (!session || session.completed || session.bucketKey !== params.bucketKey || session.objectKey !== params.objectKey) return undefined;
  return session;
}

function objectLocation(ctx: ApiContext, object: StoredObject): string {
  return `${ctx.base()}/oss/v2/buckets/${encodeURIComponent(object.bucketKey)}/objects/${encodeURIComponent(object.objectKey)}`;
}

function objectDetails(ctx: ApiContext, object: StoredObject): Json {
  return {
    bucketKey: object.bucketKey,
    objectId: objectUrn(object.bucketKey, object.objectKey),
    objectKey: object.objectKey,
    size: object.size,
    contentType: object.contentType,
    location: objectLocation(ctx, object),
  };
}

function refuseUploadKey(exchange: Exchange): void {
  const refusal = choices.upload.unknownUploadKey;
  sendOssError(exchange, refusal.status, refusal.reason);
}

export const ossUploadRoutes: ApiRoute[] = [
  {
    method: 'GET', pattern: '/oss/v2/buckets/:bucketKey/objects/:objectKey/signeds3upload', name: 'oss.signeds3upload', scope: 'upload',
    handle(exchange, params, ctx, principal) {
      const { actor } = principalOf(principal);
      if (!uploadTarget(exchange, ctx, actor, params)) return;
      const { query } = exchange;
      const minutes = readMinutes(query.get('minutesExpiration'), ctx);
      if (typeof minutes === 'string') return sendOssError(exchange, 400, minutes);
      const firstPart = positiveInteger(query.get('firstPart'), 1);
      let parts = positiveInteger(query.get('parts'), 1);
      if (firstPart === undefined || parts === undefined) return sendOssError(exchange, 400, 'parts and firstPart must be positive integers.');
      const { maxUrlsPerCall, maxPartNumber } = choices.upload;
      if (parts > maxUrlsPerCall) {
        if (ctx.options.switches.uploadUrlsPerCall === 'refuse-over-25') return sendOssError(exchange, 400, `At most ${maxUrlsPerCall} parts can be requested at once, not ${parts}.`);
        parts = maxUrlsPerCall;
      }
      if (firstPart + parts - 1 > maxPartNumber) return sendOssError(exchange, 400, `Part numbers go up to ${maxPartNumber}.`);
      const uploadKey = query.get('uploadKey');
      const session = uploadKey ? liveSession(ctx, uploadKey, params) : ctx.uploads.begin(params.bucketKey, params.objectKey);
      if (!session) return refuseUploadKey(exchange);
      const urls = Array.from({ length: parts }, (_, index) =>
        ctx.signer.sign({
          bucketKey: params.bucketKey,
          objectKey: params.objectKey,
          expiresInSeconds: minutes * 60,
          useCdn: false,
          upload: { uploadId: session.uploadKey, partNumber: firstPart + index },
        }),
      );
      sendJson(exchange, 200, {
        uploadKey: session.uploadKey,
        urls,
        urlExpiration: new Date(ctx.now() + minutes * 60_000).toISOString(),
        uploadExpiration: new Date(session.expiresAt).toISOString(),
      });
    },
  },
  {
    method: 'POST', pattern: '/oss/v2/buckets/:bucketKey/objects/:objectKey/signeds3upload', name: 'oss.completeSignedS3Upload', scope: 'upload',
    async handle(exchange, params, ctx, principal) {
      const { actor } = principalOf(principal);
      if (!uploadTarget(exchange, ctx, actor, params)) return;
      if (mediaType(exchange) !== 'application/json') return sendOssError(exchange, 400, 'Content-Type must be application/json.');
      const parsed = await readJson(exchange);
      const body = (parsed.ok ? parsed.value : undefined) as Json | undefined;
      const { uploadKey, size, eTags } = body ?? {};
      if (
        typeof uploadKey !== 'string' ||
        (size !== undefined && !(Number.isSafeInteger(size) && (size as number) >= 0)) ||
        (eTags !== undefined && !(Array.isArray(eTags) && eTags.every((tag) => typeof tag === 'string')))
      ) {
        return sendOssError(exchange, 400, 'The body must be {"uploadKey": "…"} with an optional integer size and an optional eTags array of strings.');
      }
      const earlier = ctx.uploads.session(uploadKey);
      if (earlier?.completed && earlier.bucketKey === params.bucketKey && earlier.objectKey === params.objectKey) {
        const object = ctx.store.get(params.bucketKey, params.objectKey);
        if (ctx.options.switches.repeatedCompletion === 'same-answer' && object) return sendJson(exchange, 200, objectDetails(ctx, object));
        return refuseUploadKey(exchange);
      }
      const session = liveSession(ctx, uploadKey, params);
      if (!session) return refuseUploadKey(exchange);
      const assembled = ctx.uploads.assemble(session, { size: size as number | undefined, eTags: eTags as string[] | undefined }, ctx.options.switches.partSizes === 's3-minimum');
      if ('refused' in assembled) return sendOssError(exchange, 400, assembled.refused);
      const declaredType = exchange.req.headers['x-ads-meta-content-type'];
      const contentType = typeof declaredType === 'string' && declaredType.trim() !== '' ? declaredType.trim() : 'application/octet-stream';
      const object = ctx.store.putFiles(params.bucketKey, params.objectKey, assembled.content, assembled.etag, contentType);
      session.completed = { size: object.size, etag: object.etag, contentType };
      sendJson(exchange, 200, { ...objectDetails(ctx, object), ...(choices.upload.completionHasSha1 ? { sha1: await ctx.store.sha1(object) } : {}) });
    },
  },
  {
    method: 'GET', pattern: '/oss/v2/buckets/:bucketKey/objects/:objectKey/details', name: 'oss.objectDetails', scope: 'read',
    async handle(exchange, params, ctx, principal) {
      const { actor } = principalOf(principal);
      if (!BUCKET_KEY.test(params.bucketKey)) return sendOssError(exchange, 400, `Invalid bucket key ${params.bucketKey}`);
      if (outsideRequestedRegion(exchange, ctx, params.bucketKey)) return;
      const object = ctx.store.get(params.bucketKey, params.objectKey);
      if (!object) return sendOssError(exchange, 404, ctx.store.bucketExists(params.bucketKey) ? "Object doesn't exist" : "Bucket doesn't exist");
      if (!mayRead(ctx, actor, object)) return sendOssError(exchange, 403, 'Access denied to the object');
      const since = exchange.req.headers['if-modified-since'];
      if (typeof since === 'string' && !Number.isNaN(Date.parse(since)) && Math.floor(object.lastModified / 1000) <= Math.floor(Date.parse(since) / 1000)) {
        return sendEmpty(exchange, 304);
      }
      // `with` repeats for each extra field (the OpenAPI parameter), a comma list is read too.
      const wanted = exchange.query.getAll('with').flatMap((value) => value.split(',').map((name) => name.trim()));
      const dates: Json = {};
      if (wanted.includes('createdDate')) dates.createdDate = object.lastModified;
      if (wanted.includes('lastModifiedDate')) dates.lastModifiedDate = object.lastModified;
      if (wanted.includes('lastAccessedDate')) dates.lastAccessedDate = ctx.now();
      sendJson(exchange, 200, { ...objectDetails(ctx, object), sha1: await ctx.store.sha1(object), ...dates });
    },
  },
];
