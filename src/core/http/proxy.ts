// Which proxy a dispatcher (the API client's or the transfer engine's) uses, from settings or the environment.
import type { EnvHttpProxyAgent } from 'undici';

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

/** Whether TLS certificates are verified: unless the settings say otherwise, yes. */
export function verifiesCertificates(proxy: ProxySettings | undefined): boolean {
  return proxy?.strictSSL ?? true;
}

/** EnvHttpProxyAgent's proxy options for these settings, or undefined when no proxy applies. */
export function proxyOptions(proxy: ProxySettings | undefined): EnvHttpProxyAgent.Options | undefined {
  if (proxy?.url === '') return undefined;
  if (!proxy?.url && !hasEnvProxy()) return undefined;
  const strictSSL = verifiesCertificates(proxy);
  const noProxy = Array.isArray(proxy?.noProxy) ? proxy?.noProxy.join(',') : proxy?.noProxy;
  // EnvHttpProxyAgent applies NO_PROXY (explicit list first, else the environment's) for both cases.
  return {
    ...(proxy?.url ? { httpProxy: proxy.url, httpsProxy: proxy.url } : {}),
    ...(noProxy !== undefined ? { noProxy } : {}),
    proxyTls: { rejectUnauthorized: strictSSL },
    requestTls: { rejectUnauthorized: strictSSL },
  };
}

function hasEnvProxy(): boolean {
  const env = process.env;
  return Boolean(env.http_proxy || env.HTTP_PROXY || env.https_proxy || env.HTTPS_PROXY);
}
