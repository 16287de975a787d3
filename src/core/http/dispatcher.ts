// The one undici dispatcher a client uses: bounded keep-alive pool, timeouts, optional proxy.
import { Agent, EnvHttpProxyAgent, type Dispatcher } from 'undici';
import { proxyOptions, verifiesCertificates, type ProxySettings } from './proxy';

export type { ProxySettings } from './proxy';

export interface DispatcherOptions {
  /** Connections per origin (undici's own default is unlimited). */
  maxConnections?: number;
  connectTimeoutMs?: number;
  headersTimeoutMs?: number;
  bodyTimeoutMs?: number;
  keepAliveTimeoutMs?: number;
  proxy?: ProxySettings;
}

export const DEFAULT_DISPATCHER_OPTIONS = {
  maxConnections: 8,
  connectTimeoutMs: 15_000,
  headersTimeoutMs: 60_000,
  bodyTimeoutMs: 120_000,
  keepAliveTimeoutMs: 30_000,
};

export function createDispatcher(options: DispatcherOptions = {}): Dispatcher {
  const merged = { ...DEFAULT_DISPATCHER_OPTIONS, ...stripUndefined(options) };
  const agentOptions: Agent.Options = {
    connections: merged.maxConnections,
    headersTimeout: merged.headersTimeoutMs,
    bodyTimeout: merged.bodyTimeoutMs,
    keepAliveTimeout: merged.keepAliveTimeoutMs,
    connect: { timeout: merged.connectTimeoutMs, rejectUnauthorized: verifiesCertificates(options.proxy) },
  };
  const proxy = proxyOptions(options.proxy);
  return proxy ? new EnvHttpProxyAgent({ ...agentOptions, ...proxy }) : new Agent(agentOptions);
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
