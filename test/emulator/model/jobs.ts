/** Conversion jobs (POST downloads) and exports (BIM 360 Docs, ACC Files), advanced by polls and time. */
import { createHash, randomUUID } from 'node:crypto';
import type { JobSteps } from '../options';
import type { ObjectStore } from '../storage/objects';

export const EXPORT_BUCKET = 'emulator-exports';

/** Three phases: waiting (queued/committed), working (processing), done (finished/completed/successful or failed). */
export type Phase = 'waiting' | 'working' | 'done';

interface Progress {
  phase: Phase;
  polls: number;
  since: number;
  failed: boolean;
  stuck: boolean;
}

export interface ConversionJob extends Progress {
  id: string;
  projectId: string;
  versionId: string;
  fileType: string;
  sourceSize: number;
  storageKey?: string;
}

export interface Bim360Export extends Progress {
  id: string;
  projectId: string;
  versionId: string;
  storageKey?: string;
}

export interface AccExport extends Progress {
  id: string;
  projectId: string;
  fileVersions: string[];
  /** Versions skipped (unprocessed); non-empty makes the result partialSuccess. */
  skipped: string[];
  outputName: string;
  zip: boolean;
  userId?: string;
  storageKey?: string;
}

function seedOf(label: string): number {
  return createHash('sha1').update(label).digest().readUInt32LE(0);
}

export class Jobs {
  readonly conversions = new Map<string, ConversionJob>();
  readonly bim360Exports = new Map<string, Bim360Export>();
  readonly accExports = new Map<string, AccExport>();

  constructor(
    private readonly store: ObjectStore,
    private readonly now: () => number,
    private readonly jobSteps: Required<JobSteps>,
    private readonly exportSteps: Required<JobSteps>,
  ) {}

  private progress(failed: boolean, stuck: boolean): Progress {
    return { phase: 'waiting', polls: 0, since: this.now(), failed, stuck };
  }

  /** Counts one poll and moves the job on when its current phase is over. */
  private poll(job: Progress, steps: Required<JobSteps>): boolean {
    const elapsed = this.now() - job.since;
    let moved = false;
    if (job.phase === 'waiting' && job.polls >= steps.queuedPolls && elapsed >= steps.queuedMs) {
      job.phase = 'working';
      moved = true;
    } else if (job.phase === 'working' && !job.stuck && job.polls >= steps.processingPolls && elapsed >= steps.processingMs) {
      job.phase = 'done';
      moved = true;
    }
    if (moved) {
      job.polls = 0;
      job.since = this.now();
    }
    job.polls++;
    return job.phase === 'done' && moved;
  }

  createConversion(spec: { projectId: string; versionId: string; fileType: string; sourceSize: number; failed: boolean; stuck: boolean }): ConversionJob {
    const job: ConversionJob = { id: randomUUID(), ...spec, ...this.progress(spec.failed, spec.stuck) };
    this.conversions.set(job.id, job);
    return job;
  }

  pollConversion(job: ConversionJob): void {
    if (this.poll(job, this.jobSteps) && !job.failed) {
      const objectKey = `${randomUUID()}.${job.fileType}`;
      const size = 4096 + (job.sourceSize % 65_536) + 1_000;
      this.store.put({ bucketKey: 'wip.dm.prod', objectKey, size, seed: seedOf(job.id), contentType: 'application/octet-stream' });
      job.storageKey = `wip.dm.prod/${objectKey}`;
    }
  }

  createBim360Export(spec: { projectId: string; versionId: string; failed: boolean; stuck: boolean }): Bim360Export {
    const job: Bim360Export = { id: randomUUID(), ...spec, ...this.progress(spec.failed, spec.stuck) };
    this.bim360Exports.set(job.id, job);
    return job;
  }

  pollBim360Export(job: Bim360Export): void {
    if (this.poll(job, this.exportSteps) && !job.failed) {
      const objectKey = `${job.id}.pdf`;
      this.store.put({ bucketKey: EXPORT_BUCKET, objectKey, size: 180_000 + (seedOf(job.id) % 20_000), seed: seedOf(job.id), contentType: 'application/pdf' });
      job.storageKey = `${EXPORT_BUCKET}/${objectKey}`;
    }
  }

  createAccExport(spec: Omit<AccExport, 'id' | keyof Progress | 'storageKey'> & { failed: boolean; stuck: boolean }): AccExport {
    const { failed, stuck, ...rest } = spec;
    const job: AccExport = { id: randomUUID(), ...rest, ...this.progress(failed, stuck) };
    this.accExports.set(job.id, job);
    return job;
  }

  pollAccExport(job: AccExport): void {
    if (this.poll(job, this.exportSteps) && !job.failed) {
      const objectKey = `${job.id}.${job.zip ? 'zip' : 'pdf'}`;
      this.store.put({
        bucketKey: EXPORT_BUCKET,
        objectKey,
        size: 200_000 + (seedOf(job.id) % 50_000),
        seed: seedOf(job.id),
        contentType: job.zip ? 'application/zip' : 'application/pdf',
      });
      job.storageKey = `${EXPORT_BUCKET}/${objectKey}`;
    }
  }
}
