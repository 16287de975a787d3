// What APS documents per endpoint that a refusal should name: the scopes it needs and its rate limit
// (aps-api.md §0.5, §0.7; each endpoint's reference page). Used to turn a 403 or 429 into a sentence.

export interface DocumentedEndpoint {
  /** What the request does, for a sentence ("listing hubs"). */
  what: string;
  /** Requests per minute per app, when APS publishes a limit. */
  perMinute?: number;
  /** Every scope the endpoint needs. */
  scopes: readonly string[];
}

const ID = '[^/]+';
const PROJECT = `/project/v1/hubs/${ID}/projects/${ID}`;
const DATA = `/data/v1/projects/${ID}`;

interface Rule extends DocumentedEndpoint {
  method: string;
  path: RegExp;
}

function rule(method: string, path: string, what: string, perMinute?: number, scopes: readonly string[] = ['data:read']): Rule {
  return { method, path: new RegExp(`^${path}$`), what, perMinute, scopes };
}

const RULES: readonly Rule[] = [
  rule('GET', '/project/v1/hubs', 'listing hubs', 50),
  rule('GET', `/project/v1/hubs/${ID}`, 'reading a hub', 50),
  rule('GET', `/project/v1/hubs/${ID}/projects`, 'listing projects', 50),
  rule('GET', PROJECT, 'reading a project', 50),
  rule('GET', `${PROJECT}/topFolders`, 'listing top folders', 300),
  rule('GET', `${DATA}/folders/${ID}`, 'reading a folder', 300),
  rule('GET', `${DATA}/folders/${ID}/contents`, 'listing folder contents', 300),
  rule('GET', `${DATA}/folders/${ID}/search`, 'searching folders', 300, ['data:read', 'data:search']),
  rule('GET', `${DATA}/items/${ID}`, 'reading an item', 300),
  rule('GET', `${DATA}/items/${ID}/tip`, "reading an item's latest version", 50),
  rule('GET', `${DATA}/items/${ID}/versions`, 'listing versions', 800),
  rule('GET', `${DATA}/versions/${ID}`, 'reading a version', 300),
  rule('GET', `${DATA}/versions/${ID}/downloadFormats`, 'listing conversion formats', 50),
  rule('GET', `${DATA}/versions/${ID}/downloads`, 'listing conversions', 50),
  rule('POST', `${DATA}/downloads`, 'starting conversions', 50, ['data:create']),
  rule('GET', `${DATA}/jobs/${ID}`, 'checking conversions', 300),
  rule('POST', `${DATA}/storage`, 'reserving storage for uploads', 300, ['data:create']),
  rule('POST', `${DATA}/items`, 'creating files', 50, ['data:create']),
  rule('POST', `${DATA}/versions`, 'creating versions', 300, ['data:create']),
  rule('POST', `${DATA}/folders`, 'creating folders', 50, ['data:create']),
  rule('GET', `${DATA}/downloads/${ID}`, 'reading conversions', 300),
  rule('POST', `/bim360/docs/v1/projects/${ID}/versions/${ID}/exports`, 'starting BIM 360 PDF exports', 100),
  rule('GET', `/bim360/docs/v1/projects/${ID}/versions/${ID}/exports/${ID}`, 'checking BIM 360 PDF exports', 1000),
  rule('POST', `/construction/files/v1/projects/${ID}/exports`, 'starting ACC exports', undefined, ['data:write']),
  rule('GET', `/construction/files/v1/projects/${ID}/exports/${ID}`, 'checking ACC exports'),
  rule('GET', '/userinfo', 'reading your Autodesk profile', undefined, ['user-profile:read']),
  rule('POST', '/authentication/v2/token', 'token requests', 500, []),
  // OSS shares one budget; uploads need data:write and data:create (both listed in the OpenAPI file).
  rule('GET', `/oss/v2/buckets/${ID}/objects/${ID}/signeds3upload`, 'storage (OSS) requests', 1000, ['data:write', 'data:create']),
  rule('POST', `/oss/v2/buckets/${ID}/objects/${ID}/signeds3upload`, 'storage (OSS) requests', 1000, ['data:write', 'data:create']),
  rule('GET', '/oss/v2/.*', 'storage (OSS) requests', 1000),
  rule('POST', '/oss/v2/.*', 'storage (OSS) requests', 1000),
];

/** The documented facts for a request, by method and URL (absolute or a path); undefined for unknown endpoints. */
export function documentedEndpoint(method: string, url: string): DocumentedEndpoint | undefined {
  let path: string;
  try {
    path = new URL(url, 'https://host.invalid').pathname.replace(/\/{2,}/g, '/');
  } catch {
    return undefined;
  }
  const found = RULES.find((candidate) => candidate.method === method.toUpperCase() && candidate.path.test(path));
  return found && { what: found.what, perMinute: found.perMinute, scopes: found.scopes };
}
