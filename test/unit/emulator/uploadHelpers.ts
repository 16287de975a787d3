// The upload flow over plain HTTP, step by step, for the emulator's own tests (request bodies from the core's
// builders, which the OpenAPI conformance test checks against the spec).
import type { RunningEmulator } from '../../emulator/index';
import { storagePayload } from '../../../src/core/dm/writes';
import { bearer, enc, type Json } from './helpers';

export const MiB = 1024 * 1024;

export interface Answer {
  status: number;
  body: Json;
  headers: Headers;
}

async function answerOf(response: Response): Promise<Answer> {
  const text = await response.text();
  let body: Json = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // XML or plain text stays a string
  }
  return { status: response.status, body, headers: response.headers };
}

export async function postJsonApi(emulator: RunningEmulator, token: string, path: string, body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  return answerOf(
    await fetch(`${emulator.baseUrl}${path}`, {
      method: 'POST',
      headers: bearer(token, { 'content-type': 'application/vnd.api+json', ...headers }),
      body: JSON.stringify(body),
    }),
  );
}

export function dataPath(projectId: string, collection: 'storage' | 'items' | 'versions' | 'folders'): string {
  return `/data/v1/projects/${enc(projectId)}/${collection}`;
}

export function ossPath(bucketKey: string, objectKey: string, tail = 'signeds3upload'): string {
  return `/oss/v2/buckets/${bucketKey}/objects/${enc(objectKey)}/${tail}`;
}

export async function signUpload(emulator: RunningEmulator, token: string, bucketKey: string, objectKey: string, query: Record<string, string | number> = {}, headers: Record<string, string> = {}): Promise<Answer> {
  const search = new URLSearchParams(Object.entries(query).map(([key, value]): [string, string] => [key, String(value)])).toString();
  return answerOf(await fetch(`${emulator.baseUrl}${ossPath(bucketKey, objectKey)}${search ? `?${search}` : ''}`, { headers: bearer(token, headers) }));
}

export async function completeUpload(emulator: RunningEmulator, token: string, bucketKey: string, objectKey: string, body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  return answerOf(
    await fetch(`${emulator.baseUrl}${ossPath(bucketKey, objectKey)}`, {
      method: 'POST',
      headers: bearer(token, { 'content-type': 'application/json', ...headers }),
      body: JSON.stringify(body),
    }),
  );
}

export async function putPart(url: string, bytes: Buffer, headers: Record<string, string> = {}): Promise<Answer> {
  return answerOf(await fetch(url, { method: 'PUT', body: bytes, headers }));
}

export function splitUrn(urn: string): { bucketKey: string; objectKey: string } {
  const rest = urn.replace('urn:adsk.objects:os.object:', '');
  const slash = rest.indexOf('/');
  return { bucketKey: rest.slice(0, slash), objectKey: rest.slice(slash + 1) };
}

export interface Uploaded {
  urn: string;
  bucketKey: string;
  objectKey: string;
  uploadKey: string;
  etags: string[];
  completed: Answer;
}

export interface UploadTarget {
  projectId: string;
  folderId: string;
  name: string;
}

/** POST storage for `name` in `folderId` (an item id with `targetType: 'items'`). */
export async function createStorage(emulator: RunningEmulator, token: string, target: UploadTarget, targetType: 'folders' | 'items' = 'folders'): Promise<Answer & { urn: string; bucketKey: string; objectKey: string }> {
  const body = storagePayload({ folderId: target.folderId, name: target.name }) as Json;
  body.data.relationships.target.data.type = targetType;
  const answer = await postJsonApi(emulator, token, dataPath(target.projectId, 'storage'), body);
  const urn: string = answer.status === 201 ? answer.body.data.id : '';
  return { ...answer, urn, ...(urn ? splitUrn(urn) : { bucketKey: '', objectKey: '' }) };
}

/** POST storage for `name` in `folderId`, one PUT per buffer, then completion with size and eTags. */
export async function uploadParts(emulator: RunningEmulator, token: string, target: UploadTarget, parts: Buffer[]): Promise<Uploaded> {
  const storage = await createStorage(emulator, token, target);
  if (storage.status !== 201) throw new Error(`POST storage: ${storage.status} ${JSON.stringify(storage.body)}`);
  const { urn, bucketKey, objectKey } = storage;
  const signed = await signUpload(emulator, token, bucketKey, objectKey, { parts: parts.length });
  if (signed.status !== 200) throw new Error(`signeds3upload: ${signed.status} ${JSON.stringify(signed.body)}`);
  const etags: string[] = [];
  for (const [index, bytes] of parts.entries()) {
    const put = await putPart(signed.body.urls[index], bytes);
    if (put.status !== 200) throw new Error(`PUT part ${index + 1}: ${put.status} ${String(put.body)}`);
    etags.push(put.headers.get('etag') as string);
  }
  const size = parts.reduce((sum, part) => sum + part.length, 0);
  const completed = await completeUpload(emulator, token, bucketKey, objectKey, { uploadKey: signed.body.uploadKey, size, eTags: etags });
  return { urn, bucketKey, objectKey, uploadKey: signed.body.uploadKey, etags, completed };
}
