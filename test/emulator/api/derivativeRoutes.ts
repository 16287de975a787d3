/**
 * Model Derivative thumbnails: GET /modelderivative/v2/designdata/:urn/thumbnail (OpenAPI get-thumbnail;
 * reference page "Fetch Thumbnail"). `urn` is the URL-safe base64 of the version id. 200 with a PNG of
 * 100, 200 (default) or 400 pixels square for versions with derivatives and a thumbnail; 404 for the
 * others; 202 while the thumbnail is still being generated (model/derivatives.ts says which is which).
 */
import { createHash } from 'node:crypto';
import { crc32, deflateSync } from 'node:zlib';
import { choices } from '../choices';
import { sendBody } from '../http/exchange';
import { derivativeState } from '../model/derivatives';
import type { SeedFolder, SeedVersion } from '../seed';
import type { ApiContext } from './context';
import { sendJson } from './http';
import type { ApiRoute } from './route';
import { principalOf } from './route';

const SIZES = [100, 200, 400];

function versionOfUrn(ctx: ApiContext, urn: string): SeedVersion | undefined {
  if (!/^[A-Za-z0-9_-]+={0,2}$/.test(urn)) return undefined;
  return ctx.model.versions.get(Buffer.from(urn.replace(/=+$/, ''), 'base64url').toString('utf8'));
}

/** width/height as the reference page describes them: one defaults to the other, both to 200. */
function sizeOf(query: URLSearchParams): number | undefined {
  const width = query.get('width');
  const height = query.get('height');
  const size = Number(width ?? height ?? 200);
  if (!SIZES.includes(size) || (width !== null && height !== null && width !== height)) return undefined;
  return size;
}

export const derivativeRoutes: ApiRoute[] = [
  {
    method: 'GET', pattern: '/modelderivative/v2/designdata/:urn/thumbnail', name: 'md.thumbnail', scope: 'read',
    handle(exchange, params, ctx, principal) {
      const { actor } = principalOf(principal);
      const size = sizeOf(exchange.query);
      if (size === undefined) return sendJson(exchange, 400, { diagnostic: `Invalid thumbnail size: width and height must be one of ${SIZES.join(', ')}.` });
      const version = versionOfUrn(ctx, params.urn);
      const state = version ? derivativeState(version) : 'none';
      if (!version || state === 'none' || state === 'failed') return sendJson(exchange, 404, choices.thumbnails.notFoundBody);
      const item = ctx.model.itemOf(version);
      if (!ctx.model.canReadFolder(ctx.model.folders.get(item.folderId) as SeedFolder, actor)) {
        return sendJson(exchange, 403, { diagnostic: 'You do not have access to this design.' });
      }
      if (state === 'pending') return sendJson(exchange, 202, choices.thumbnails.pendingBody, { 'x-ads-job-status': 'inprogress' });
      const name = `${version.name}.png`;
      sendBody(
        exchange,
        200,
        {
          'content-type': 'image/png',
          'x-ads-size': `[${size},${size}]`,
          'x-ads-role': 'rendered',
          'x-ads-job-status': 'success',
          'x-ads-name': encodeURIComponent(name),
          'x-ads-name-encoding': 'url-encoded',
        },
        thumbnailPng(version.id, size),
      );
    },
  },
];

/** A deterministic square PNG per version: a tinted frame around a light sheet with a few "drawing" lines. */
export function thumbnailPng(versionId: string, size: number): Buffer {
  const hash = createHash('sha1').update(versionId).digest();
  const tint = [hash[0] >> 1, hash[1] >> 1, 96 + (hash[2] >> 2)];
  const rows: Buffer[] = [];
  const margin = Math.round(size / 10);
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 3);
    for (let x = 0; x < size; x++) {
      const inside = x >= margin && x < size - margin && y >= margin && y < size - margin;
      const line = inside && ((x - y + hash[3]) % Math.max(8, hash[4] % 24) === 0 || y === Math.round(size / 2));
      const color = !inside ? tint : line ? tint.map((c) => c >> 1) : [240, 240, 236];
      row.set(color, 1 + x * 3);
    }
    rows.push(row);
  }
  const chunk = (type: string, data: Buffer) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length, 0);
    head.write(type, 4, 'latin1');
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
    return Buffer.concat([head, data, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(Buffer.concat(rows))), chunk('IEND', Buffer.alloc(0))]);
}
