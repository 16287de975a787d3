import * as vscode from 'vscode';
import type { ProxySettings } from '../core/http/proxy';
import { DEFAULT_CHUNK_SIZE, DEFAULT_CONNECTIONS, MAX_CONNECTIONS, MIB } from '../core/transfer/settings';

export type CallbackMode = 'loopback' | 'uriHandler';
export type ConflictPolicySetting = 'ask' | 'overwrite' | 'skip' | 'keepBoth';
/** What an upload does with a file whose name is taken in the folder. */
export type UploadConflictSetting = 'ask' | 'newVersion' | 'keepBoth' | 'skip';

export interface Settings {
  region: string;
  apiBaseUrl: string | undefined;
  clientId: string;
  userId: string | undefined;
  callbackMode: CallbackMode;
  callbackPort: number;
  pageSize: number;
  downloadFolder: string;
  connections: number;
  chunkSizeBytes: number;
  verifyChecksums: boolean;
  conflictPolicy: ConflictPolicySetting;
  uploadConflictPolicy: UploadConflictSetting;
}

export const SECTION = 'apsExplorer';

/** The regions APS lists today (package.json offers the same); a stored APAC reads as AUS (see regionMigration.ts). */
function regionOf(stored: string): string {
  const region = stored.toUpperCase();
  return region === 'APAC' ? 'AUS' : region || 'US';
}

export function readSettings(scope?: vscode.ConfigurationScope): Settings {
  const config = vscode.workspace.getConfiguration(SECTION, scope);
  const text = (key: string) => config.get<string>(key, '').trim();
  const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, Math.floor(value)));
  return {
    region: regionOf(text('region')),
    apiBaseUrl: text('apiBaseUrl') || undefined,
    clientId: text('clientId'),
    userId: text('userId') || undefined,
    callbackMode: config.get<CallbackMode>('callbackMode', 'loopback'),
    callbackPort: clamp(config.get<number>('callbackPort', 8789), 0, 65535),
    pageSize: clamp(config.get<number>('pageSize', 50), 1, 200),
    downloadFolder: text('downloadFolder') || 'aps',
    connections: clamp(config.get<number>('connections', DEFAULT_CONNECTIONS), 1, MAX_CONNECTIONS),
    chunkSizeBytes: clamp(config.get<number>('chunkSizeMiB', DEFAULT_CHUNK_SIZE / MIB), 1, 256) * MIB,
    verifyChecksums: config.get<boolean>('verifyChecksums', true),
    conflictPolicy: config.get<ConflictPolicySetting>('conflictPolicy', 'ask'),
    uploadConflictPolicy: config.get<UploadConflictSetting>('uploadConflictPolicy', 'ask'),
  };
}

/** Fires with the settings that changed section-wide, so listeners can decide what to rebuild. */
export function onSettingsChanged(listener: (affects: (key: string) => boolean) => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((event) => {
    if (event.affectsConfiguration(SECTION)) listener((key) => event.affectsConfiguration(`${SECTION}.${key}`));
  });
}

/** VS Code's proxy settings, passed to the core because its bundled undici does not see VS Code's patching. */
export function readProxySettings(): ProxySettings {
  const http = vscode.workspace.getConfiguration('http');
  const url = http.get<string>('proxy')?.trim();
  const noProxy = http.get<string[]>('noProxy');
  return { url: url || undefined, noProxy: noProxy?.length ? noProxy : undefined, strictSSL: http.get<boolean>('proxyStrictSSL', true) };
}
