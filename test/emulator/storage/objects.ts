import { createHash } from 'node:crypto';
import type { SeedStorageObject } from '../seed';
import { generateBytes, sha1Of } from './bytes';
import type { FileContent } from './fileContent';

export interface StoredObject {
  bucketKey: string;
  objectKey: string;
  size: number;
  seed: number;
  contentType: string;
  chunked: boolean;
  /** Uploaded bytes (files on disk); otherwise generated from `seed`. */
  files?: FileContent;
  /** Fixed bytes (seeded text files); otherwise generated from `seed`. */
  content?: Buffer;
  /** Quoted ETag; changes whenever the bytes do. */
  etag: string;
  lastModified: number;
}

/** Content is a pure function of (seed, size): the cache is shared by all emulator instances. */
const sha1Cache = new Map<string, Promise<string>>();

export function objectKeyOf(bucketKey: string, objectKey: string): string {
  return `${bucketKey}/${objectKey}`;
}

export function objectUrn(bucketKey: string, objectKey: string): string {
  return `urn:adsk.objects:os.object:${bucketKey}/${objectKey}`;
}

function etagFor(bucketKey: string, objectKey: string, seed: number, size: number): string {
  return `"${createHash('md5').update(`${bucketKey}/${objectKey}:${seed}:${size}`).digest('hex')}"`;
}

export class ObjectStore {
  private readonly objects = new Map<string, StoredObject>();

  constructor(seeded: Record<string, SeedStorageObject>, private readonly now: () => number) {
    const created = Date.parse('2024-03-04T09:00:00.000Z');
    for (const object of Object.values(seeded)) this.put(object, created);
  }

  put(spec: SeedStorageObject, lastModified = this.now()): StoredObject {
    const stored: StoredObject = {
      bucketKey: spec.bucketKey,
      objectKey: spec.objectKey,
      size: spec.size,
      seed: spec.seed >>> 0,
      contentType: spec.contentType,
      chunked: spec.chunked === true,
      ...(spec.content ? { content: spec.content } : {}),
      etag: etagFor(spec.bucketKey, spec.objectKey, spec.seed >>> 0, spec.size),
      lastModified,
    };
    this.objects.set(objectKeyOf(spec.bucketKey, spec.objectKey), stored);
    return stored;
  }

  /** An object whose bytes were uploaded (completed signeds3upload). */
  putFiles(bucketKey: string, objectKey: string, files: FileContent, etag: string, contentType: string): StoredObject {
    const stored: StoredObject = { bucketKey, objectKey, size: files.size, seed: 0, contentType, chunked: false, files, etag, lastModified: this.now() };
    this.objects.set(objectKeyOf(bucketKey, objectKey), stored);
    return stored;
  }

  get(bucketKey: string, objectKey: string): StoredObject | undefined {
    return this.objects.get(objectKeyOf(bucketKey, objectKey));
  }

  bucketExists(bucketKey: string): boolean {
    for (const object of this.objects.values()) if (object.bucketKey === bucketKey) return true;
    return false;
  }

  replace(bucketKey: string, objectKey: string, change: { size?: number; seed?: number } = {}): StoredObject {
    const current = this.get(bucketKey, objectKey);
    if (!current) throw new Error(`no object ${bucketKey}/${objectKey}`);
    return this.put({
      bucketKey,
      objectKey,
      size: change.size ?? current.size + 1024,
      seed: change.seed ?? (Math.imul(current.seed, 0x2545f491) + 0x3c6ef372) >>> 0,
      contentType: current.contentType,
    });
  }

  sha1(object: StoredObject): Promise<string> {
    if (object.files) return object.files.sha1();
    if (object.content) return Promise.resolve(createHash('sha1').update(object.content).digest('hex'));
    const key = `${object.seed}:${object.size}`;
    let cached = sha1Cache.get(key);
    if (!cached) {
      cached = sha1Of(object.seed, object.size);
      sha1Cache.set(key, cached);
    }
    return cached;
  }

  /** `into`: where to generate them, if it has room (see generateBytes). */
  bytes(object: StoredObject, start: number, end: number, into?: Buffer): Buffer {
    if (object.files) return object.files.readSync(start, end);
    if (object.content) return object.content.subarray(start, Math.max(start, Math.min(end, object.size)));
    return generateBytes(object.seed, start, Math.max(0, Math.min(end, object.size) - start), into);
  }

  /** Like `bytes`, but uploaded bytes are read without blocking (what the storage origin serves). */
  read(object: StoredObject, start: number, end: number, into?: Buffer): Buffer | Promise<Buffer> {
    return object.files ? object.files.read(start, end, into) : this.bytes(object, start, end, into);
  }
}
