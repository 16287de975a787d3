import type { TokenStore } from '../auth/tokens';
import type { Switches } from '../choices';
import type { JobSteps } from '../options';
import type { DataModel } from '../model/dataModel';
import type { Seed, SeedApp } from '../seed';
import type { ServeDeps } from '../storage/serve';
import type { UrlSigner } from '../storage/signing';
import type { Uploads } from '../storage/uploads';
import type { Jobs } from '../model/jobs';
import type { RateLimiter } from './rateLimits';

export interface ResolvedOptions {
  latencyMs: number;
  jitterMs: number;
  tokenTtlSeconds: number;
  codeTtlSeconds: number;
  signedUrlMinutesDefault: number;
  bim360ExportUrlSeconds: number;
  accExportUrlSeconds: number;
  jobSteps: Required<JobSteps>;
  exportSteps: Required<JobSteps>;
  switches: Switches;
}

/** Everything API handlers share. */
export interface ApiContext extends ServeDeps {
  base(): string;
  seed: Seed;
  apps: SeedApp[];
  options: ResolvedOptions;
  model: DataModel;
  tokens: TokenStore;
  signer: UrlSigner;
  jobs: Jobs;
  rateLimiter?: RateLimiter;
  /** Storage reserved by POST storage, upload sessions and their part files. */
  uploads: Uploads;
}
