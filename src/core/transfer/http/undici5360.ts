import type { Dispatcher } from 'undici';
import { headerValue } from './storageResponse';

/**
 * nodejs/undici#5360, in undici 7: when a response whose connection closes after it is paused and the
 * socket then ends, undici fails an assertion in the socket's 'end' handler, which no caller can catch,
 * and the process dies. Such a response is never paused: StorageExchange holds what comes while its
 * consumer is busy instead. A response closes its connection when it says `Connection: close`, or when
 * its body has neither a length nor chunked framing (it ends with the connection). Storage origins
 * speak HTTP/1.1; an HTTP/1.0 answer without either header is not recognized here.
 *
 * Delete this file with undici 8 (fixed by nodejs/undici#5389): every response may then be paused.
 */
export function mayPause(headers: Dispatcher.ResponseData['headers']): boolean {
  const connection = headerValue(headers, 'connection') ?? '';
  if (connection.split(',').some((token) => token.trim().toLowerCase() === 'close')) return false;
  return headerValue(headers, 'content-length') !== undefined || /chunked/i.test(headerValue(headers, 'transfer-encoding') ?? '');
}
