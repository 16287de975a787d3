// Whether a version in APS holds exactly a local file's bytes: sizes first (free), then OSS's SHA-1 of the
// stored object against the file's. How a push that stopped before it could write its record is recognised.
import type { Version } from '../../dm/models';
import type { SignedUpload } from '../../oss/signedUpload';
import { sha1OfFile } from '../localFiles';

export type ObjectDetailsReader = Pick<SignedUpload, 'objectDetails'>;

/** The file's SHA-1 when `version` holds its bytes, else undefined. */
export async function sameBytes(oss: ObjectDetailsReader, file: string, size: number, version: Version, signal?: AbortSignal): Promise<string | undefined> {
  if (!version.storage || version.storageSize !== size) return undefined;
  const details = await oss.objectDetails(version.storage, { signal });
  if (!details.sha1 || details.size !== size) return undefined;
  const sha1 = await sha1OfFile(file, signal);
  return sha1 === details.sha1.toLowerCase() ? sha1 : undefined;
}
