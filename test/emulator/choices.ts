/**
 * Every behaviour the emulator picks where its sources are unsure, and every named switch.
 *
 * Sources, by authority: the reference pages in ../shared/seeds/, then Autodesk's OpenAPI files
 * (vendored in test/openapi/), then aps-api.md (its §8 numbers in brackets: UNCONFIRMED there).
 *
 * - `choices`: one fixed answer per unsure point; the code reads these constants, so changing one here
 *   changes the emulator. Tests of the extension must not depend on these being exactly what APS does.
 * - `SWITCHES`: where APS is documented two ways (seed form vs spec form) or where being as strict as
 *   APS can be turned off (strict vs lenient), the emulator answers either way behind a named switch.
 *   Defaults: the seed's form and strict. `EmulatorOptions.form`, `.strictness` and `.switches`, and the
 *   `npm run emulator` flags `--form`, `--lenient` and `--switch name=value`, pick other values.
 */
export const choices = {
  /**
   * [19] Content-Type of Project/Data responses: the OpenAPI file declares application/json for every
   * response (application/vnd.api+json only for request bodies), and it outranks aps-api.md.
   */
  jsonApiContentType: 'application/json',

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
  /** [12] userinfo needs a 3-legged token (and, strict, user-profile:read: see SWITCHES.scopes). */
  /** [1.2] A denied consent redirects with error=access_denied (and state). */
  consentDeniedError: 'access_denied',

  /** [5] useCdn default. The OpenAPI file says false (direct S3 URL). */
  useCdnDefault: false,
  /** [20] minutesExpiration outside 1..60 (or not an integer) → 400 `{"reason": …}`. */
  rejectMinutesOutOfRange: true,
  /** Chunk size for the `urls` map of a 'chunked' object (objects flagged `chunked` in the seed). */
  chunkedPartBytes: 5 * 1024 * 1024,
  /**
   * OSS 403 for an operation on a bucket the calling app does not own (batchsigneds3download on a Docs
   * bucket, switch foreignBucketBatch): the OSS gateway's ACM refusal as public clients quote it.
   */
  foreignBucketRefusal: {
    status: 403,
    body: {
      developerMessage: 'ACM check failed, user or calling service does not have access to perform this operation',
      userMessage: '',
      errorCode: 'ERR-002',
      'more info': 'http://developer.api.autodesk.com/documentation/v1/errors/err-002',
    },
  },
  /** [17] Deprecated direct download GET /oss/v2/buckets/:b/objects/:o → 403 `{"reason": …}` pointing at signeds3download. */
  directDownloadStatus: 403,

  /** [6] 303 from GET jobs/:id: empty body; relative or absolute Location per SWITCHES.jobLocation. */
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

  /**
   * Uploads (the Data Management "Upload a File" flow: POST storage, OSS signeds3upload, S3 part PUTs, POST
   * items / versions / folders). The OpenAPI files give the shapes and scopes; what they leave open is here, or
   * behind a switch (SWITCHES.partSizes and the ones after it) where a client must cope with either answer.
   */
  upload: {
    /** S3 multipart rules: parts numbered 1..10,000, each at most 5 GiB, every one but the last at least 5 MiB. */
    minPartBytes: 5 * 1024 * 1024,
    maxPartBytes: 5 * 1024 * 1024 * 1024,
    maxPartNumber: 10_000,
    /** GET signeds3upload hands out at most this many URLs per call (SWITCHES.uploadUrlsPerCall says what happens above). */
    maxUrlsPerCall: 25,
    /** UNCONFIRMED: how long an upload session (uploadKey) lives before its parts are discarded (uploadExpiration). */
    sessionHours: 24,
    /** UNCONFIRMED: OSS's answer to an uploadKey it no longer knows (expired, completed, or never issued). */
    unknownUploadKey: { status: 400, reason: 'The uploadKey is not valid: the upload session expired, was completed, or never existed.' },
    /** UNCONFIRMED: the completion answer has no sha1 (the OpenAPI objectDetails marks it optional); GET …/details and signeds3download carry it. */
    completionHasSha1: false,
    /** UNCONFIRMED: one completed storage object may back more than one version (APS is not known to refuse it), so a blindly repeated POST versions duplicates. */
    storageReuseAllowed: true,
    /** The BIM 360 Plans folder (and its subfolders) takes only these file types (BIM 360 "Upload Files" tutorial). */
    plansFileTypes: ['dwf', 'dwfx', 'dwg', 'ifc', 'pdf', 'rvt'],
    /** UNCONFIRMED status and code of the Plans refusal. */
    plansRefusal: { status: 400, code: 'BAD_INPUT' },
    /** UNCONFIRMED status and code of a wrong extension type (items:autodesk.core:File in a BIM 360 project, …). */
    extensionRefusal: { status: 400, code: 'BAD_INPUT' },
    /** Folders nest up to 25 levels below the project's top folders (createFolder reference). */
    maxFolderDepth: 25,
    /** The extension types a new resource must carry, by hub kind (OpenAPI ItemPayload/FolderPayload descriptions, BIM 360 upload tutorial). */
    extensionTypes: {
      bim: { items: 'items:autodesk.bim360:File', versions: 'versions:autodesk.bim360:File', folders: 'folders:autodesk.bim360:Folder' },
      core: { items: 'items:autodesk.core:File', versions: 'versions:autodesk.core:File', folders: 'folders:autodesk.core:Folder' },
    },
    /** Characters the Data Management reference says to avoid in item, version and folder names (SWITCHES.reservedNames). */
    reservedNameCharacters: ['<', '>', ':', '"', '/', '\\', '|', '?', '*', "'", '\n', '\r', '\t', '\0', '\f', '¢', '™', '$', '®'],
    maxNameLength: 255,
  },

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

/** What a route asks of the token's scopes (see `scopeRules`). */
export type ScopeNeed = 'read' | 'create' | 'write' | 'upload' | 'search' | 'profile' | 'any';

/**
 * Scopes per endpoint group: the token must hold every scope of at least one listed set. Strict follows
 * each endpoint's reference page (POST downloads: data:create; ACC exports: data:write; folder search:
 * data:read and data:search; userinfo: user-profile:read); lenient is what the emulator accepted before
 * it was strict (any data:* scope for reads, data:create or data:write for writes, any 3-legged userinfo).
 */
export const scopeRules: Record<ScopeNeed, { strict: string[][]; lenient: string[][] }> = {
  read: { strict: [['data:read']], lenient: [['data:read'], ['data:write'], ['data:create']] },
  create: { strict: [['data:create']], lenient: [['data:create'], ['data:write']] },
  write: { strict: [['data:write']], lenient: [['data:write'], ['data:create']] },
  /** OSS signeds3upload GET and POST: the OpenAPI file lists data:write and data:create in one requirement (both needed). */
  upload: { strict: [['data:write', 'data:create']], lenient: [['data:write'], ['data:create']] },
  search: { strict: [['data:read', 'data:search']], lenient: [['data:read']] },
  profile: { strict: [['user-profile:read']], lenient: [[]] },
  any: { strict: [[]], lenient: [[]] },
};

interface FormSwitch<V extends string> {
  kind: 'form';
  /** The reference page's form (default) and the OpenAPI file's. */
  seed: V;
  spec: V;
  doc: string;
}
interface StrictnessSwitch<V extends string> {
  kind: 'strictness';
  /** As strict as APS (default), and the lenient answer. */
  strict: V;
  lenient: V;
  doc: string;
}
interface ScenarioSwitch<V extends string> {
  kind: 'scenario';
  /** A situation a real account may be in; off by default. */
  values: readonly V[];
  default: V;
  doc: string;
}

/** Every named switch, its values and its default. */
export const SWITCHES = {
  createdDownload: {
    kind: 'form',
    seed: 'object',
    spec: 'array',
    doc: 'POST projects/:id/downloads 202: `data` as one `jobs` object with root-relative links.self hrefs (reference page, seeds/000), or a one-element array with absolute hrefs (OpenAPI CreatedDownload, whose own example shows the object).',
  } satisfies FormSwitch<'object' | 'array'>,
  jobLocation: {
    kind: 'form',
    seed: 'relative',
    spec: 'absolute',
    doc: 'Location of the 303 from GET jobs/:id once finished: root-relative, as the reference pages write every href, or absolute [6]. Body empty either way.',
  } satisfies FormSwitch<'relative' | 'absolute'>,
  scopes: {
    kind: 'strictness',
    strict: 'per-endpoint',
    lenient: 'any-data',
    doc: 'Token scopes per endpoint (scopeRules): strict as each reference page documents them; a token without them gets the gateway 403 AUTH-010.',
  } satisfies StrictnessSwitch<'per-endpoint' | 'any-data'>,
  storageAuthorization: {
    kind: 'strictness',
    strict: 'refuse',
    lenient: 'ignore',
    doc: 'A signed storage URL request that also carries an Authorization header: refused as S3 refuses it (400 InvalidArgument "Only one auth mechanism allowed"), or served with the header ignored.',
  } satisfies StrictnessSwitch<'refuse' | 'ignore'>,
  userContext: {
    kind: 'strictness',
    strict: 'required',
    lenient: 'optional',
    doc: 'Calls documented as needing a user context (folder search: 403 USER_NOT_AUTHENTICATED; ACC Files exports: 403 ERR_NOT_ALLOWED) refused for a 2-legged token without x-user-id, or answered as the app.',
  } satisfies StrictnessSwitch<'required' | 'optional'>,
  rateLimits: {
    kind: 'strictness',
    strict: 'aps',
    lenient: 'off',
    doc: "APS's published budgets (api/rateLimits.ts: per endpoint for Data Management, 1000 rpm overall for OSS, per app): 429 + Retry-After + {\"developerMessage\":\"Quota limit exceeded.\"}; or no limits. EmulatorOptions.rateLimits may also override single budgets.",
  } satisfies StrictnessSwitch<'aps' | 'off'>,
  foreignBucketBatch: {
    kind: 'strictness',
    strict: 'refuse',
    lenient: 'allow',
    doc: 'POST batchsigneds3download on a bucket the calling app does not own (every Docs bucket, wip.dm.*): 403 as the OSS reference says ("Only the application that owns the bucket can call this operation"), or signed anyway.',
  } satisfies StrictnessSwitch<'refuse' | 'allow'>,
  regionalStorage: {
    kind: 'strictness',
    strict: 'region-header',
    lenient: 'any-region',
    doc: 'OSS calls on an object stored outside the US (EMEA and AUS Docs buckets): found only when the request names its region (x-ads-region header or region query), else 404 "Bucket doesn\'t exist"; or found whatever the request says. UNCONFIRMED [0.6]: strict reads the OSS region parameter as binding.',
  } satisfies StrictnessSwitch<'region-header' | 'any-region'>,
  contentsFilters: {
    kind: 'strictness',
    strict: 'documented',
    lenient: 'any-field',
    doc: 'GET folders/:id/contents filters: only the documented fields (type, id, extension.type, lastModifiedTimeRollup, hidden), any other filter[...] answers 400; or the generic grammar on any attribute (e.g. filter[attributes.displayName]-contains). UNCONFIRMED [13].',
  } satisfies StrictnessSwitch<'documented' | 'any-field'>,
  hubWarnings: {
    kind: 'scenario',
    values: ['off', 'emea-refused'],
    default: 'off',
    doc: "GET hubs when APS's EMEA back-end refuses the app: 200 without the EMEA hubs, and a meta.warnings entry naming EMEA (observed [0.6]).",
  } satisfies ScenarioSwitch<'off' | 'emea-refused'>,
  partSizes: {
    kind: 'strictness',
    strict: 's3-minimum',
    lenient: 'any',
    doc: 'POST signeds3upload (complete) when a part other than the last is under 5 MiB: 400 as S3 refuses the assembly (EntityTooSmall, said at completion, not at the part PUT); or the parts are assembled whatever their sizes.',
  } satisfies StrictnessSwitch<'s3-minimum' | 'any'>,
  uploadUrlsPerCall: {
    kind: 'strictness',
    strict: 'refuse-over-25',
    lenient: 'cap-at-25',
    doc: 'GET signeds3upload asking for more than 25 parts at once: 400, or the first 25 URLs. UNCONFIRMED: APS hands out at most 25 per call (Autodesk\'s SDK asks for 25 at a time) but its answer to more is not documented.',
  } satisfies StrictnessSwitch<'refuse-over-25' | 'cap-at-25'>,
  nameConflicts: {
    kind: 'strictness',
    strict: 'case-insensitive',
    lenient: 'exact',
    doc: 'POST items / folders (or POST versions renaming the file) with a name already in the folder: 409 when the names match ignoring case, or only when they match exactly. UNCONFIRMED which of the two APS compares.',
  } satisfies StrictnessSwitch<'case-insensitive' | 'exact'>,
  reservedNames: {
    kind: 'strictness',
    strict: 'refuse',
    lenient: 'accept',
    doc: 'Item, version and folder names with a character the Data Management reference says to avoid (< > : " / \\ | ? * \' ¢ ™ $ ® and control characters) or longer than 255: 400, or accepted. UNCONFIRMED: the reference says "avoid", not which names APS refuses.',
  } satisfies StrictnessSwitch<'refuse' | 'accept'>,
  plansFileTypes: {
    kind: 'strictness',
    strict: 'enforce',
    lenient: 'any',
    doc: 'A file that is not DWF, DWFX, DWG, IFC, PDF or RVT into a BIM 360 Plans folder (or below it), as a new item or a new version: 400, or accepted.',
  } satisfies StrictnessSwitch<'enforce' | 'any'>,
  extensionTypes: {
    kind: 'strictness',
    strict: 'by-hub-kind',
    lenient: 'any',
    doc: 'POST items / versions / folders whose extension type does not fit the hub (autodesk.bim360:* for BIM 360 and ACC, autodesk.core:* for personal and Fusion hubs) or whose extension version is not 1.0: 400, or accepted.',
  } satisfies StrictnessSwitch<'by-hub-kind' | 'any'>,
  incompleteStorage: {
    kind: 'strictness',
    strict: 'refuse',
    lenient: 'accept',
    doc: 'POST items / versions naming a storage object whose upload was never completed (POST signeds3upload): 400, or the version is created over missing bytes (signeds3download then answers 404). UNCONFIRMED.',
  } satisfies StrictnessSwitch<'refuse' | 'accept'>,
  repeatedCompletion: {
    kind: 'strictness',
    strict: 'refuse',
    lenient: 'same-answer',
    doc: 'POST signeds3upload (complete) again for an upload already completed (its answer was lost): refused like any unknown uploadKey, or answered again with the object. UNCONFIRMED; a client should ask GET …/details instead of relying on either.',
  } satisfies StrictnessSwitch<'refuse' | 'same-answer'>,
} as const;

export type SwitchName = keyof typeof SWITCHES;

type ValuesOf<S> = S extends FormSwitch<infer V> ? V : S extends StrictnessSwitch<infer V> ? V : S extends ScenarioSwitch<infer V> ? V : never;
type SwitchDefinition = FormSwitch<string> | StrictnessSwitch<string> | ScenarioSwitch<string>;

/** One value per switch. */
export type Switches = { -readonly [K in SwitchName]: ValuesOf<(typeof SWITCHES)[K]> };

export type Form = 'seed' | 'spec';
export type Strictness = 'strict' | 'lenient';

function definition(name: SwitchName): SwitchDefinition {
  return SWITCHES[name] as SwitchDefinition;
}

export function switchValues(name: SwitchName): readonly string[] {
  const spec = definition(name);
  if (spec.kind === 'form') return [spec.seed, spec.spec];
  if (spec.kind === 'strictness') return [spec.strict, spec.lenient];
  return spec.values;
}

/** The switches for a form and a strictness (defaults: seed, strict), with single switches overridden. */
export function resolveSwitches(form: Form = 'seed', strictness: Strictness = 'strict', overrides: Partial<Switches> = {}): Switches {
  const resolved = {} as Record<SwitchName, string>;
  for (const name of Object.keys(SWITCHES) as SwitchName[]) {
    const spec = definition(name);
    resolved[name] = spec.kind === 'form' ? spec[form] : spec.kind === 'strictness' ? spec[strictness] : spec.default;
  }
  for (const [name, value] of Object.entries(overrides)) {
    if (value === undefined) continue;
    if (!(name in SWITCHES)) throw new Error(`unknown switch ${name}; one of ${Object.keys(SWITCHES).join(', ')}`);
    if (!switchValues(name as SwitchName).includes(value)) throw new Error(`switch ${name} takes ${switchValues(name as SwitchName).join(' or ')}, not ${value}`);
    resolved[name as SwitchName] = value;
  }
  return resolved as Switches;
}

/** `name=value` lines for --help and the README. */
export function describeSwitches(): string[] {
  return (Object.keys(SWITCHES) as SwitchName[]).map((name) => {
    const spec = definition(name);
    const values =
      spec.kind === 'form' ? `${spec.seed} (seed form, default) | ${spec.spec} (spec form)` : spec.kind === 'strictness' ? `${spec.strict} (strict, default) | ${spec.lenient} (lenient)` : spec.values.map((v) => (v === spec.default ? `${v} (default)` : v)).join(' | ');
    return `${name}=${values}`;
  });
}
