// Masks secrets before anything is logged: signed-URL signatures, auth headers, token fields in bodies.

const MASK = '***';

const SECRET_QUERY_PARAMS = new Set(
  [
    'x-amz-signature',
    'x-amz-credential',
    'x-amz-security-token',
    'signature',
    'policy',
    'key-pair-id',
    'sig',
    'token',
    'access_token',
    'refresh_token',
    'id_token',
    'code',
    'code_verifier',
    'client_secret',
    'password',
    'apikey',
    'api_key',
  ].map((name) => name.toLowerCase()),
);

const SECRET_HEADERS = new Set(
  [
    'authorization',
    'proxy-authorization',
    'cookie',
    'set-cookie',
    'x-api-key',
    'x-amz-security-token',
  ],
);

const SECRET_BODY_FIELDS = new Set([
  'access_token',
  'refresh_token',
  'client_secret',
  'code',
  'code_verifier',
  'id_token',
  'password',
  'token',
  'assertion',
]);

export function isSecretQueryParam(name: string): boolean {
  return SECRET_QUERY_PARAMS.has(name.toLowerCase());
}

/** Masks signature-bearing query parameters and any userinfo (user:password@) in a URL. */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return redactQueryString(url);
  }
  if (parsed.username || parsed.password) {
    parsed.username = MASK;
    parsed.password = '';
  }
  const names = [...new Set([...parsed.searchParams.keys()])];
  for (const name of names) {
    if (isSecretQueryParam(name)) parsed.searchParams.set(name, MASK);
  }
  return parsed.toString();
}

// For relative or malformed URLs: mask `name=value` pairs textually.
function redactQueryString(text: string): string {
  return text.replace(/([?&])([^=&#]+)=([^&#]*)/g, (match, sep: string, name: string) =>
    isSecretQueryParam(safeDecode(name)) ? `${sep}${name}=${MASK}` : match,
  );
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

export type HeaderInput =
  | Record<string, string | string[] | number | undefined | null>
  | Iterable<[string, string]>
  | null
  | undefined;

/** Returns a plain copy of the headers with credentials masked. */
export function redactHeaders(headers: HeaderInput): Record<string, string> {
  const out: Record<string, string> = {};
  if (!headers) return out;
  const entries: Iterable<[string, unknown]> =
    Symbol.iterator in Object(headers) && !isPlainRecord(headers)
      ? (headers as Iterable<[string, string]>)
      : Object.entries(headers as Record<string, unknown>);
  for (const [name, value] of entries) {
    if (value === undefined || value === null) continue;
    const text = Array.isArray(value) ? value.join(', ') : String(value);
    const lower = name.toLowerCase();
    if (SECRET_HEADERS.has(lower)) out[name] = maskHeaderValue(text);
    else if (lower === 'location' || lower === 'content-location') out[name] = redactUrl(text);
    else out[name] = text;
  }
  return out;
}

function isPlainRecord(value: unknown): boolean {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}

// Keeps the scheme ("Bearer", "Basic") so logs still say what kind of credential was sent.
function maskHeaderValue(value: string): string {
  const scheme = /^(Bearer|Basic|Digest|Negotiate)\s/i.exec(value);
  return scheme ? `${scheme[1]} ${MASK}` : MASK;
}

/**
 * Masks token fields in a JSON or form-encoded body (string) or in an object.
 * Strings that are neither JSON nor form-encoded are returned with any embedded URLs redacted.
 */
export function redactBody(body: unknown): unknown {
  if (typeof body === 'string') return redactBodyText(body);
  if (body === null || typeof body !== 'object') return body;
  if (body instanceof URLSearchParams) return redactForm(body.toString());
  return redactValue(body);
}

function redactBodyText(text: string): string {
  const trimmed = text.trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return JSON.stringify(redactValue(JSON.parse(trimmed)));
    } catch {
      // fall through: not JSON after all
    }
  }
  if (/^[^\s=&]+=[^\s]*$/.test(trimmed)) return redactForm(trimmed);
  return text.replace(/https?:\/\/[^\s"'<>]+/g, (url) => redactUrl(url));
}

function redactForm(text: string): string {
  const params = new URLSearchParams(text);
  const names = [...new Set([...params.keys()])];
  for (const name of names) {
    if (SECRET_BODY_FIELDS.has(name.toLowerCase()) || isSecretQueryParam(name)) params.set(name, MASK);
  }
  return params.toString();
}

function redactValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactValue);
  if (value === null || typeof value !== 'object') {
    return typeof value === 'string' && /^https?:\/\//.test(value) ? redactUrl(value) : value;
  }
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
    out[key] = SECRET_BODY_FIELDS.has(key.toLowerCase()) && inner != null ? MASK : redactValue(inner);
  }
  return out;
}
