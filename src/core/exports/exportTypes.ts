/** Which export API served a request. */
export type ExportApi = 'bim360-docs' | 'acc-files';

/** Normalized export job state across both APIs. */
export interface ExportJob {
  api: ExportApi;
  id: string;
  projectId: string;
  /** BIM 360: committed|completed|failed (|processing); ACC: processing|successful|partialSuccess|failed. */
  rawStatus: string;
  state: 'pending' | 'succeeded' | 'failed';
  /** Where to fetch the result without Authorization, once succeeded. */
  signedUrl?: string;
  /** ACC: suggested output file name (with .pdf or .zip). */
  fileName?: string;
  /** Versions ACC could not include (partialSuccess). */
  failedFiles?: Array<{ id?: string; reason?: string; detail?: string }>;
  error?: { code?: string; title?: string; detail?: string };
  /** For BIM 360 exports, the version being exported. */
  versionId?: string;
}

export interface MarkupOptions {
  /** Include markups (default true). */
  includeMarkups?: boolean;
  /** BIM 360: include hyperlinks; ACC: include markup links (default false). */
  includeHyperlinks?: boolean;
}

export function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** The `error` of either API's export body, as ExportJob carries it (an empty object when absent). */
export function exportError(error: { code?: unknown; title?: unknown; detail?: unknown } | null | undefined): Pick<ExportJob, 'error'> {
  return error ? { error: { code: str(error.code), title: str(error.title), detail: str(error.detail) } } : {};
}
