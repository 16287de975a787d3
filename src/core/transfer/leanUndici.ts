/**
 * undici's Agent and its request API, loaded without the package index. The index also loads fetch,
 * WebSocket, EventSource, the mock, proxy and cache layers: about 9 MiB more resident memory in a
 * process that only downloads (the headless CLI, whose peak RSS the benchmark holds under 80 MiB).
 * These are the very modules the index re-exports, so the classes are identical to `undici`'s; where
 * the index is loaded too (the extension host) nothing changes. A change of undici's file layout
 * fails the build and the unit tests, not silently.
 */
import type { Socket } from 'node:net';
import Agent from 'undici/lib/dispatcher/agent';
import api from 'undici/lib/api';
import buildConnector from 'undici/lib/core/connect';
import { kParser } from 'undici/lib/core/symbols';
import Dispatcher from 'undici/lib/dispatcher/dispatcher';

// What undici's index does on load (`Object.assign(Dispatcher.prototype, api)`): request() and friends.
for (const [name, method] of Object.entries(api)) {
  const prototype = Dispatcher.prototype as unknown as Record<string, unknown>;
  if (typeof prototype[name] !== 'function') prototype[name] = method;
}

export { Agent, buildConnector };

/**
 * How many header names and values undici's HTTP/1.1 parser on `socket` holds: views of the bytes read,
 * kept until a response's head is complete. undefined when the socket has no parser that says (then
 * assume it holds some).
 */
export function heldHeaderCount(socket: object): number | undefined {
  const parser = parserOf(socket);
  return Array.isArray(parser?.headers) ? parser.headers.length : undefined;
}

/**
 * undici 7 throws an uncatchable AssertionError (`assert(!this.paused)`, nodejs/undici#5360, fixed in
 * undici 8, which needs Node 22) when a server closes the connection after a response whose body the
 * consumer has paused. At that 'end' the socket holds no unread bytes, so resuming the parser first
 * delivers none: it completes the response if it was whole, and undici's own handler then reports a
 * cut-short one as the error it is.
 */
export function resumeParserAtEnd(socket: Socket): void {
  socket.prependListener('end', () => {
    const parser = parserOf(socket);
    if (parser?.paused && typeof parser.resume === 'function') parser.resume();
  });
}

/** undici's HTTP/1.1 parser on `socket`, as far as the functions above read it. */
function parserOf(socket: object): { headers?: unknown; paused?: boolean; resume?: () => void } | undefined {
  return (socket as { [kParser]?: { headers?: unknown; paused?: boolean; resume?: () => void } })[kParser];
}
