import type { Dispatcher } from 'undici';
import { TransferError } from '../errors';
import { readBoundedText } from '../storageResponse';
import type { FetchSignedDownload, SignedDownloadLink } from './ossSource';

/**
 * Minimal signeds3download call for headless use (CLI, benchmarks): the extension goes through the
 * core client's OSS module instead. The token goes to the API origin only, never to storage.
 */
export function signedDownloadFetcher(
  dispatcher: Dispatcher,
  apiBaseUrl: string,
  bucketKey: string,
  objectKey: string,
  token: () => string | undefined,
): FetchSignedDownload {
  return async (minutesExpiration, signal) => {
    const base = new URL(apiBaseUrl);
    const path = `${base.pathname.replace(/\/$/, '')}/oss/v2/buckets/${encodeURIComponent(bucketKey)}/objects/${encodeURIComponent(objectKey)}/signeds3download?minutesExpiration=${minutesExpiration}`;
    const bearer = token();
    const response = await dispatcher.request({
      origin: base.origin,
      path,
      method: 'GET',
      headers: bearer ? { authorization: `Bearer ${bearer}`, accept: 'application/json' } : { accept: 'application/json' },
      signal,
    });
    const text = await readBoundedText(response.body, 1024 * 1024);
    if (response.statusCode !== 200) {
      throw new TransferError(response.statusCode === 404 ? 'not-found' : 'bad-source', `signeds3download answered HTTP ${response.statusCode}.`);
    }
    return JSON.parse(text) as SignedDownloadLink;
  };
}
