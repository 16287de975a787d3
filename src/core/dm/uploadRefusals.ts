// What APS's refusals of an upload mean, as one code and one sentence naming the file: a name already taken,
// no permission, the Plans folder's file types, a part under 5 MiB, an expired upload or part URL.
import { ApsError, isApsError } from '../http/apsError';
import { parseErrorBody } from '../http/errorBody';

/** The BIM 360 Plans folder (and its subfolders) takes only these file types. */
export const PLANS_FILE_TYPES = ['dwf', 'dwfx', 'dwg', 'ifc', 'pdf', 'rvt'] as const;

export type UploadRefusal =
  /** 409: a file or folder of that name is already in the folder. */
  | 'NAME_EXISTS'
  /** 403 (not a missing scope): the user or app may not add to this folder or project. */
  | 'NO_PERMISSION'
  /** 400 into a BIM 360 Plans folder: not DWF, DWFX, DWG, IFC, PDF or RVT. */
  | 'PLANS_FILE_TYPE'
  /** 400 for the name itself (reserved characters, too long). */
  | 'NAME_REFUSED'
  /** 400 at completion: a part other than the last was under 5 MiB (S3 EntityTooSmall). */
  | 'PART_TOO_SMALL'
  /** The uploadKey is no longer known (expired after a day, or already completed): the upload must start again. */
  | 'UPLOAD_EXPIRED'
  /** 403 "Request has expired" from storage: the part's signed URL must be fetched again. */
  | 'PART_URL_EXPIRED';

const REFUSALS: ReadonlySet<string> = new Set<UploadRefusal>(['NAME_EXISTS', 'NO_PERMISSION', 'PLANS_FILE_TYPE', 'NAME_REFUSED', 'PART_TOO_SMALL', 'UPLOAD_EXPIRED', 'PART_URL_EXPIRED']);

/** The refusal an error from the upload calls stands for, if it is one of them. */
export function uploadRefusalOf(error: unknown): UploadRefusal | undefined {
  return isApsError(error) && error.code !== undefined && REFUSALS.has(error.code) ? (error.code as UploadRefusal) : undefined;
}

/** Whether a BIM 360 Plans folder takes a file of this name. */
export function plansFolderAccepts(fileName: string): boolean {
  const dot = fileName.lastIndexOf('.');
  return dot > 0 && (PLANS_FILE_TYPES as readonly string[]).includes(fileName.slice(dot + 1).toLowerCase());
}

/** Why a file cannot go into a BIM 360 Plans folder, naming it. */
export function plansRefusalSentence(fileName: string): string {
  return `${quoted(fileName)} cannot go into the Plans folder: it takes only ${PLANS_FILE_TYPES.map((type) => type.toUpperCase()).join(', ')} files.`;
}

/** What the failing call was doing, for the sentence. */
export interface UploadStep {
  /** 'file' for storage, items and versions; 'folder' for folders; 'part' for a part PUT; 'upload' for OSS calls. */
  what: 'file' | 'folder' | 'part' | 'upload';
  /** The file or folder name, as the user knows it. */
  name: string;
  /** For 'part'. */
  partNumber?: number;
}

function quoted(name: string): string {
  return `"${name}"`;
}

function classify(error: ApsError, step: UploadStep): { refusal: UploadRefusal; sentence: string } | undefined {
  const detail = error.detail ?? '';
  const name = quoted(step.name);
  if (error.status === 409) {
    return { refusal: 'NAME_EXISTS', sentence: `${step.what === 'folder' ? 'A folder or file' : 'A file or folder'} named ${name} is already in this folder in Autodesk.` };
  }
  if (error.status === 403 && step.what === 'part' && /expired/i.test(detail)) {
    return { refusal: 'PART_URL_EXPIRED', sentence: `The signed URL for part ${step.partNumber ?? '?'} of ${name} expired before the part was sent; it must be signed again.` };
  }
  if (error.status === 403 && error.code !== 'AUTH-010' && step.what !== 'part') {
    return { refusal: 'NO_PERMISSION', sentence: `Autodesk does not let this account add ${name} here: it lacks permission to upload to this folder or project.` };
  }
  if (error.status === 400 && /entitytoosmall|smaller than the minimum/i.test(`${error.code ?? ''} ${detail}`)) {
    return { refusal: 'PART_TOO_SMALL', sentence: `Autodesk refused to assemble ${name}: every part but the last must be at least 5 MiB.` };
  }
  if ((error.status === 400 || error.status === 404) && step.what === 'upload' && /upload\s*key|nosuchupload/i.test(`${error.code ?? ''} ${detail}`)) {
    return { refusal: 'UPLOAD_EXPIRED', sentence: `The upload of ${name} has expired or was already completed in Autodesk; it has to start again.` };
  }
  if (error.status === 404 && step.what === 'part' && /nosuchupload/i.test(error.code ?? '')) {
    return { refusal: 'UPLOAD_EXPIRED', sentence: `The upload of ${name} has expired or was already completed in Autodesk; it has to start again.` };
  }
  if (error.status === 400 && step.what === 'file' && /plans/i.test(detail) && !plansFolderAccepts(step.name)) {
    return { refusal: 'PLANS_FILE_TYPE', sentence: plansRefusalSentence(step.name) };
  }
  if (error.status === 400 && /\bname\b/i.test(detail) && /not allowed|reserved|invalid|too long|longer/i.test(detail)) {
    return { refusal: 'NAME_REFUSED', sentence: `Autodesk refused the name ${name}. It says: ${detail.trim().replace(/\.$/, '')}.` };
  }
  return undefined;
}

/**
 * The same error with its refusal as `code` and a sentence naming the file as `userMessage` (status, detail and
 * request id kept; the original is the cause). Errors that are none of the refusals come back unchanged.
 */
export function explainUploadError(error: unknown, step: UploadStep): unknown {
  if (!isApsError(error)) return error;
  const found = classify(error, step);
  if (!found) return error;
  return new ApsError({
    kind: error.kind,
    message: `${error.message} [${found.refusal}]`,
    status: error.status,
    code: found.refusal,
    title: error.title,
    detail: error.detail,
    requestId: error.requestId,
    retryable: false,
    userMessage: found.sentence,
    method: error.method,
    url: error.url,
    cause: error,
  });
}

/** An ApsError for a refused part PUT to a signed storage URL (S3 XML body), explained. */
export function partPutError(status: number, bodyText: string, step: UploadStep & { what: 'part' }): ApsError {
  const parsed = parseErrorBody(bodyText);
  const raw = new ApsError({
    kind: 'http',
    message: `PUT of part ${step.partNumber ?? '?'} of ${quoted(step.name)} failed with HTTP ${status}${parsed.code ? ` (${parsed.code}: ${parsed.detail ?? ''})` : ''}`,
    status,
    code: parsed.code,
    detail: parsed.detail,
    requestId: parsed.errorId,
    retryable: status === 408 || status === 429 || status >= 500,
    userMessage: `The storage service refused part ${step.partNumber ?? '?'} of ${quoted(step.name)} (HTTP ${status}${parsed.detail ? `: ${parsed.detail}` : ''}).`,
    method: 'PUT',
  });
  return explainUploadError(raw, step) as ApsError;
}
