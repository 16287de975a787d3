/**
 * The one fault type. A fault applies to requests matching all of its scope fields
 * (origin, path, method), after letting the first `skip` of them through (none when absent),
 * at most `count` times (unlimited when absent), each time with `probability` (1 when absent).
 * Kinds and their parameters:
 *
 * - latency            api|storage  wait latencyMs (+ random 0..jitterMs) before answering.
 * - hold               api|storage  answer nothing until the test lets the request go (FaultController.remove(id) or clear()),
 *                                   then answer as usual: a gate, so a test can order what the client sees without timing.
 * - bandwidth          storage      cap each matching connection to bytesPerSecond.
 * - status             api|storage  answer `status` (e.g. 429, 500, 502, 503) instead of the real response;
 *                                   with retryAfter, send Retry-After as integer seconds, or as an HTTP-date
 *                                   when retryAfter is 'http-date' (then retryAfterSeconds sets the distance, default 2).
 * - reset              storage|api  destroy the socket after afterBytes body bytes (default 0). On a part PUT (storage, method
 *                                   PUT): after afterBytes bytes of the request body, before any answer; the part is not kept
 *                                   (a body shorter than afterBytes is kept, and then its answer is lost).
 * - truncate           storage      promise the full Content-Length, send afterBytes bytes (default half), then end the socket.
 * - stall              storage|api  send afterBytes body bytes (default 0), then send nothing more and keep the socket open
 *                                   until the client gives up or the emulator closes. On a part PUT: stop reading the
 *                                   request body after afterBytes bytes and never answer.
 * - loseAnswer         api          process the request in full (a POST items / versions / folders creates what it asks
 *                                   for), then drop the connection before a byte of the answer: the client cannot tell
 *                                   whether it happened.
 * Status, latency, bandwidth (the request body's rate on a PUT) and expireSignedUrl apply to part PUTs as to GETs
 * (scope them with method: 'PUT'); a refused PUT reads the body first, so the client gets the answer.
 * - ignoreRange        storage      ignore the Range header: 200 with the full body.
 * - wrongContentRange  storage      answer 206 with a Content-Range whose start is shifted by shiftBytes (default 1).
 * - replaceObject      storage      after afterBytes body bytes (default 0) the object is replaced (new ETag and size:
 *                                   newSize, default size+1024, new content seed); the current response is cut off.
 * - expireSignedUrl    storage      treat the signed URL as expired (403 AccessDenied "Request has expired").
 * - failJob            api          conversion jobs created while it is active fail (or, with stuck: true, never finish).
 * - failExport         api          BIM 360 / ACC exports created while it is active fail (or stay processing with stuck: true).
 */
export type FaultKind =
  | 'latency'
  | 'hold'
  | 'bandwidth'
  | 'status'
  | 'reset'
  | 'truncate'
  | 'stall'
  | 'ignoreRange'
  | 'wrongContentRange'
  | 'replaceObject'
  | 'expireSignedUrl'
  | 'failJob'
  | 'failExport'
  | 'loseAnswer';

export type FaultOrigin = 'api' | 'storage';

export interface FaultSpec {
  kind: FaultKind;
  /** Which server the fault applies to; defaults per kind (storage for byte-level kinds, api for jobs/exports, both otherwise). */
  origin?: FaultOrigin;
  /**
   * Matched against the request path without query, both as received and percent-decoded (either may match).
   * A regular expression when it starts with '^' (`^/oss/.*signeds3download$`) or is wrapped in slashes
   * (`/signeds3download$/`); otherwise a glob anchored at both ends where `*` matches any run of characters
   * except '/', `**` any run including '/', and `?` one character (`/oss/v2/buckets/**`).
   * For failJob/failExport the path is matched against the POST path that creates the job.
   */
  path?: string;
  method?: string;
  /** Chance in [0, 1] that a matching request is affected (default 1). Draws come from a seeded generator. */
  probability?: number;
  /** Affect only the next N matching requests, then expire (default: unlimited). */
  count?: number;
  /** Let the first N matching requests through unaffected (default 0), e.g. to slow down the second connection only. */
  skip?: number;

  // kind-specific parameters
  latencyMs?: number;
  jitterMs?: number;
  bytesPerSecond?: number;
  status?: number;
  retryAfter?: number | 'http-date';
  retryAfterSeconds?: number;
  /** Body for a status fault; default depends on the origin and status (APS JSON or S3 XML). */
  body?: string;
  afterBytes?: number;
  shiftBytes?: number;
  newSize?: number;
  stuck?: boolean;
}

export interface ActiveFault extends FaultSpec {
  id: string;
  /** How many times it has been applied. */
  hits: number;
}

export interface FaultController {
  add(spec: FaultSpec): string;
  remove(id: string): boolean;
  clear(): void;
  list(): ActiveFault[];
}
