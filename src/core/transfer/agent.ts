import type { Agent as UndiciAgent, Dispatcher } from 'undici';
import { proxyOptions, verifiesCertificates, type ProxySettings } from '../http/proxy';
import { Agent } from './leanUndici';

export interface StorageAgentOptions {
  /** Sockets per origin (the engine's global connection cap). */
  readonly connectionsPerOrigin: number;
  readonly keepAliveTimeoutMs?: number;
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
  const agentOptions: UndiciAgent.Options = {
    allowH2: false,
    pipelining: 1,
    connections: options.connectionsPerOrigin,
    keepAliveTimeout: options.keepAliveTimeoutMs ?? 4_000,
    headersTimeout: 0,
    bodyTimeout: 0,
    connect: { timeout: 30_000, rejectUnauthorized: verifiesCertificates(options.proxy) },
  };
  const proxy = options.proxy ? proxyOptions(options.proxy) : undefined;
  if (!proxy) return new Agent(agentOptions);
  // undici's index (with its proxy agents) only where a proxy is in use.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { EnvHttpProxyAgent } = require('undici') as typeof import('undici');
  return new EnvHttpProxyAgent({ ...agentOptions, ...proxy });
}
