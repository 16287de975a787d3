// Query parameters that change with every signing (S3 presign, CloudFront, emulator parts excluded).
const VOLATILE_PARAMS = /^(x-amz-(algorithm|credential|date|expires|signedheaders|signature|security-token)|expires|signature|key-pair-id|policy)$/i;

/** A stable identity for a URL: without the parameters that change each time the link is re-signed. */
export function urlIdentity(url: string): string {
  const parsed = new URL(url);
  const kept = [...parsed.searchParams.entries()].filter(([key]) => !VOLATILE_PARAMS.test(key)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const query = new URLSearchParams(kept).toString();
  return `${parsed.origin}${parsed.pathname}${query ? `?${query}` : ''}`;
}
