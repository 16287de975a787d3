import type { IncomingMessage, ServerResponse } from 'node:http';
import { beginExchange } from '../http/exchange';
import { receivePart } from './partUpload';
import { s3ErrorXml } from './s3errors';
import { sendXmlError, serveObject, storagePreamble } from './serve';
import { checkSignedRequest, type StorageDeps } from './signedRequest';

/**
 * The storage origin: what signed S3/CDN URLs point at. GET and HEAD serve objects; PUT takes one part of an
 * upload (URLs from signeds3upload).
 */
export function storageHandler(deps: StorageDeps) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const exchange = beginExchange('storage', req, res, deps);
    try {
      if (exchange.method === 'PUT') return await receivePart(exchange, deps);
      if (await storagePreamble(exchange, deps)) return;
      if (exchange.method !== 'GET' && exchange.method !== 'HEAD') {
        sendXmlError(exchange, 405, s3ErrorXml('MethodNotAllowed', 'The specified method is not allowed against this resource.', { Method: exchange.method, ResourceType: 'OBJECT' }), { allow: 'GET, HEAD, PUT' });
        return;
      }
      const verified = await checkSignedRequest(exchange, deps, async (status, xml) => sendXmlError(exchange, status, xml));
      if (!verified) return;
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
