// Autodesk's official Node SDK, pointed at an emulator the way an APS app points it at any APS host:
// through the SDK's own configuration, with nothing in between.
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { AuthenticationClient, Scopes } from '@aps_sdk/authentication';
import { ApsConfiguration, SdkManagerBuilder, StaticAuthenticationProvider, type SdkManager } from '@aps_sdk/autodesk-sdkmanager';
import { DataManagementClient } from '@aps_sdk/data-management';
import { OssClient } from '@aps_sdk/oss';
import type { RunningEmulator } from '../../emulator';
import type { Json } from '../emulator/helpers';

export { Scopes };

export function sdkManagerFor(emulator: RunningEmulator): SdkManager {
  const configuration = new ApsConfiguration({});
  configuration.BaseAddress = new URL(emulator.baseUrl);
  return SdkManagerBuilder.create().addApsConfiguration(configuration).build();
}

export interface SdkClients {
  auth: AuthenticationClient;
  dm: DataManagementClient;
  oss: OssClient;
}

/**
 * The three clients an app builds; DM and OSS take the token from a static provider, as the SDK's samples do.
 * `quiet` turns the SDK's own console logging off (for calls a test expects to fail).
 */
export function sdkClients(emulator: RunningEmulator, accessToken?: string, options: { quiet?: boolean } = {}): SdkClients {
  const sdkManager = sdkManagerFor(emulator);
  if (options.quiet) sdkManager.toggleLogging(false);
  const authenticationProvider = accessToken ? new StaticAuthenticationProvider(accessToken) : undefined;
  return {
    auth: new AuthenticationClient({ sdkManager }),
    dm: new DataManagementClient({ sdkManager, authenticationProvider }),
    oss: new OssClient({ sdkManager, authenticationProvider }),
  };
}

/**
 * Reads `size` bytes from the stream OssClient.downloadObject returns (the SDK pipes each ranged part into
 * one stream it never ends) and answers their sha1.
 */
export function sha1OfFirst(stream: Readable, size: number): Promise<{ sha1: string; bytes: number }> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha1');
    let bytes = 0;
    const finish = () => {
      stream.off('data', onData);
      resolve({ sha1: hash.digest('hex'), bytes });
    };
    const onData = (chunk: Buffer) => {
      const wanted = Math.min(chunk.length, size - bytes);
      hash.update(chunk.subarray(0, wanted));
      bytes += wanted;
      if (bytes >= size) finish();
    };
    stream.on('data', onData);
    stream.once('error', reject);
    stream.once('end', () => (bytes >= size ? undefined : reject(new Error(`the stream ended after ${bytes} of ${size} bytes`))));
    if (size === 0) finish();
  });
}

/** Name → [version count, SHA-1 of the tip's stored object] of a folder's items ('folder' for folders), through the SDK. */
export async function folderHeld(sdk: SdkClients, projectId: string, folderId: string): Promise<Record<string, [number, string] | 'folder'>> {
  const out: Record<string, [number, string] | 'folder'> = {};
  for (const entry of ((await sdk.dm.getFolderContents(projectId, folderId)) as unknown as Json).data) {
    if (entry.type === 'folders') {
      out[entry.attributes.name] = 'folder';
      continue;
    }
    const versions = ((await sdk.dm.getItemVersions(projectId, entry.id)) as unknown as Json).data;
    const [bucketKey, objectKey] = versions[0].relationships.storage.data.id.replace('urn:adsk.objects:os.object:', '').split('/');
    const details = (await sdk.oss.getObjectDetails(bucketKey, objectKey)) as unknown as Json;
    out[versions[0].attributes.name] = [versions.length, details.sha1];
  }
  return out;
}

/** The id of the subfolder `name` of a folder, through the SDK. */
export async function subfolderId(sdk: SdkClients, projectId: string, folderId: string, name: string): Promise<string> {
  const entries = ((await sdk.dm.getFolderContents(projectId, folderId)) as unknown as Json).data;
  return entries.find((entry: Json) => entry.type === 'folders' && entry.attributes.name === name).id;
}
