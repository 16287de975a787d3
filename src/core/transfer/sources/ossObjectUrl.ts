/** bucketKey/objectKey when the URL is an OSS object or signeds3download URL. */
export function parseOssObjectUrl(url: string): { apiBaseUrl: string; bucketKey: string; objectKey: string } | undefined {
  const parsed = new URL(url);
  const match = /^(.*)\/oss\/v2\/buckets\/([^/]+)\/objects\/([^/]+?)(?:\/signeds3download)?\/?$/.exec(parsed.pathname);
  if (!match) return undefined;
  return {
    apiBaseUrl: `${parsed.origin}${match[1]}`,
    bucketKey: decodeURIComponent(match[2]),
    objectKey: decodeURIComponent(match[3]),
  };
}
