// Shared setup for core tests: an emulator per suite and clients wired to it, with every log entry captured.
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../../emulator';
import { createApsClient, type ApsClientOptions, type AuthConfig, type RequestLogEntry } from '../../../src/core';

export const ALL_SCOPES = ['data:read', 'data:write', 'data:create', 'data:search'] as const;

/** Fast retries so fault tests do not wait on production backoff. */
export const FAST_RETRY = { baseDelayMs: 5, maxDelayMs: 40 };

export interface LogCapture {
  entries: RequestLogEntry[];
  hook(entry: RequestLogEntry): void;
  /** Everything the hook received, as one string (to search for secrets). */
  text(): string;
}

export function captureLog(): LogCapture {
  const entries: RequestLogEntry[] = [];
  return {
    entries,
    hook: (entry) => entries.push(entry),
    text: () => entries.map((entry) => JSON.stringify(entry)).join('\n'),
  };
}

export function useEmulator(options: EmulatorOptions = {}): () => RunningEmulator {
  let emulator: RunningEmulator | undefined;
  before(async () => {
    emulator = await startEmulator(options);
  });
  after(async () => {
    await emulator?.close();
  });
  afterEach(() => {
    emulator?.faults.clear();
  });
  return () => {
    if (!emulator) throw new Error('emulator not started');
    return emulator;
  };
}

export function twoLeggedConfig(emulator: RunningEmulator, extra: Partial<AuthConfig> = {}): AuthConfig {
  const { clientId, clientSecret } = emulator.seed.credentials;
  return { kind: '2-legged', clientId, clientSecret: clientSecret as string, scopes: [...ALL_SCOPES], ...extra } as AuthConfig;
}

/** A 2-legged client for the emulator's demo app (optionally acting for a user via x-user-id). */
export function twoLeggedClient(emulator: RunningEmulator, log?: LogCapture, extra: Partial<ApsClientOptions> & { userId?: string } = {}) {
  const { userId, ...rest } = extra;
  return createApsClient({
    baseUrl: emulator.baseUrl,
    auth: { ...(twoLeggedConfig(emulator) as Extract<AuthConfig, { kind: '2-legged' }>), ...(userId ? { userId } : {}) },
    retry: FAST_RETRY,
    proxy: { url: '' },
    onRequestLog: log?.hook,
    ...rest,
  });
}

/** The tip version id of a seeded item. */
export function tipVersionId(emulator: RunningEmulator, itemId: string): string {
  const item = emulator.seed.items.find((candidate) => candidate.id === itemId);
  if (!item) throw new Error(`no seeded item ${itemId}`);
  return item.versions[item.versions.length - 1].id;
}
