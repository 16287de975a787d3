import type { Form, Strictness, Switches } from './choices';
import type { FaultSpec } from './faults/spec';
import type { SentResponse } from './http/exchange';

/**
 * How long conversion jobs and exports stay in each state. A job leaves a state once it has been
 * polled that many times in it AND that many milliseconds have passed (defaults: 1 poll, 0 ms).
 */
export interface JobSteps {
  queuedPolls?: number;
  processingPolls?: number;
  queuedMs?: number;
  processingMs?: number;
}

/** Per-endpoint budgets, requests per minute per client id. Keys are route names from api/rateLimits.ts. */
export type RateLimitBudgets = Partial<Record<string, number>>;

export interface EmulatorOptions {
  /**
   * Loopback address both servers bind (default 127.0.0.1; any 127.x.y.z or ::1, nothing else).
   * The demo and e2e use 127.0.0.2: code-server rewrites links to 127.0.0.1/localhost into its own proxy.
   */
  host?: string;
  /** API origin port; 0 = any free port (default 0). */
  port?: number;
  /** Storage origin port (signed URLs point here); default 0. */
  storagePort?: number;
  /** Fixed latency added to every API route (default 0), plus 0..jitterMs random. */
  latencyMs?: number;
  jitterMs?: number;
  /** Access token lifetime; default 3599. */
  tokenTtlSeconds?: number;
  /** Authorization code lifetime; default 300. */
  codeTtlSeconds?: number;
  /** signeds3download minutesExpiration default; default 2 (as APS). */
  signedUrlMinutesDefault?: number;
  /** BIM 360 export signedUrl lifetime in seconds (default 120) and ACC export download URL lifetime (default 3600). */
  bim360ExportUrlSeconds?: number;
  accExportUrlSeconds?: number;
  /** Conversion job (POST downloads) progression. */
  jobSteps?: JobSteps;
  /** Export (BIM 360 docs and ACC files) progression. */
  exportSteps?: JobSteps;
  /** Faults active from the start. */
  faults?: FaultSpec[];
  /** Where the reference pages and the OpenAPI files disagree: answer in the seed's form (default) or the spec's. */
  form?: Form;
  /** As strict as APS (default), or lenient where choices.ts SWITCHES says how. */
  strictness?: Strictness;
  /** Single switches (choices.ts SWITCHES), over what `form` and `strictness` pick. */
  switches?: Partial<Switches>;
  /**
   * Shorthand for the rateLimits switch: true = APS's published per-endpoint budgets (api/rateLimits.ts),
   * false = none; an object overrides single budgets and turns them on. Default: the switch (on when strict).
   */
  rateLimits?: boolean | RateLimitBudgets;
  /** Shorthand for switches.hubWarnings = 'emea-refused': GET hubs without the EMEA hubs, and a warning. */
  hubWarnings?: boolean;
  /** Where the emulator makes its temp folder for uploaded part bytes (default the OS temp folder); the folder goes on close. */
  uploadDir?: string;
  /** Seed for fault probabilities and jitter (default 1). */
  randomSeed?: number;
  /** One line per request and lifecycle event; never contains tokens, secrets or signatures. */
  log?: (line: string) => void;
  /** Sees every response written in one piece (all JSON bodies among them), e.g. to check them against the OpenAPI files. */
  onResponse?: (response: SentResponse) => void;
}
