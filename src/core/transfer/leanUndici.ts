/**
 * undici's Agent and its request API, loaded without the package index. The index also loads fetch,
 * WebSocket, EventSource, the mock, proxy and cache layers: about 9 MiB more resident memory in a
 * process that only downloads (the headless CLI, whose peak RSS the benchmark holds under 80 MiB).
 * These are the very modules the index re-exports, so the classes are identical to `undici`'s; where
 * the index is loaded too (the extension host) nothing changes. A change of undici's file layout
 * fails the build and the unit tests, not silently.
 */
import Agent from 'undici/lib/dispatcher/agent';
import api from 'undici/lib/api';
import buildConnector from 'undici/lib/core/connect';
import Dispatcher from 'undici/lib/dispatcher/dispatcher';

// What undici's index does on load (`Object.assign(Dispatcher.prototype, api)`): request() and friends.
for (const [name, method] of Object.entries(api)) {
  const prototype = Dispatcher.prototype as unknown as Record<string, unknown>;
  if (typeof prototype[name] !== 'function') prototype[name] = method;
}

export { Agent, buildConnector };
