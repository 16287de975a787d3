// Model Derivative thumbnails (GET modelderivative/v2/designdata/:urn/thumbnail): asked for only when a
// version has derivatives, kept as PNG files in a folder that lives as long as the session.
import { createHash } from 'node:crypto';
import { access, mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Version } from '../dm/models';
import type { HttpClient } from '../http/httpClient';

/** The sizes Model Derivative renders, in pixels (square). */
export type ThumbnailSize = 100 | 200 | 400;

export type Thumbnail =
  /** A PNG on disk. */
  | { state: 'ready'; file: string; size: ThumbnailSize }
  /** The version has no derivatives (nothing was asked), or Model Derivative has no thumbnail for it. */
  | { state: 'none'; reason: 'no-derivatives' | 'not-found' }
  /** Model Derivative is still generating it. */
  | { state: 'pending' };

/**
 * Does the version have Model Derivative output? It must carry a `derivatives` relationship, and BIM 360 /
 * ACC must not report that extraction was unsupported or failed (they keep the relationship on files they
 * cannot translate).
 */
export function hasDerivatives(version: Pick<Version, 'derivativesId' | 'extractionState'>): boolean {
  if (!version.derivativesId) return false;
  return version.extractionState !== 'UNSUPPORTED' && version.extractionState !== 'FAILED';
}

export interface ThumbnailCacheOptions {
  /** Default 100: the small one, for tooltips. */
  size?: ThumbnailSize;
  /** Model Derivative's `region` header (US when absent), read at each request. */
  region?: () => string | undefined;
}

/** Thumbnails of this session: one request per version and size, answers kept until `clear()`. */
export class ThumbnailCache {
  private readonly known = new Map<string, Promise<Thumbnail>>();
  private readonly size: ThumbnailSize;

  /** `folder` belongs to this cache alone: `clear()` deletes it. */
  constructor(
    readonly folder: string,
    private readonly options: ThumbnailCacheOptions = {},
  ) {
    this.size = options.size ?? 100;
  }

  /** The version's thumbnail; no request unless it has derivatives. Pending answers and failures are not kept. */
  async get(http: HttpClient, version: Pick<Version, 'derivativesId' | 'extractionState'>, signal?: AbortSignal): Promise<Thumbnail> {
    if (!hasDerivatives(version)) return { state: 'none', reason: 'no-derivatives' };
    const urn = version.derivativesId as string;
    const earlier = this.known.get(urn);
    if (earlier) {
      const known = await earlier.catch(() => undefined);
      // A file removed meanwhile (another window's clean-up of old sessions) is fetched again.
      if (known && (known.state !== 'ready' || (await exists(known.file)))) return known;
      if (this.known.get(urn) !== earlier) return this.get(http, version, signal);
    }
    const answer = this.fetch(http, urn, signal);
    this.known.set(urn, answer);
    answer.then(
      (thumbnail) => thumbnail.state === 'pending' && this.known.delete(urn),
      () => this.known.delete(urn),
    );
    return answer;
  }

  /** Forgets every answer and deletes the folder. */
  async clear(): Promise<void> {
    this.known.clear();
    await rm(this.folder, { recursive: true, force: true });
  }

  private async fetch(http: HttpClient, urn: string, signal?: AbortSignal): Promise<Thumbnail> {
    const region = this.options.region?.();
    const response = await http.request({
      method: 'GET',
      url: `/modelderivative/v2/designdata/${encodeURIComponent(urn)}/thumbnail`,
      query: { width: this.size, height: this.size },
      headers: { accept: 'image/png', ...(region ? { region } : {}) },
      acceptStatus: [404],
      binary: true,
      signal,
    });
    if (response.status === 404) return { state: 'none', reason: 'not-found' };
    if (response.status === 202 || !response.bytes?.length) return { state: 'pending' };
    await mkdir(this.folder, { recursive: true });
    const file = join(this.folder, `${createHash('sha1').update(urn).digest('hex')}-${this.size}.png`);
    await writeFile(file, response.bytes);
    return { state: 'ready', file, size: this.size };
  }
}

/**
 * Removes session folders under `root` untouched for `maxAgeMs` (left behind by a window that crashed);
 * folders of other windows that are still open stay.
 */
export async function pruneThumbnailFolders(root: string, maxAgeMs: number, now = Date.now()): Promise<void> {
  const entries = await readdir(root, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    if (!entry.isDirectory()) continue;
    const path = join(root, entry.name);
    const info = await stat(path).catch(() => undefined);
    if (info && now - info.mtimeMs > maxAgeMs) await rm(path, { recursive: true, force: true });
  }
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}
