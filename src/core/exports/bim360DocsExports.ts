// BIM 360 Docs PDF export of a sheet (aps-api.md §5.1–5.2). BIM 360 projects only; project id without `b.`.
import type { HttpClient } from '../http/httpClient';
import { expectJson } from '../http/httpClient';
import { pathSegment, withoutBPrefix } from '../dm/ids';
import { exportError, str, type ExportJob, type MarkupOptions } from './exportTypes';

interface RawBim360Export {
  id?: unknown;
  status?: unknown;
  data?: { signedUrl?: unknown; error?: { code?: unknown; title?: unknown; detail?: unknown } };
  error?: unknown;
}

export class Bim360DocsExports {
  constructor(private readonly http: HttpClient) {}

  async start(projectId: string, versionId: string, options: MarkupOptions & { signal?: AbortSignal } = {}): Promise<ExportJob> {
    const response = await this.http.request({
      method: 'POST',
      url: this.exportsUrl(projectId, versionId),
      json: { includeMarkups: options.includeMarkups ?? true, includeHyperlinks: options.includeHyperlinks ?? false },
      signal: options.signal,
    });
    return toJob(expectJson<RawBim360Export>(response), projectId, versionId);
  }

  async get(projectId: string, versionId: string, exportId: string, options: { signal?: AbortSignal } = {}): Promise<ExportJob> {
    const body = await this.http.getJson<RawBim360Export>(`${this.exportsUrl(projectId, versionId)}/${pathSegment(exportId)}`, { signal: options.signal });
    return toJob(body, projectId, versionId, exportId);
  }

  private exportsUrl(projectId: string, versionId: string): string {
    return `/bim360/docs/v1/projects/${pathSegment(withoutBPrefix(projectId))}/versions/${pathSegment(versionId)}/exports`;
  }
}

function toJob(body: RawBim360Export, projectId: string, versionId: string, knownId?: string): ExportJob {
  const rawStatus = str(body.status) ?? 'committed';
  const state = rawStatus === 'completed' ? 'succeeded' : rawStatus === 'failed' ? 'failed' : 'pending';
  const error = body.data?.error;
  return {
    api: 'bim360-docs',
    id: str(body.id) ?? knownId ?? '',
    projectId,
    versionId,
    rawStatus,
    state,
    ...(str(body.data?.signedUrl) ? { signedUrl: str(body.data?.signedUrl) } : {}),
    ...exportError(error),
  };
}
