// Where the OAuth and API endpoints live: APS production, or an explicit base URL (e.g. the emulator).

/** The data regions APS lists today; the API host is the same for all of them (routing is by id). */
export const APS_REGIONS = ['US', 'EMEA', 'AUS', 'CAN', 'DEU', 'IND', 'JPN', 'GBR'] as const;

export type ApsRegion = (typeof APS_REGIONS)[number];

export function isApsRegion(value: string): value is ApsRegion {
  return (APS_REGIONS as readonly string[]).includes(value);
}

export const APS_BASE_URL = 'https://developer.api.autodesk.com';
export const APS_USERINFO_URL = 'https://api.userprofile.autodesk.com/userinfo';

export interface ApsEndpoints {
  baseUrl: string;
  region: ApsRegion;
  authorizeUrl: string;
  tokenUrl: string;
  revokeUrl: string;
  userinfoUrl: string;
}

export interface EndpointOptions {
  /** Explicit API origin; everything (userinfo included) is then served from it. */
  baseUrl?: string;
  /** Region for region-aware services (OSS x-ads-region). Default US. */
  region?: ApsRegion;
  /** Overrides the userinfo URL. */
  userinfoUrl?: string;
}

export function resolveEndpoints(options: EndpointOptions = {}): ApsEndpoints {
  const baseUrl = (options.baseUrl ?? APS_BASE_URL).replace(/\/+$/, '');
  const isProduction = baseUrl === APS_BASE_URL;
  return {
    baseUrl,
    region: options.region ?? 'US',
    authorizeUrl: `${baseUrl}/authentication/v2/authorize`,
    tokenUrl: `${baseUrl}/authentication/v2/token`,
    revokeUrl: `${baseUrl}/authentication/v2/revoke`,
    userinfoUrl: options.userinfoUrl ?? (isProduction ? APS_USERINFO_URL : `${baseUrl}/userinfo`),
  };
}
