// Composes the layers into one client: dispatcher → HttpClient → auth, DM, OSS, exports, jobs.
import type { Dispatcher } from 'undici';
import { resolveEndpoints, type ApsEndpoints, type ApsRegion } from './auth/endpoints';
import { OAuthClient } from './auth/oauthClient';
import { APP_SCOPES, USER_SCOPES } from './auth/scopes';
import { ThreeLeggedAuth } from './auth/threeLeggedAuth';
import { MemoryTokenStore, type TokenStore } from './auth/tokenStore';
import { TwoLeggedAuth } from './auth/twoLeggedAuth';
import { DataManagementClient } from './dm/dataManagement';
import { PdfExports } from './exports/pdfExports';
import { createDispatcher, type DispatcherOptions, type ProxySettings } from './http/dispatcher';
import { HttpClient } from './http/httpClient';
import { DEFAULT_BUDGET, RequestBudget, type BudgetOptions } from './http/requestBudget';
import type { RequestLogHook } from './http/requestLog';
import type { RetryOptions } from './http/retryPolicy';
import { pollUntilDone } from './jobs/poller';
import { OssClient } from './oss/signedDownload';
import { SignedUrlRefresher, type SignedDownloadFetcher } from './oss/signedUrlRefresher';

export interface TwoLeggedConfig {
  kind: '2-legged';
  clientId: string;
  clientSecret: string;
  /** Default APP_SCOPES. */
  scopes?: readonly string[];
  /** x-user-id for every call. */
  userId?: string;
}

export interface ThreeLeggedConfig {
  kind: '3-legged';
  clientId: string;
  /** Omit for a public (PKCE-only) app. */
  clientSecret?: string;
  redirectUri: string;
  /** Default USER_SCOPES. */
  scopes?: readonly string[];
  storeKey?: string;
}

export type AuthConfig = TwoLeggedConfig | ThreeLeggedConfig;

export type AuthFor<C extends AuthConfig> = C extends ThreeLeggedConfig ? ThreeLeggedAuth : TwoLeggedAuth;

export interface ApsClientOptions<C extends AuthConfig = AuthConfig> {
  auth: C;
  /** Explicit API origin (e.g. the emulator); default https://developer.api.autodesk.com. */
  baseUrl?: string;
  region?: ApsRegion;
  userinfoUrl?: string;
  /** Where 3-legged tokens are kept (default in memory). */
  tokenStore?: TokenStore;
  proxy?: ProxySettings;
  /** Connections per origin (default 8). */
  maxConnections?: number;
  timeouts?: Pick<DispatcherOptions, 'connectTimeoutMs' | 'headersTimeoutMs' | 'bodyTimeoutMs' | 'keepAliveTimeoutMs'>;
  budget?: Partial<BudgetOptions>;
  retry?: Partial<RetryOptions>;
  onRequestLog?: RequestLogHook;
  userAgent?: string;
  /** Clock for token expiry (tests align it with a fake server clock). */
  now?: () => number;
}

export interface ApsClient<A extends TwoLeggedAuth | ThreeLeggedAuth = TwoLeggedAuth | ThreeLeggedAuth> {
  auth: A;
  oauth: OAuthClient;
  endpoints: ApsEndpoints;
  http: HttpClient;
  /** The client's undici dispatcher (bounded pool, proxy), for transfers to signed URLs. */
  dispatcher: Dispatcher;
  dm: DataManagementClient;
  oss: OssClient;
  exports: PdfExports;
  jobs: { pollUntilDone: typeof pollUntilDone };
  /** A refresher that single-flights signeds3download calls for one object. */
  signedUrlRefresher(fetcher: SignedDownloadFetcher): SignedUrlRefresher;
  /** Closes the connection pool; in-flight requests finish first. */
  close(): Promise<void>;
}

export function createApsClient<C extends AuthConfig>(options: ApsClientOptions<C>): ApsClient<AuthFor<C>> {
  const endpoints = resolveEndpoints({ baseUrl: options.baseUrl, region: options.region, userinfoUrl: options.userinfoUrl });
  const dispatcher = createDispatcher({ maxConnections: options.maxConnections, proxy: options.proxy, ...options.timeouts });
  const budget = new RequestBudget({ ...DEFAULT_BUDGET, ...options.budget });
  const httpOptions = { dispatcher, baseUrl: endpoints.baseUrl, budget, retry: options.retry, userAgent: options.userAgent, onRequestLog: options.onRequestLog };
  const oauthHttp = new HttpClient(httpOptions);
  const oauth = new OAuthClient(oauthHttp, endpoints, { clientId: options.auth.clientId, clientSecret: options.auth.clientSecret }, options.now);
  const auth =
    options.auth.kind === '3-legged'
      ? new ThreeLeggedAuth(oauth, endpoints, {
          redirectUri: options.auth.redirectUri,
          scopes: options.auth.scopes ?? USER_SCOPES,
          store: options.tokenStore ?? new MemoryTokenStore(),
          storeKey: options.auth.storeKey,
          now: options.now,
        })
      : new TwoLeggedAuth(oauth, { scopes: options.auth.scopes ?? APP_SCOPES, userId: options.auth.userId, now: options.now });
  const http = new HttpClient({ ...httpOptions, authorizer: auth });
  return {
    auth: auth as AuthFor<C>,
    oauth,
    endpoints,
    http,
    dispatcher,
    dm: new DataManagementClient(http),
    oss: new OssClient(http, endpoints.region),
    exports: new PdfExports(http, () => options.auth.kind === '3-legged' || Boolean(http.authorizer?.userId)),
    jobs: { pollUntilDone },
    signedUrlRefresher: (fetcher) => new SignedUrlRefresher(fetcher),
    close: () => dispatcher.close(),
  };
}
