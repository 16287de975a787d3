import * as vscode from 'vscode';
import type { Accounts } from '../auth/accounts';
import { readSettings } from '../config/settings';
import type { DataManagementClient } from '../core/dm/dataManagement';
import type { StorageLocation } from '../core/dm/ids';
import { PdfExports } from '../core/exports/pdfExports';
import { ApsError } from '../core/http/apsError';
import { OssClient } from '../core/oss/signedDownload';
import { ossObjectSource } from '../core/transfer/sources/ossSource';
import type { ObjectSource } from '../core/transfer/types';

/** The core clients a job needs, signed as the current account. */
export interface ApsServices {
  dm: DataManagementClient;
  oss: OssClient;
  exports: PdfExports;
  /** A storage object as the transfer engine's source: every resolve asks signeds3download for a fresh URL. */
  objectSource(location: StorageLocation): ObjectSource;
}

// The Connection only hands out the DM client and an HttpClient; OSS and exports are built on the latter here.
export function apsServices(accounts: Accounts): ApsServices | undefined {
  const dm = accounts.dm();
  const http = accounts.apiHttp();
  if (!dm || !http) return undefined;
  const oss = new OssClient(http, readSettings().region);
  const exports = new PdfExports(http, () => accounts.account?.mode === 'user' || Boolean(http.authorizer?.userId));
  return {
    dm,
    oss,
    exports,
    objectSource: (location) =>
      ossObjectSource(location.bucketKey, location.objectKey, (minutesExpiration, signal) => oss.signedDownload(location, { minutesExpiration, signal })),
  };
}

export function requireServices(accounts: Accounts): ApsServices {
  const services = apsServices(accounts);
  if (!services) throw new ApsError({ kind: 'auth', code: 'NOT_SIGNED_IN', message: 'Not signed in', userMessage: vscode.l10n.t('Sign in to Autodesk to continue.') });
  return services;
}
