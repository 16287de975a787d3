import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Switches } from '../choices';
import { beginExchange } from '../http/exchange';
import { s3ErrorXml } from './s3errors';
import { sendXmlError, serveObject, storagePreamble, type ServeDeps } from './serve';
import type { UrlSigner } from './signing';

/**
 * The storage origin: what signed S3/CDN URLs point at. A request that also carries an Authorization
 * header is refused as S3 refuses it (switch storageAuthorization), or the header is ignored.
 */
export function storageHandler(deps: ServeDeps & { signer: UrlSigner; options: { switches: Pick<Switches, 'storageAuthorization'> } }) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const exchange = beginExchange('storage', req, res, deps);
    try {
      if (await storagePreamble(exchange, deps)) return;
      if (exchange.method !== 'GET' && exchange.method !== 'HEAD') {
        sendXmlError(exchange, 405, s3ErrorXml('MethodNotAllowed', 'The specified method is not allowed against this resource.', { Method: exchange.method, ResourceType: 'OBJECT' }), { allow: 'GET, HEAD' });
        return;
      }
      if (req.headers.authorization !== undefined && deps.options.switches.storageAuthorization === 'refuse') {
        // S3 echoes the header's value in ArgumentValue; the emulator leaves the credential out.
        const scheme = req.headers.authorization.split(/\s+/)[0];
        sendXmlError(
          exchange,
          400,
          s3ErrorXml('InvalidArgument', 'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified', {
            ArgumentName: 'Authorization',
            ArgumentValue: `${scheme} (redacted)`,
          }),
        );
        return;
      }
      const verified = deps.signer.verify(exchange.path, exchange.query);
      if (!verified) {
        sendXmlError(exchange, 403, s3ErrorXml('AccessDenied', 'Access Denied'));
        return;
      }
      const context = { origin: exchange.origin, method: exchange.method, path: exchange.path };
      if (verified.expired || deps.faults.take('expireSignedUrl', context)) {
        const expires = exchange.query.get('X-Amz-Expires');
        sendXmlError(
          exchange,
          403,
          s3ErrorXml('AccessDenied', 'Request has expired', {
            ...(expires ? { 'X-Amz-Expires': expires } : {}),
            ServerTime: new Date(deps.now()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
          }),
        );
        return;
      }
      const object = deps.store.get(verified.bucketKey, verified.objectKey);
      if (!object) {
        sendXmlError(exchange, 404, s3ErrorXml('NoSuchKey', 'The specified key does not exist.', { Key: verified.objectKey }));
        return;
      }
      await serveObject(exchange, { object, overrides: verified.overrides, part: verified.part }, deps);
    } catch (error) {
      deps.log(`storage error: ${(error as Error).stack ?? String(error)}`);
      if (!res.headersSent) sendXmlError(exchange, 500, s3ErrorXml('InternalError', 'We encountered an internal error. Please try again.'));
      else res.destroy();
    }
  };
}
