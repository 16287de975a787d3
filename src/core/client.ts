// The one wiring of the core: settings and credentials in, signed APS services out. The extension, the
// CLI and the tests all build their clients here: dispatcher → HttpClient → auth, DM, OSS, exports.
import type { Dispatcher } from 'undici';
import { resolveEndpoints, type ApsEndpoints, type ApsRegion } from './auth/endpoints';
import { OAuthClient } from './auth/oauthClient';
import { APP_SCOPES, USER_SCOPES } from './auth/scopes';
import { ThreeLeggedAuth } from './auth/threeLeggedAuth';
import { MemoryTokenStore, type TokenStore } from './auth/tokenStore';
import { TwoLeggedAuth } from './auth/twoLeggedAuth';
import type { StorageLocation } from './dm/ids';
import { DataManagementClient } from './dm/dataManagement';
import { DataManagementWrites } from './dm/writes';
import { PdfExports } from './exports/pdfExports';
import type { RequestAuthorizer } from './http/authorizer';
import { createDispatcher, type DispatcherOptions, type ProxySettings } from './http/dispatcher';
import { HttpClient } from './http/httpClient';
import { DEFAULT_BUDGET, RequestBudget, type BudgetOptions } from './http/requestBudget';
import type { RequestLogHook } from './http/requestLog';
import type { RetryOptions } from './http/retryPolicy';
import { OssClient } from './oss/signedDownload';
import { SignedUpload } from './oss/signedUpload';
import { ossObjectSource } from './transfer/sources/ossSource';
import type { ObjectSource } from './transfer/types';

/** Who signs the calls: an Autodesk user (3-legged), the app itself (2-legged), or a token handed in. */
export type AuthMode = 'user' | 'app' | 'token';

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
  /** Omit for a public (PKCE-only) app. With it, the app's own 2-legged auth is there too (`app`). */
  clientSecret?: string;
  redirectUri: string;
  /** Default USER_SCOPES. */
  scopes?: readonly string[];
  storeKey?: string;
  /** x-user-id for the app's own calls. */
  userId?: string;
}

/** An access token obtained elsewhere (e.g. APS_ACCESS_TOKEN); it is not refreshed. */
export interface TokenConfig {
  kind: 'token';
  accessToken: string;
  userId?: string;
}

export type AuthConfig = TwoLeggedConfig | ThreeLeggedConfig | TokenConfig;

export type AuthFor<C extends AuthConfig> = C extends ThreeLeggedConfig ? ThreeLeggedAuth : C extends TwoLeggedConfig ? TwoLeggedAuth : RequestAuthorizer;

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

/** The APS services, signed by one authorizer. */
export interface ApsServices {
  http: HttpClient;
  dm: DataManagementClient;
  oss: OssClient;
  exports: PdfExports;
  /** Data Management writes for uploads: POST storage, items, versions, folders (never repeated blindly). */
  writes: DataManagementWrites;
  /** OSS upload calls: signed part URLs, completion, object details. */
  signedUpload: SignedUpload;
  /** A storage object as the transfer engine's source: every resolve asks signeds3download for a fresh URL. */
  objectSource(location: StorageLocation): ObjectSource;
}

export interface ApsClient<A extends RequestAuthorizer = RequestAuthorizer> extends ApsServices {
  /** The configured signer; `dm`, `oss`, `exports` and `http` sign with it. */
  auth: A;
  oauth: OAuthClient;
  endpoints: ApsEndpoints;
  /** The API dispatcher (bounded pool, proxy). */
  dispatcher: Dispatcher;
  /** The app's own 2-legged auth, when a client secret is known. */
  app?: TwoLeggedAuth;
  /** The services signed as `mode`; undefined when that kind of credential is not configured. */
  services(mode: AuthMode): ApsServices | undefined;
  /** Closes the connection pool; in-flight requests finish first. */
  close(): Promise<void>;
}

export function createApsClient<C extends AuthConfig>(options: ApsClientOptions<C>): ApsClient<AuthFor<C>> {
  const config: AuthConfig = options.auth;
  const endpoints = resolveEndpoints({ baseUrl: options.baseUrl, region: options.region, userinfoUrl: options.userinfoUrl });
  const dispatcher = createDispatcher({ maxConnections: options.maxConnections, proxy: options.proxy, ...options.timeouts });
  const budget = new RequestBudget({ ...DEFAULT_BUDGET, ...options.budget });
  const httpFor = (authorizer?: RequestAuthorizer) =>
    new HttpClient({ dispatcher, baseUrl: endpoints.baseUrl, budget, authorizer, retry: options.retry, userAgent: options.userAgent, onRequestLog: options.onRequestLog });
  const clientSecret = config.kind === 'token' ? undefined : config.clientSecret;
  const oauth = new OAuthClient(httpFor(), endpoints, { clientId: config.kind === 'token' ? '' : config.clientId, clientSecret }, options.now);
  const app = clientSecret && config.kind !== 'token' ? new TwoLeggedAuth(oauth, { scopes: config.kind === '2-legged' ? (config.scopes ?? APP_SCOPES) : APP_SCOPES, userId: config.userId, now: options.now }) : undefined;
  const signers: Partial<Record<AuthMode, RequestAuthorizer>> = { app };
  if (config.kind === '3-legged') {
    const store = options.tokenStore ?? new MemoryTokenStore();
    signers.user = new ThreeLeggedAuth(oauth, endpoints, { redirectUri: config.redirectUri, scopes: config.scopes ?? USER_SCOPES, store, storeKey: config.storeKey, now: options.now });
  } else if (config.kind === 'token') {
    signers.token = { userId: config.userId, getAccessToken: async () => config.accessToken, onUnauthorized: async () => false };
  }
  const mode: AuthMode = config.kind === '3-legged' ? 'user' : config.kind === '2-legged' ? 'app' : 'token';
  const signed = new Map<AuthMode, ApsServices>();
  const services = (which: AuthMode): ApsServices | undefined => {
    const authorizer = signers[which];
    if (!authorizer) return undefined;
    let built = signed.get(which);
    if (!built) {
      built = servicesSignedBy(httpFor(authorizer), endpoints.region, which === 'user' || Boolean(authorizer.userId));
      signed.set(which, built);
    }
    return built;
  };
  const main = services(mode) as ApsServices;
  return { ...main, auth: signers[mode] as AuthFor<C>, oauth, endpoints, dispatcher, app, services, close: () => dispatcher.close() };
}

function servicesSignedBy(http: HttpClient, region: ApsRegion, hasUserContext: boolean): ApsServices {
  const oss = new OssClient(http, region);
  return {
    http,
    dm: new DataManagementClient(http),
    oss,
    exports: new PdfExports(http, () => hasUserContext),
    writes: new DataManagementWrites(http),
    signedUpload: new SignedUpload(http, region),
    objectSource: (location) => ossObjectSource(location, (minutesExpiration, signal) => oss.signedDownload(location, { minutesExpiration, signal })),
  };
}
