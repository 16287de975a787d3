import type { Dispatcher } from 'undici';
import { resolveEndpoints, type ApsRegion } from '../core/auth/endpoints';
import { OAuthClient, type UserInfo } from '../core/auth/oauthClient';
import { ThreeLeggedAuth } from '../core/auth/threeLeggedAuth';
import type { TokenStore } from '../core/auth/tokenStore';
import { TwoLeggedAuth } from '../core/auth/twoLeggedAuth';
import { DataManagementClient } from '../core/dm/dataManagement';
import type { RequestAuthorizer } from '../core/http/authorizer';
import { createDispatcher, type ProxySettings } from '../core/http/dispatcher';
import { HttpClient } from '../core/http/httpClient';
import { RequestBudget } from '../core/http/requestBudget';
import type { RequestLogHook } from '../core/http/requestLog';

export type AuthMode = 'user' | 'app';

export const SCOPES = ['data:read', 'data:write', 'data:create', 'data:search'] as const;

export interface ConnectionOptions {
  baseUrl?: string;
  region: string;
  clientId: string;
  clientSecret?: string;
  userId?: string;
  redirectUri: string;
  store: TokenStore;
  proxy?: ProxySettings;
  onRequestLog: RequestLogHook;
  userAgent: string;
}

/**
 * One APS connection: the core pieces wired for the current settings and credentials. Settings or
 * credentials changing means a new Connection (the old one is closed).
 */
export class Connection {
  readonly clientId: string;
  readonly user: ThreeLeggedAuth;
  readonly app: TwoLeggedAuth | undefined;
  private readonly dispatcher: Dispatcher;
  private readonly oauthHttp: HttpClient;
  private readonly budget = new RequestBudget();
  private readonly clients = new Map<AuthMode, DataManagementClient>();
  readonly oauth: OAuthClient;

  constructor(private readonly options: ConnectionOptions) {
    this.clientId = options.clientId;
    const endpoints = resolveEndpoints({ baseUrl: options.baseUrl, region: options.region as ApsRegion });
    this.dispatcher = createDispatcher({ proxy: options.proxy });
    this.oauthHttp = this.http(undefined);
    this.oauth = new OAuthClient(this.oauthHttp, endpoints, { clientId: options.clientId, clientSecret: options.clientSecret });
    this.user = new ThreeLeggedAuth(this.oauth, endpoints, { redirectUri: options.redirectUri, scopes: SCOPES, store: options.store });
    this.app = options.clientSecret ? new TwoLeggedAuth(this.oauth, { scopes: SCOPES, userId: options.userId }) : undefined;
  }

  authorizer(mode: AuthMode): RequestAuthorizer | undefined {
    return mode === 'user' ? this.user : this.app;
  }

  /** The Data Management client signed as `mode`. */
  dm(mode: AuthMode): DataManagementClient {
    let client = this.clients.get(mode);
    if (!client) {
      client = new DataManagementClient(this.http(this.authorizer(mode)));
      this.clients.set(mode, client);
    }
    return client;
  }

  apiHttp(mode: AuthMode): HttpClient {
    return this.http(this.authorizer(mode));
  }

  userInfo(signal?: AbortSignal): Promise<UserInfo> {
    return this.user.userInfo(signal);
  }

  async close(): Promise<void> {
    await this.dispatcher.close().catch(() => undefined);
  }

  private http(authorizer: RequestAuthorizer | undefined): HttpClient {
    return new HttpClient({
      dispatcher: this.dispatcher,
      baseUrl: resolveEndpoints({ baseUrl: this.options.baseUrl }).baseUrl,
      authorizer,
      budget: this.budget,
      onRequestLog: this.options.onRequestLog,
      userAgent: this.options.userAgent,
    });
  }
}
