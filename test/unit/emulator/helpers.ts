import { createHash } from 'node:crypto';
import type { RunningEmulator } from '../../emulator/index';

/** Parsed JSON bodies; the tests check their shape at run time. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export const enc = encodeURIComponent;

export function sha1(data: Buffer): string {
  return createHash('sha1').update(data).digest('hex');
}

export function bearer(token: string, extra: Record<string, string> = {}): Record<string, string> {
  return { authorization: `Bearer ${token}`, ...extra };
}

/** A 2-legged token through the real token endpoint (Basic client authentication). */
export async function twoLeggedToken(emulator: RunningEmulator, scope = 'data:read data:create'): Promise<string> {
  const { clientId, clientSecret } = emulator.seed.credentials;
  const response = await fetch(`${emulator.baseUrl}/authentication/v2/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope }),
  });
  if (response.status !== 200) throw new Error(`token request failed: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { access_token: string }).access_token;
}

export async function getJson<T = Json>(url: string, token: string, headers: Record<string, string> = {}): Promise<{ status: number; body: T; headers: Headers }> {
  const response = await fetch(url, { headers: bearer(token, headers), redirect: 'manual' });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T, headers: response.headers };
}

/** storage key `bucket/objectKey` from a version's storage relationship id. */
export function storageKeyOf(storageId: string): { bucketKey: string; objectKey: string } {
  const rest = storageId.replace('urn:adsk.objects:os.object:', '');
  const slash = rest.indexOf('/');
  return { bucketKey: rest.slice(0, slash), objectKey: rest.slice(slash + 1) };
}

export function splitKey(key: string): { bucketKey: string; objectKey: string } {
  const slash = key.indexOf('/');
  return { bucketKey: key.slice(0, slash), objectKey: key.slice(slash + 1) };
}

export async function signedUrlFor(emulator: RunningEmulator, token: string, key: string, query = ''): Promise<{ url: string; sha1: string; size: number; status: string; urls?: Record<string, string> }> {
  const { bucketKey, objectKey } = splitKey(key);
  const { status, body } = await getJson(`${emulator.baseUrl}/oss/v2/buckets/${bucketKey}/objects/${enc(objectKey)}/signeds3download${query}`, token);
  if (status !== 200) throw new Error(`signeds3download: ${status} ${JSON.stringify(body)}`);
  return body;
}
