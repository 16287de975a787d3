import type { StorageLocation } from '../../dm/ids';
import { isApsError } from '../../http/apsError';
import type { SignedDownload } from '../../oss/signedDownload';
import { TransferError } from '../errors';
import { SIGNED_URL_MINUTES } from '../settings';
import type { ObjectSource, ResolvedObject } from '../types';

/** Calls signeds3download for the object with this minutesExpiration (OssClient.signedDownload). */
export type FetchSignedDownload = (minutesExpiration: number, signal: AbortSignal) => Promise<SignedDownload>;

/** An OSS object: every resolve asks signeds3download for a fresh link. */
export function ossObjectSource(location: StorageLocation, fetchSigned: FetchSignedDownload, minutesExpiration = SIGNED_URL_MINUTES): ObjectSource {
  return {
    identity: `oss:${location.bucketKey}/${location.objectKey}`,
    resolve: async (signal) => {
      try {
        return toResolvedObject(await fetchSigned(minutesExpiration, signal));
      } catch (error) {
        if (isApsError(error) && error.status === 404) throw new TransferError('not-found', `The stored object is gone (${error.message}).`, { cause: error });
        throw error;
      }
    },
  };
}

function toResolvedObject(link: SignedDownload): ResolvedObject {
  const segments = link.url === undefined ? link.chunks : undefined;
  const url = link.url ?? segments?.[0]?.url;
  if (url === undefined && link.size > 0) throw new TransferError('bad-source', 'signeds3download returned no URL.');
  return {
    url: url ?? '',
    size: link.size,
    expiresAt: link.expiresAt,
    ...(link.sha1 ? { sha1: link.sha1.toLowerCase() } : {}),
    ...(segments ? { segments } : {}),
  };
}
