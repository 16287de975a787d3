// What POST storage / items / versions / folders check before they create anything. Each check answers its
// refusal itself (JSON:API error) and returns undefined or false then.
import { choices } from '../choices';
import type { Exchange } from '../http/exchange';
import type { Actor } from '../model/dataModel';
import type { SeedFolder, SeedItem, SeedProject } from '../seed';
import type { ApiContext } from './context';
import { mediaType, readJson, sendDataError } from './http';
import { findFolder } from './lookups';

type Json = Record<string, unknown>;

/** The value at a path of keys in parsed JSON, or undefined. */
export function at(value: unknown, ...keys: string[]): unknown {
  let current = value;
  for (const key of keys) current = current && typeof current === 'object' ? (current as Json)[key] : undefined;
  return current;
}

export function nonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}

/** A JSON:API request body (Content-Type application/vnd.api+json, as the reference pages require). */
export async function readJsonApiBody(exchange: Exchange): Promise<Json | undefined> {
  if (mediaType(exchange) !== 'application/vnd.api+json') {
    sendDataError(exchange, 400, 'Content-Type must be application/vnd.api+json.');
    return undefined;
  }
  const body = await readJson(exchange);
  if (!body.ok || !body.value || typeof body.value !== 'object' || Array.isArray(body.value)) {
    sendDataError(exchange, 400, body.ok ? 'The body must be a JSON:API document.' : `Malformed JSON: ${body.error}`);
    return undefined;
  }
  return body.value as Json;
}

export function isBimProject(project: SeedProject): boolean {
  return project.projectType !== undefined;
}

export type ResourceKind = 'items' | 'versions' | 'folders';

/** The extension type must fit the hub kind, with version 1.0 (switch extensionTypes). */
export function extensionFits(exchange: Exchange, ctx: ApiContext, project: SeedProject, kind: ResourceKind, extension: unknown): boolean {
  if (ctx.options.switches.extensionTypes === 'any') return true;
  const expected = choices.upload.extensionTypes[isBimProject(project) ? 'bim' : 'core'][kind];
  const type = at(extension, 'type');
  const version = at(extension, 'version');
  if (type === expected && version === '1.0') return true;
  const refusal = choices.upload.extensionRefusal;
  sendDataError(
    exchange,
    refusal.status,
    type === expected
      ? `The extension version ${JSON.stringify(version)} of ${expected} is not supported; use "1.0".`
      : `The extension type ${JSON.stringify(type)} is not valid here: ${isBimProject(project) ? 'BIM 360 and ACC' : 'this'} project takes ${expected}.`,
    refusal.code,
  );
  return false;
}

/** Names the reference says to avoid, or too long (switch reservedNames). */
export function nameAllowed(exchange: Exchange, ctx: ApiContext, name: string): boolean {
  if (ctx.options.switches.reservedNames === 'accept') return true;
  const { reservedNameCharacters, maxNameLength } = choices.upload;
  const control = [...name].some((character) => character.charCodeAt(0) < 0x20 || character.charCodeAt(0) === 0x7f);
  const reserved = reservedNameCharacters.find((character) => name.includes(character)) ?? (control ? 'a control character' : undefined);
  const problem = name.length > maxNameLength ? `it is longer than ${maxNameLength} characters` : reserved ? `it contains ${reserved.length === 1 ? JSON.stringify(reserved) : reserved}` : undefined;
  if (!problem) return true;
  sendDataError(exchange, 400, `The name ${JSON.stringify(name)} is not allowed: ${problem}.`);
  return false;
}

/** A folder the actor may add to (404/403 answered here). */
export function writableFolder(exchange: Exchange, ctx: ApiContext, actor: Actor, project: SeedProject, folderId: string): SeedFolder | undefined {
  const folder = findFolder(exchange, ctx, actor, project, folderId);
  if (!folder) return undefined;
  if (!ctx.model.canWriteFolder(folder, actor)) {
    sendDataError(exchange, 403, "You don't have permission to add files or folders to this folder.");
    return undefined;
  }
  return folder;
}

