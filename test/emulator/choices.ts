/**
 * Every behaviour the emulator had to pick because aps-api.md marks it UNCONFIRMED (its §8 numbers in
 * brackets). Where the OpenAPI files say something, the choice follows them. The code reads these
 * constants, so changing a choice here changes the emulator. Tests of the extension must not depend on
 * these being exactly what APS does.
 */
export const choices = {
  /** [19] Content-Type of Project/Data responses. The OpenAPI files declare application/vnd.api+json. */
  jsonApiContentType: 'application/vnd.api+json',

  /** [0.3] `self` echoes the request URL; first/prev/next always carry both page[number] and page[limit]. */
  paginationLinksCarryLimit: true,
  /** [14] page[limit] outside 1..200 or a non-integer page[number] → 400 (rather than clamping). */
  rejectOutOfRangePageLimit: true,
  /** [14] A page beyond the end → 200 with `data: []` and only links.self/first/prev. */
  pageBeyondEndIsEmpty: true,
  /** [14] Folder contents order: folders first, then items, each by name (code-point order). */
  contentsOrder: 'folders-then-items-by-name' as const,

  /** [13] Filter grammar: `filter[<field>]=a,b` (comma list, any match) or repeated params; suffixes -contains, -starts, -ends. */
  filterSuffixes: ['-contains', '-starts', '-ends'] as const,

  /** [15] topFolders for a 2-legged token without x-user-id: the real top-level folders (as an admin sees them). */
  twoLeggedTopFoldersAreRealTopFolders: true,
  /**
   * A member of a BIM 360 project without Docs access (role 'noAccess'): the project is listed and
   * GET project answers 200, but topFolders and every Data call under it answer 403.
   */
  noAccessProjectIsListed: true,

  /** [10] Data/Project error codes (JSON:API errors[].code) per HTTP status. */
  dataErrorCodes: {
    400: 'BAD_INPUT',
    403: 'ERR_NOT_AUTHORIZED',
    404: 'NOT_FOUND',
    409: 'CONFLICT',
    500: 'INTERNAL_ERROR',
  } as Record<number, string>,

  /** [11] Gateway 401/403 bodies: developerMessage/moreInfo/errorCode. */
  gateway: {
    moreInfo: 'https://aps.autodesk.com/en/docs/oauth/v2/developers_guide/error_handling/',
    missingToken: { status: 401, errorCode: 'AUTH-001', developerMessage: 'The Authorization header is missing or malformed.' },
    invalidToken: { status: 401, errorCode: 'AUTH-006', developerMessage: 'The token is invalid.' },
    expiredToken: { status: 401, errorCode: 'AUTH-006', developerMessage: 'The token has expired or is invalid.' },
    insufficientScope: { status: 403, errorCode: 'AUTH-010', developerMessage: 'Token does not have the privilege for this request.' },
  },

  /** [12] OAuth errors: RFC 6749 `{error, error_description}` for every status; refresh tokens rotate and are single-use. */
  refreshTokensRotate: true,
  refreshTokenTtlSeconds: 15 * 24 * 3600,
  /** [12] userinfo needs a 3-legged token; scope user-profile:read is not enforced (any 3-legged token works). */
  userinfoRequiresScope: false,
  /** [1.2] A denied consent redirects with error=access_denied (and state). */
  consentDeniedError: 'access_denied',

  /** [5] useCdn default. The OpenAPI file says false (direct S3 URL). */
  useCdnDefault: false,
  /** [20] minutesExpiration outside 1..60 (or not an integer) → 400 `{"reason": …}`. */
  rejectMinutesOutOfRange: true,
  /** Chunk size for the `urls` map of a 'chunked' object (objects flagged `chunked` in the seed). */
  chunkedPartBytes: 5 * 1024 * 1024,
  /** [17] Deprecated direct download GET /oss/v2/buckets/:b/objects/:o → 403 `{"reason": …}` pointing at signeds3download. */
  directDownloadStatus: 403,

  /** [6] 303 from GET jobs/:id: absolute Location, empty body. */
  jobRedirectAbsolute: true,
  /** [8] POST downloads answers `data` as a one-element array (OpenAPI CreatedDownload), not the reference page's object. */
  createdDownloadDataIsObject: false,
  /** [7] downloadFormats per source extension (seed.ts). Unsupported fileType on POST downloads → 400. */
  unsupportedFileTypeStatus: 400,
  /** [7] DM downloads/jobs on ACC projects → 400 JSON:API error (documented only as "not compatible"). */
  accDownloadsRefusal: { status: 400, code: 'BAD_INPUT', detail: 'Downloads are not supported for ACC projects.' },
  /** [9] GET versions/:id/downloads lists the finished downloads of that version (may be empty). */
  versionDownloadsListsFinished: true,

  /** [1] BIM 360 POST exports: 202 (clients must accept any 2xx); body flat booleans or ACC-style `options`; unknown fields ignored. */
  bim360ExportCreateStatus: 202,
  /** [2] BIM 360 export states: committed → processing → completed | failed. */
  bim360ExportStates: ['committed', 'processing', 'completed', 'failed'] as const,
  /** [2] Failed BIM 360 export body: `data.error = {code, title, detail}` (invented). */
  bim360ExportFailure: { code: 'EXPORT_FAILED', title: 'Export failed', detail: 'The export job failed.' },
  /** [3] BIM 360 export on an ACC project → 400 (body below); on a non-PDF-sheet version → 400; b.-prefixed project ids accepted. */
  bim360ExportOnAcc: { status: 400, code: 'ERR_NOT_SUPPORTED', detail: 'This API is not compatible with Autodesk Construction Cloud projects.' },
  bim360ExportNotPdf: { status: 400, code: 'ERR_BAD_INPUT', detail: 'Only pages of PDF files in the Plans folder can be exported.' },
  bim360ExportAcceptsPrefixedProjectId: true,
  /** [4] BIM 360 export signedUrl lifetime (seconds); EmulatorOptions.bim360ExportUrlSeconds overrides. */
  bim360ExportUrlSeconds: 120,
  /** [21] The BIM 360 export version_id must be a sheet (Document) version; the parent PDF file version is refused. */
  bim360ExportNeedsSheetVersion: true,
  /** [18] ACC Files export HTTP errors: `{ "code": "ERR_…", "title"?: …, "detail": … }` with the HTTP status. */
  accExportErrorShape: 'code-detail' as const,
  /** [18] ACC partialSuccess puts signedUrl under result.output (and repeats it under result). */
  accPartialSuccessUrlPlacement: 'both' as const,
  /** ACC export download URL lifetime (seconds); documented as 1 hour. */
  accExportUrlSeconds: 3600,

  /**
   * Sheet Documents: APS often sends item `displayName: ""`; the OpenAPI schema requires minLength 1,
   * so the emulator sends the sheet title (version attributes.name stays the file-name source).
   */
  documentItemDisplayName: 'sheet-title' as const,
  /**
   * [7] downloadFormats is never empty (OpenAPI: formats minItems 1): types with nothing to convert to
   * offer their own type, sheet Documents offer pdf (table in seed.ts).
   */
  downloadFormatsNeverEmpty: true,
  /**
   * Job resources carry `type: "jobs"` as the reference page shows; the OpenAPI `type_job` enum says
   * "downloads" (while describing "jobs"), which looks like a copy error in the spec.
   */
  jobResourceType: 'jobs' as const,

  /** [16] processState of every seeded version. */
  processState: 'PROCESSING_COMPLETE',

  /** [0.7] 429 body and Retry-After for the built-in rate limits (budgets in api/rateLimits.ts). */
  rateLimitBody: { developerMessage: 'Quota limit exceeded.' },

  /** Folder search with a bare 2-legged token → 403 USER_NOT_AUTHENTICATED (observed). */
  searchNeedsUserContext: true,
  /**
   * [13] Folder search filters (api/folderSearch.ts): case-sensitive as the filtering guide says; `-lt`,
   * `-le`, `-gt`, `-ge` compare dates and numbers; an unknown operator or an empty value → 400.
   * Search honours `page[limit]` (1–200, default 200) like the other paged endpoints, although the
   * OpenAPI file lists only `page[number]` for it.
   */
  searchFilterOperators: ['eq', 'contains', 'starts', 'ends', 'lt', 'le', 'gt', 'ge'] as const,

  /**
   * Fetch Thumbnail: the reference page lists 200/400/401/403/404/500 without bodies. The 404 body is
   * Model Derivative's `diagnostic` shape; the 202 for a thumbnail still being generated is what clients
   * report seeing (Autodesk-Forge/forge-api-dotnet-client#103).
   */
  thumbnails: {
    notFoundBody: { diagnostic: 'The requested thumbnail does not exist.' },
    pendingBody: { Result: 'The thumbnail generating for this graph node is pending' },
  },
} as const;
