/** The file name a Content-Disposition header suggests (RFC 6266 `filename*` preferred), unsanitized. */
export function fileNameFromContentDisposition(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const extended = /filename\*\s*=\s*([^']*)'[^']*'([^;]+)/i.exec(header);
  if (extended) {
    try {
      return decodeURIComponent(extended[2].trim());
    } catch {
      // fall back to the plain parameter
    }
  }
  const quoted = /filename\s*=\s*"((?:[^"\\]|\\.)*)"/i.exec(header);
  if (quoted) return quoted[1].replace(/\\(.)/g, '$1');
  const bare = /filename\s*=\s*([^;]+)/i.exec(header);
  return bare ? bare[1].trim() : undefined;
}

/** Last path segment of a URL, decoded; undefined when there is none. */
export function fileNameFromUrl(url: string): string | undefined {
  const segment = new URL(url).pathname.split('/').filter(Boolean).pop();
  if (!segment) return undefined;
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

// Query parameters that change with every signing (S3 presign, CloudFront, emulator parts excluded).
const VOLATILE_PARAMS = /^(x-amz-(algorithm|credential|date|expires|signedheaders|signature|security-token)|expires|signature|key-pair-id|policy)$/i;

/** A stable identity for a URL: without the parameters that change each time the link is re-signed. */
export function urlIdentity(url: string): string {
  const parsed = new URL(url);
  const kept = [...parsed.searchParams.entries()].filter(([key]) => !VOLATILE_PARAMS.test(key)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const query = new URLSearchParams(kept).toString();
  return `${parsed.origin}${parsed.pathname}${query ? `?${query}` : ''}`;
}
