// APS id conventions (aps-api.md §0.1): b. prefixes, version URNs, storage URNs, base64url URNs.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** DM wants BIM 360/ACC account and project ids with `b.`; a bare UUID gets it added. */
export function withBPrefix(id: string): string {
  return UUID.test(id) ? `b.${id}` : id;
}

/** BIM 360 Docs and admin APIs want the UUID without `b.`. */
export function withoutBPrefix(id: string): string {
  return id.startsWith('b.') ? id.slice(2) : id;
}

/** URL-safe base64 without padding, as Model Derivative and export `versionUrn` use. */
export function toBase64UrlUrn(urn: string): string {
  return Buffer.from(urn, 'utf8').toString('base64url');
}

export function fromBase64UrlUrn(encoded: string): string {
  return Buffer.from(encoded.replace(/\+/g, '-').replace(/\//g, '_'), 'base64url').toString('utf8');
}

/** One path segment; version ids contain `?` and `=` and must be encoded. */
export function pathSegment(id: string): string {
  return encodeURIComponent(id);
}

export interface StorageLocation {
  bucketKey: string;
  objectKey: string;
}

const STORAGE_PREFIX = 'urn:adsk.objects:os.object:';

/** `urn:adsk.objects:os.object:<bucketKey>/<objectKey>` → its parts; undefined for anything else. */
export function parseStorageUrn(urn: string | undefined): StorageLocation | undefined {
  if (!urn?.startsWith(STORAGE_PREFIX)) return undefined;
  const rest = urn.slice(STORAGE_PREFIX.length);
  const slash = rest.indexOf('/');
  if (slash <= 0 || slash === rest.length - 1) return undefined;
  return { bucketKey: rest.slice(0, slash), objectKey: rest.slice(slash + 1) };
}

export function storageUrn(location: StorageLocation): string {
  return `${STORAGE_PREFIX}${location.bucketKey}/${location.objectKey}`;
}

/** The number after `?version=` in a version URN. */
export function versionNumberOf(versionId: string): number | undefined {
  const match = /[?&]version=(\d+)/.exec(versionId);
  return match ? Number(match[1]) : undefined;
}

export interface WebLinkIds {
  /** With `b.`. */
  projectId: string;
  folderId?: string;
  itemId?: string;
  versionId?: string;
}

/**
 * Reads project/folder/item ids from a BIM 360 Docs or ACC web link, e.g.
 * `https://docs.b360.autodesk.com/projects/<uuid>/folders/<folderUrn>/detail/viewer/items/<itemUrn>` or
 * `https://acc.autodesk.com/docs/files/projects/<uuid>?folderUrn=<urn>&entityId=<urn>`.
 */
export function parseWebLink(link: string): WebLinkIds | undefined {
  let url: URL;
  try {
    url = new URL(link.trim());
  } catch {
    return undefined;
  }
  const segments = url.pathname.split('/').filter(Boolean).map(safeDecode);
  const after = (name: string): string | undefined => {
    const index = segments.indexOf(name);
    return index >= 0 ? segments[index + 1] : undefined;
  };
  const project = after('projects');
  if (!project) return undefined;
  const projectId = withBPrefix(withoutBPrefix(project));
  const query = url.searchParams;
  const folderId = query.get('folderUrn') ?? query.get('folderId') ?? after('folders') ?? undefined;
  const entity = query.get('entityId') ?? query.get('itemUrn') ?? after('items') ?? undefined;
  const versionId = query.get('versionUrn') ?? (entity && /[?]version=/.test(entity) ? entity : undefined) ?? undefined;
  const itemId = entity && entity.includes(':dm.lineage:') ? entity : undefined;
  return {
    projectId,
    ...(folderId && folderId.startsWith('urn:') ? { folderId } : {}),
    ...(itemId ? { itemId } : {}),
    ...(versionId ? { versionId } : {}),
  };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
