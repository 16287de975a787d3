/**
 * APS emulator: a local stand-in for Autodesk Platform Services (OAuth v2, Project, Data, OSS,
 * BIM 360 Docs and ACC Files exports) with a seeded fixture, a fast storage origin and fault injection.
 *
 *   const emulator = await startEmulator();
 *   const token = emulator.issueToken({ scopes: ['data:read'] });
 *   ...fetch(`${emulator.baseUrl}/project/v1/hubs`, { headers: { authorization: `Bearer ${token}` } })
 *   await emulator.close();
 */
import type { FaultController } from './faults/spec';
import type { RequestLog } from './requestLog';
import type { Seed } from './seed';
import type { EmulatorOptions } from './options';
import type { Switches } from './choices';
import { createEmulator } from './emulator';

export type { EmulatorOptions, JobSteps, RateLimitBudgets } from './options';
export type { Form, Strictness, SwitchName, Switches } from './choices';
export { SWITCHES, resolveSwitches } from './choices';
export type { FaultSpec, FaultKind, FaultOrigin, ActiveFault, FaultController } from './faults/spec';
export type { RecordedRequest, RequestFilter, RequestLog } from './requestLog';
export type { SentResponse } from './http/exchange';
export type { Seed, SeedIds, SeedUser, SeedApp, SeedHub, SeedProject, SeedFolder, SeedItem, SeedVersion, SeedStorageObject, SizeName, HostileName } from './seed';
export { seed } from './seed';

export interface AddObjectSpec {
  /** Default 'wip.dm.prod'. */
  bucketKey?: string;
  /** Default a fresh `<uuid>.bin`. */
  objectKey?: string;
  size: number;
  /** Content seed; default derived from the key. */
  seed?: number;
  contentType?: string;
  /** signeds3download answers 'chunked' for it. */
  chunked?: boolean;
}

export interface AddedObject {
  bucketKey: string;
  objectKey: string;
  /** `urn:adsk.objects:os.object:<bucketKey>/<objectKey>` */
  objectId: string;
  size: number;
  sha1: string;
  /** Quoted, as sent in the ETag header. */
  etag: string;
}

export interface AddFileSpec {
  projectId: string;
  folderId: string;
  name: string;
  /** One entry per version, oldest first. */
  sizes: number[];
  /** Where the versions' objects are stored (default the Docs bucket, wip.dm.prod). */
  bucketKey?: string;
}

export interface AddFolderSpec {
  projectId: string;
  parentId: string;
  name: string;
}

export interface AddedVersion {
  versionId: string;
  versionNumber: number;
  /** `bucketKey/objectKey` of its object. */
  objectKey: string;
}

export interface AddedFile {
  itemId: string;
  /** Oldest first. */
  versionIds: string[];
  /** `bucketKey/objectKey` per version. */
  objectKeys: string[];
}

export interface IssueTokenSpec {
  scopes: string[];
  /** Makes it a 3-legged token for this user. */
  userId?: string;
  /** Default the demo app. */
  clientId?: string;
  /** Default tokenTtlSeconds. */
  ttlSeconds?: number;
}

export interface EmulatorClock {
  /** Epoch milliseconds as the emulator sees them. */
  now(): number;
  /** Move the emulator's clock forward (expires tokens, codes and signed URLs). */
  advance(ms: number): void;
}

export interface RunningEmulator {
  /** 'http://127.0.0.1:PORT'; APS paths hang off it exactly as on developer.api.autodesk.com. */
  baseUrl: string;
  /** 'http://127.0.0.1:PORT2'; signed URLs point here. */
  storageUrl: string;
  faults: FaultController;
  requests: RequestLog;
  /** The fixture (the same object as `seed` from seed.ts). */
  seed: Seed;
  /** The switches this emulator runs with (choices.ts SWITCHES). */
  readonly switches: Readonly<Switches>;
  clock: EmulatorClock;
  /** Expire every access token issued so far (refresh tokens stay valid). */
  expireTokens(): void;
  /** A token without the OAuth dance. */
  issueToken(spec: IssueTokenSpec): string;
  addObject(spec: AddObjectSpec): Promise<AddedObject>;
  /** New bytes for an existing object: new ETag, size (default size+1024) and sha1. */
  replaceObject(bucketKey: string, objectKey: string, change?: { size?: number; seed?: number }): Promise<AddedObject>;
  /** Details (incl. sha1, computed once and cached) of any stored object. */
  describeObject(bucketKey: string, objectKey: string): Promise<AddedObject>;
  /** The exact bytes [start, end) of an object, as the storage origin serves them. */
  objectBytes(bucketKey: string, objectKey: string, start?: number, end?: number): Buffer;
  /** A signed storage URL for an object, as signeds3download would hand out. */
  signedUrl(bucketKey: string, objectKey: string, options?: { minutes?: number; useCdn?: boolean }): string;
  /** A file item (with versions and storage objects) in a seeded folder. */
  addFile(spec: AddFileSpec): AddedFile;
  /** A folder inside another one; returns its id. */
  addFolder(spec: AddFolderSpec): string;
  /** A new tip version of any item (seeded or added), `size` bytes in the bucket of its tip; `name` renames the file. */
  addVersion(itemId: string, size: number, name?: string): AddedVersion;
  /** Moves an item to another folder, or renames it in place (`name`). */
  moveItem(itemId: string, folderId: string, name?: string): void;
  /** Deletes an item. */
  removeItem(itemId: string): void;
  /** Adds a callback URL to an app, as its developer would on the APS portal (matched exactly). */
  registerCallbackUrl(clientId: string, url: string): void;
  /** Closes both servers and all sockets. */
  close(): Promise<void>;
}

export function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  return createEmulator(options);
}
