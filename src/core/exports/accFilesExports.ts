// ACC Files export (aps-api.md §5.3): PDFs, and 2D sheets/views of DWG and RVT. ACC projects only.
import type { HttpClient } from '../http/httpClient';
import { expectJson } from '../http/httpClient';
import { pathSegment } from '../dm/ids';
import { exportError, str, type ExportJob, type MarkupOptions } from './exportTypes';

interface RawAccExport {
  id?: unknown;
  status?: unknown;
  result?: {
    signedUrl?: unknown;
    output?: { signedUrl?: unknown; fileName?: unknown };
    error?: { code?: unknown; title?: unknown; detail?: unknown };
    failedFiles?: Array<{ id?: unknown; reason?: unknown; detail?: unknown }>;
  };
}

export interface AccExportOptions extends MarkupOptions {
  /** Output name without extension. */
  outputFileName?: string;
  signal?: AbortSignal;
}

export class AccFilesExports {
  constructor(private readonly http: HttpClient) {}

  async start(projectId: string, versionIds: readonly string[], options: AccExportOptions = {}): Promise<ExportJob> {
    const includeMarkups = options.includeMarkups ?? true;
    const response = await this.http.request({
      method: 'POST',
      url: `${this.exportsUrl(projectId)}`,
      json: {
        options: {
          ...(options.outputFileName ? { outputFileName: options.outputFileName } : {}),
          standardMarkups: {
            includePublishedMarkups: includeMarkups,
            includeUnpublishedMarkups: includeMarkups,
            includeMarkupLinks: includeMarkups && (options.includeHyperlinks ?? false),
          },
          issueMarkups: { includePublishedMarkups: false, includeUnpublishedMarkups: false },
          photoMarkups: { includePublishedMarkups: false, includeUnpublishedMarkups: false },
        },
        fileVersions: versionIds,
      },
      signal: options.signal,
    });
    return toJob(expectJson<RawAccExport>(response), projectId);
  }

  async get(projectId: string, exportId: string, options: { signal?: AbortSignal } = {}): Promise<ExportJob> {
    const body = await this.http.getJson<RawAccExport>(`${this.exportsUrl(projectId)}/${pathSegment(exportId)}`, { signal: options.signal });
    return toJob(body, projectId, exportId);
  }

  private exportsUrl(projectId: string): string {
    return `/construction/files/v1/projects/${pathSegment(projectId)}/exports`;
  }
}

function toJob(body: RawAccExport, projectId: string, knownId?: string): ExportJob {
  const rawStatus = str(body.status) ?? 'processing';
  const state = rawStatus === 'successful' || rawStatus === 'partialSuccess' ? 'succeeded' : rawStatus === 'failed' ? 'failed' : 'pending';
  const result = body.result ?? {};
  // Docs disagree whether the URL sits under result.output or directly under result; accept both.
  const signedUrl = str(result.output?.signedUrl) ?? str(result.signedUrl);
  const fileName = str(result.output?.fileName);
  const error = result.error;
  const failedFiles = Array.isArray(result.failedFiles)
    ? result.failedFiles.map((file) => ({ id: str(file.id), reason: str(file.reason), detail: str(file.detail) }))
    : undefined;
  return {
    api: 'acc-files',
    id: str(body.id) ?? knownId ?? '',
    projectId,
    rawStatus,
    state,
    ...(signedUrl ? { signedUrl } : {}),
    ...(fileName ? { fileName } : {}),
    ...(failedFiles ? { failedFiles } : {}),
    ...exportError(error),
  };
}