function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

/** A BIM 360 Plans folder (or a folder below one) takes only DWF, DWFX, DWG, IFC, PDF and RVT (switch plansFileTypes). */
export function plansAccept(exchange: Exchange, ctx: ApiContext, project: SeedProject, folder: SeedFolder, name: string): boolean {
  if (ctx.options.switches.plansFileTypes === 'any' || project.projectType !== 'BIM360') return true;
  if (!ctx.model.ancestry(folder).some((candidate) => candidate.folderType === 'plan')) return true;
  const { plansFileTypes, plansRefusal } = choices.upload;
  if ((plansFileTypes as readonly string[]).includes(extensionOf(name))) return true;
  sendDataError(
    exchange,
    plansRefusal.status,
    `The file type of ${JSON.stringify(name)} is not allowed in the Plans folder: it takes ${plansFileTypes.map((type) => type.toUpperCase()).join(', ')} files.`,
    plansRefusal.code,
  );
  return false;
}

/** No other folder or item in `folder` may carry `name` (switch nameConflicts); `except` is the item getting a new version. */
export function nameFree(exchange: Exchange, ctx: ApiContext, folder: SeedFolder, name: string, except?: SeedItem): boolean {
  const fold = (text: string) => (ctx.options.switches.nameConflicts === 'case-insensitive' ? text.toLowerCase() : text);
  const wanted = fold(name);
  const taken =
    ctx.model.childFolders(folder.id).some((child) => !child.hidden && fold(child.name) === wanted) ||
    ctx.model.childItems(folder.id).some((item) => !item.hidden && item.id !== except?.id && fold(ctx.model.tip(item).name) === wanted);
  if (!taken) return true;
  sendDataError(exchange, 409, `Another object with the name ${JSON.stringify(name)} already exists in this folder.`);
  return false;
}

/**
 * The storage object a new version points at: reserved by POST storage in this project, and (switch
 * incompleteStorage) uploaded in full. Answers `bucketKey/objectKey`.
 */
export function storageFor(exchange: Exchange, ctx: ApiContext, project: SeedProject, storageId: unknown): string | undefined {
  const prefix = 'urn:adsk.objects:os.object:';
  const key = typeof storageId === 'string' && storageId.startsWith(prefix) ? storageId.slice(prefix.length) : '';
  const slash = key.indexOf('/');
  if (slash <= 0 || slash === key.length - 1) {
    sendDataError(exchange, 400, `The storage id ${JSON.stringify(storageId)} is not an OSS object id (urn:adsk.objects:os.object:<bucket>/<object>).`);
    return undefined;
  }
  const reservation = ctx.uploads.reservation(key.slice(0, slash), key.slice(slash + 1));
  if (!reservation || reservation.projectId !== project.id) {
    sendDataError(exchange, 400, `The storage ${storageId as string} was not created for this project (POST projects/:project_id/storage).`);
    return undefined;
  }
  if (ctx.options.switches.incompleteStorage === 'refuse' && !ctx.store.get(reservation.bucketKey, reservation.objectKey)) {
    sendDataError(exchange, 400, `The upload to ${storageId as string} was never completed (POST signeds3upload).`);
    return undefined;
  }
  if (!choices.upload.storageReuseAllowed && ctx.model.versionByStorage.has(key)) {
    sendDataError(exchange, 409, `The storage ${storageId as string} already holds another version.`);
    return undefined;
  }
  return key;
}

/** A type/id pair of a relationship (`relationships.<name>.data`) of the given type. */
export function relationshipOf(data: unknown, name: string, type: string): string | undefined {
  const target = at(data, 'relationships', name, 'data');
  return at(target, 'type') === type && nonEmptyString(at(target, 'id')) ? (at(target, 'id') as string) : undefined;
}
