// The one undici dispatcher a client uses: bounded keep-alive pool, timeouts, optional proxy.
import { Agent, EnvHttpProxyAgent, type Dispatcher } from 'undici';

export interface ProxySettings {
  /**
   * Proxy URL (http://[user:pass@]host:port). Undefined: take HTTP(S)_PROXY / NO_PROXY from the environment.
   * Empty string: never use a proxy, whatever the environment says.
   */
  url?: string;
  /** Hosts that bypass the proxy (comma/space separated or a list, like NO_PROXY). Defaults to the environment's NO_PROXY. */
  noProxy?: string | string[];
  /** Verify TLS certificates (default true). */
  strictSSL?: boolean;
}

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
  const strictSSL = options.proxy?.strictSSL ?? true;
  const agentOptions: Agent.Options = {
    connections: merged.maxConnections,
    headersTimeout: merged.headersTimeoutMs,
    bodyTimeout: merged.bodyTimeoutMs,
    keepAliveTimeout: merged.keepAliveTimeoutMs,
    connect: { timeout: merged.connectTimeoutMs, rejectUnauthorized: strictSSL },
  };
  const proxy = options.proxy;
  if (proxy?.url === '') return new Agent(agentOptions);
  if (!proxy?.url && !hasEnvProxy()) return new Agent(agentOptions);
  const noProxy = Array.isArray(proxy?.noProxy) ? proxy?.noProxy.join(',') : proxy?.noProxy;
  // EnvHttpProxyAgent applies NO_PROXY (explicit list first, else the environment's) for both cases.
  return new EnvHttpProxyAgent({
    ...agentOptions,
    ...(proxy?.url ? { httpProxy: proxy.url, httpsProxy: proxy.url } : {}),
    ...(noProxy !== undefined ? { noProxy } : {}),
    proxyTls: { rejectUnauthorized: strictSSL },
    requestTls: { rejectUnauthorized: strictSSL },
  });
}

function hasEnvProxy(): boolean {
  const env = process.env;
  return Boolean(env.http_proxy || env.HTTP_PROXY || env.https_proxy || env.HTTPS_PROXY);
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
