import type { Switches } from '../choices';
import type { Exchange } from '../http/exchange';
import type { Uploads } from './uploads';
import { s3ErrorXml } from './s3errors';
import type { ServeDeps } from './serve';
import type { UrlSigner, VerifiedUrl } from './signing';

/** What the storage origin needs: the object store, the upload sessions, the URL signer and the switches. */
export type StorageDeps = ServeDeps & { uploads: Uploads; signer: UrlSigner; options: { switches: Pick<Switches, 'storageAuthorization'> } };

/**
 * Checks every signed storage request shares: an Authorization header besides the signature (refused as S3
 * refuses it, switch storageAuthorization, or ignored), the signature, and its expiry. Answers a refusal itself
 * (through `refuse`, which lets a PUT's body arrive first) and returns undefined then.
 */
export async function checkSignedRequest(exchange: Exchange, deps: StorageDeps, refuse: (status: number, xml: string) => Promise<void>): Promise<VerifiedUrl | undefined> {
  const { req } = exchange;
  if (req.headers.authorization !== undefined && deps.options.switches.storageAuthorization === 'refuse') {
    // S3 echoes the header's value in ArgumentValue; the emulator leaves the credential out.
    const scheme = req.headers.authorization.split(/\s+/)[0];
    await refuse(
      400,
      s3ErrorXml('InvalidArgument', 'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified', {
        ArgumentName: 'Authorization',
        ArgumentValue: `${scheme} (redacted)`,
      }),
    );
    return undefined;
  }
  const verified = deps.signer.verify(exchange.path, exchange.query);
  if (!verified) {
    await refuse(403, s3ErrorXml('AccessDenied', 'Access Denied'));
    return undefined;
  }
  // A URL signed for a part PUT serves no GET, and a download URL takes no PUT: S3 signs the method.
  if ((verified.upload !== undefined) !== (exchange.method === 'PUT')) {
    await refuse(403, s3ErrorXml('SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.'));
    return undefined;
  }
  const context = { origin: exchange.origin, method: exchange.method, path: exchange.path };
  if (verified.expired || deps.faults.take('expireSignedUrl', context)) {
    const expires = exchange.query.get('X-Amz-Expires');
    await refuse(
      403,
      s3ErrorXml('AccessDenied', 'Request has expired', {
        ...(expires ? { 'X-Amz-Expires': expires } : {}),
        ServerTime: new Date(deps.now()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      }),
    );
    return undefined;
  }
  return verified;
}
