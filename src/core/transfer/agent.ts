import type { Dispatcher } from 'undici';
import { Agent } from './leanUndici';

export interface StorageAgentOptions {
  /** Sockets per origin (the engine's global connection cap). */
  readonly connectionsPerOrigin: number;
  readonly keepAliveTimeoutMs?: number;
}

/**
 * HTTP/1.1 only, one request per socket at a time: parallel ranges need separate TCP connections
 * (HTTP/2 would multiplex them onto one, losing per-connection throughput from CDNs).
 * Timeouts are left to the engine's own stall watchdog, which also sees backpressure.
 */
export function createStorageAgent(options: StorageAgentOptions): Dispatcher {
  return new Agent({
    allowH2: false,
    pipelining: 1,
    connections: options.connectionsPerOrigin,
    keepAliveTimeout: options.keepAliveTimeoutMs ?? 4_000,
    headersTimeout: 0,
    bodyTimeout: 0,
    connect: { timeout: 30_000 },
  });
}
