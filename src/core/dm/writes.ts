// Data Management writes for uploads (Data Management "Upload a File", BIM 360 / ACC "Upload Files"):
// POST storage, POST items with the first version included, POST versions, POST folders.
// None of them is idempotent: HttpClient never repeats them after they may have reached APS (only on 429 or
// a connection that never opened). After a lost answer, look before trying again (folder contents, the tip).
import type { HttpClient } from '../http/httpClient';
import { JSON_API_CONTENT_TYPE, singleResource, type JsonApiDocument, type JsonApiResource } from '../http/jsonApi';
import { ApsError } from '../http/apsError';
import { parseStorageUrn, pathSegment, storageUrn, withBPrefix, type StorageLocation } from './ids';
import { toFolder, toItem, toVersion } from './mappers';
import type { Folder, HubKind, Item, Version } from './models';
import { explainUploadError, type UploadStep } from './uploadRefusals';

/** Which family of extension types a hub takes: BIM 360 and ACC `autodesk.bim360:*`, personal and Fusion hubs `autodesk.core:*`. */
export type ExtensionFamily = 'bim360' | 'core';

export interface ExtensionTypes {
  items: string;
  versions: string;
  folders: string;
}

export const EXTENSION_TYPES: Readonly<Record<ExtensionFamily, ExtensionTypes>> = {
  bim360: { items: 'items:autodesk.bim360:File', versions: 'versions:autodesk.bim360:File', folders: 'folders:autodesk.bim360:Folder' },
  core: { items: 'items:autodesk.core:File', versions: 'versions:autodesk.core:File', folders: 'folders:autodesk.core:Folder' },
};

/** The family for a hub or project kind (Project.kind is one of the hub kinds). */
export function extensionFamilyOf(kind: HubKind): ExtensionFamily {
  return kind === 'bim360' || kind === 'acc' ? 'bim360' : 'core';
}

const JSONAPI = { version: '1.0' } as const;
const EXTENSION_VERSION = '1.0';
/** The tip's local id inside a POST items body (any string; the tutorials use "1"). */
const FIRST_VERSION = '1';

export interface StorageRequest {
  /** The folder the file will live in. */
  folderId: string;
  /** The file name (its extension is kept in the object key). */
  name: string;
}

export interface ItemRequest {
  folderId: string;
  name: string;
  /** The completed upload: a storage URN or its bucket and object. */
  storage: string | StorageLocation;
  kind: HubKind;
}

export interface VersionRequest {
  itemId: string;
  /** The file name of the new version (usually the item's name). */
  name: string;
  storage: string | StorageLocation;
  kind: HubKind;
}

export interface FolderRequest {
  parentId: string;
  name: string;
  kind: HubKind;
}

/** `extension` of a new resource: the type for its hub kind, version 1.0. */
function extension(kind: HubKind, resource: keyof ExtensionTypes): { type: string; version: string } {
  return { type: EXTENSION_TYPES[extensionFamilyOf(kind)][resource], version: EXTENSION_VERSION };
}

function urnOf(storage: string | StorageLocation): string {
  return typeof storage === 'string' ? storage : storageUrn(storage);
}

export function storagePayload(request: StorageRequest): Record<string, unknown> {
  return {
    jsonapi: JSONAPI,
    data: {
      type: 'objects',
      attributes: { name: request.name },
      relationships: { target: { data: { type: 'folders', id: request.folderId } } },
    },
  };
}

export function itemPayload(request: ItemRequest): Record<string, unknown> {
  return {
    jsonapi: JSONAPI,
    data: {
      type: 'items',
      attributes: { displayName: request.name, extension: extension(request.kind, 'items') },
      relationships: {
        tip: { data: { type: 'versions', id: FIRST_VERSION } },
        parent: { data: { type: 'folders', id: request.folderId } },
      },
    },
    included: [
      {
        type: 'versions',
        id: FIRST_VERSION,
        attributes: { name: request.name, extension: extension(request.kind, 'versions') },
        relationships: { storage: { data: { type: 'objects', id: urnOf(request.storage) } } },
      },
    ],
  };
}

export function versionPayload(request: VersionRequest): Record<string, unknown> {
  return {
    jsonapi: JSONAPI,
    data: {
      type: 'versions',
      attributes: { name: request.name, extension: extension(request.kind, 'versions') },
      relationships: {
        item: { data: { type: 'items', id: request.itemId } },
        storage: { data: { type: 'objects', id: urnOf(request.storage) } },
      },
    },
  };
}

