// Types for the undici modules that leanUndici.ts loads directly (undici ships types for its index only).
declare module 'undici/lib/dispatcher/agent' {
  import { Agent } from 'undici';
  export = Agent;
}

declare module 'undici/lib/dispatcher/dispatcher' {
  import { Dispatcher } from 'undici';
  export = Dispatcher;
}

declare module 'undici/lib/api' {
  import type { Dispatcher } from 'undici';
  const api: Pick<Dispatcher, 'request' | 'stream' | 'pipeline' | 'upgrade' | 'connect'>;
  export = api;
}

declare module 'undici/lib/core/connect' {
  import { buildConnector } from 'undici';
  export = buildConnector;
}

declare module 'undici/lib/core/symbols' {
  /** The socket's HTTP/1.1 parser (client-h1's Parser, whose `headers` holds a head's raw names and values). */
  export const kParser: unique symbol;
}
