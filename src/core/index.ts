// Public surface of the core (pure Node): the VS Code layer and the CLI build on this.
export { createApsClient } from './client';
export { APP_SCOPES, USER_SCOPES } from './auth/scopes';
export type { ApsClient, ApsClientOptions, ApsServices, AuthConfig, AuthFor, AuthMode, ThreeLeggedConfig, TokenConfig, TwoLeggedConfig } from './client';

export { ApsError, isApsError } from './http/apsError';
export type { ApsErrorInit, ApsErrorKind } from './http/apsError';
export { HttpClient, expectJson } from './http/httpClient';
export type { HttpClientOptions, HttpMethod, HttpRequest, HttpResponse } from './http/httpClient';
export { createDispatcher } from './http/dispatcher';
export type { DispatcherOptions, ProxySettings } from './http/dispatcher';
export { RequestBudget, DEFAULT_BUDGET } from './http/requestBudget';
export type { BudgetOptions, RateLimit } from './http/requestBudget';
export { DEFAULT_RETRY, parseRetryAfter } from './http/retryPolicy';
export type { RetryOptions } from './http/retryPolicy';
export type { RequestLogEntry, RequestLogHook } from './http/requestLog';
export type { RequestAuthorizer } from './http/authorizer';
export { redactBody, redactHeaders, redactUrl } from './http/redact';

export { APS_BASE_URL, resolveEndpoints } from './auth/endpoints';
export type { ApsEndpoints, ApsRegion } from './auth/endpoints';
export { OAuthClient } from './auth/oauthClient';
export type { ClientCredentials, UserInfo } from './auth/oauthClient';
export { TwoLeggedAuth } from './auth/twoLeggedAuth';
export { ThreeLeggedAuth } from './auth/threeLeggedAuth';
export type { AuthorizationRequest, BeginSignInOptions, SessionListener } from './auth/threeLeggedAuth';
export { MemoryTokenStore } from './auth/tokenStore';
export type { TokenStore } from './auth/tokenStore';
export type { TokenSet } from './auth/tokenSet';
export { codeChallengeS256, createPkcePair } from './auth/pkce';

export { DataManagementClient } from './dm/dataManagement';
export type { CallOptions, ContentsFilter, ConversionOptions, ListAllOptions, PageOptions, TopFoldersOptions } from './dm/dataManagement';
export { FolderSearch, parseSearchText, searchFailure, SEARCH_MAX_PAGE_NUMBER } from './dm/folderSearch';
export type { SearchHit, SearchOptions, SearchPage, SearchQuery } from './dm/folderSearch';
export type * from './dm/models';
export { fromBase64UrlUrn, parseStorageUrn, parseWebLink, storageUrn, toBase64UrlUrn, versionNumberOf, withBPrefix, withoutBPrefix } from './dm/ids';
export type { StorageLocation, WebLinkIds } from './dm/ids';

export { OssClient } from './oss/signedDownload';
export type { BatchEntry, BatchResult, SignedDownload, SignedDownloadOptions, SignedDownloadStatus } from './oss/signedDownload';

export { PdfExports } from './exports/pdfExports';
export type { ExportPdfOptions, ExportProject, ExportResult, ExportVersion } from './exports/pdfExports';
export type { ExportApi, ExportJob, MarkupOptions } from './exports/exportTypes';

export { DEFAULT_POLL_TIMING, pollUntilDone } from './jobs/poller';
export type { PollOptions, PollTiming, PollVerdict } from './jobs/poller';