export function folderPayload(request: FolderRequest): Record<string, unknown> {
  return {
    jsonapi: JSONAPI,
    data: {
      type: 'folders',
      attributes: { name: request.name, extension: extension(request.kind, 'folders') },
      relationships: { parent: { data: { type: 'folders', id: request.parentId } } },
    },
  };
}

/** A storage location from POST storage: where the file's bytes go (OSS signeds3upload). */
export interface CreatedStorage extends StorageLocation {
  /** `urn:adsk.objects:os.object:<bucketKey>/<objectKey>`, for POST items / versions. */
  urn: string;
  folderId: string;
}

export interface CreatedItem {
  item: Item;
  /** Version 1. */
  version: Version;
}

export interface CreatedVersion {
  version: Version;
  /** The item with its new tip, when APS included it. */
  item?: Item;
}

export interface WriteOptions {
  signal?: AbortSignal;
}

export class DataManagementWrites {
  constructor(private readonly http: HttpClient) {}

  /** POST projects/:id/storage: a placeholder object for a file in `folderId`. */
  async createStorage(projectId: string, request: StorageRequest, options: WriteOptions = {}): Promise<CreatedStorage> {
    const document = await this.post(projectId, 'storage', storagePayload(request), { what: 'file', name: request.name }, options);
    const urn = singleOf(document).id;
    const location = parseStorageUrn(urn);
    if (!location) throw protocolError(`POST storage answered ${urn}, not an OSS object id`);
    return { ...location, urn, folderId: request.folderId };
  }

  /** POST projects/:id/items: a new file item whose first version is the completed upload in `storage`. */
  async createItem(projectId: string, request: ItemRequest, options: WriteOptions = {}): Promise<CreatedItem> {
    const pid = withBPrefix(projectId);
    const document = await this.post(projectId, 'items', itemPayload(request), { what: 'file', name: request.name }, options);
    const resource = singleOf(document);
    const versionResource = (document.included ?? []).find((entry) => entry.type === 'versions');
    if (!versionResource) throw protocolError('POST items answered no version in included');
    const version = toVersion(versionResource, pid);
    return { item: toItem(resource, pid, version), version };
  }

  /** POST projects/:id/versions: the completed upload in `storage` becomes the item's new tip. */
  async createVersion(projectId: string, request: VersionRequest, options: WriteOptions = {}): Promise<CreatedVersion> {
    const pid = withBPrefix(projectId);
    const document = await this.post(projectId, 'versions', versionPayload(request), { what: 'file', name: request.name }, options);
    const version = toVersion(singleOf(document), pid);
    const itemResource = (document.included ?? []).find((entry) => entry.type === 'items');
    return { version, ...(itemResource ? { item: toItem(itemResource, pid, version) } : {}) };
  }

  /** POST projects/:id/folders: a subfolder of `parentId`. */
  async createFolder(projectId: string, request: FolderRequest, options: WriteOptions = {}): Promise<Folder> {
    const document = await this.post(projectId, 'folders', folderPayload(request), { what: 'folder', name: request.name }, options);
    return toFolder(singleOf(document), withBPrefix(projectId));
  }

  private async post(projectId: string, collection: string, body: Record<string, unknown>, step: UploadStep, options: WriteOptions): Promise<JsonApiDocument<JsonApiResource | JsonApiResource[]>> {
    try {
      const response = await this.http.request({
        method: 'POST',
        url: `/data/v1/projects/${pathSegment(withBPrefix(projectId))}/${collection}`,
        contentType: JSON_API_CONTENT_TYPE,
        json: body,
        signal: options.signal,
      });
      const document = response.json() as JsonApiDocument<JsonApiResource | JsonApiResource[]> | undefined;
      if (!document || typeof document !== 'object') throw protocolError(`POST ${collection} answered no JSON:API document`);
      return document;
    } catch (error) {
      throw explainUploadError(error, step);
    }
  }
}

function singleOf(document: JsonApiDocument<JsonApiResource | JsonApiResource[]>): JsonApiResource {
  const data = singleResource(document.data);
  if (!data || typeof data !== 'object' || typeof data.id !== 'string') throw protocolError('Expected a JSON:API resource in data');
  return data;
}

function protocolError(message: string): ApsError {
  return new ApsError({ kind: 'protocol', message, userMessage: 'Autodesk returned an unexpected answer to an upload step.' });
}
