import { Agent, EnvHttpProxyAgent, type Dispatcher } from 'undici';
import { proxyOptions, verifiesCertificates, type ProxySettings } from '../../http/proxy';
import { CONNECT_TIMEOUT_MS, KEEP_ALIVE_TIMEOUT_MS } from '../settings';

export interface StorageAgentOptions {
  /** Sockets per origin (the engine's global connection cap). */
  readonly connectionsPerOrigin: number;
  /** Proxy settings, as for the API client; undefined: no proxy. */
  readonly proxy?: ProxySettings;
}

/**
 * HTTP/1.1 only, one request per socket at a time: parallel ranges need separate TCP connections
 * (HTTP/2 would multiplex them onto one, losing per-connection throughput from CDNs).
 * Timeouts are left to the engine's own stall watchdog, which also sees backpressure.
 * Through a proxy when one applies: signed storage URLs go where the API calls go.
 */
export function createStorageAgent(options: StorageAgentOptions): Dispatcher {
  const agentOptions: Agent.Options = {
    allowH2: false,
    pipelining: 1,
    connections: options.connectionsPerOrigin,
    keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
    headersTimeout: 0,
    bodyTimeout: 0,
    connect: { timeout: CONNECT_TIMEOUT_MS, rejectUnauthorized: verifiesCertificates(options.proxy) },
  };
  const proxy = options.proxy ? proxyOptions(options.proxy) : undefined;
  return proxy ? new EnvHttpProxyAgent({ ...agentOptions, ...proxy }) : new Agent(agentOptions);
}
