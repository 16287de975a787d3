import type { OnReadOpts, Socket } from 'node:net';
import type { Agent as UndiciAgent, buildConnector as BuildConnector, Dispatcher } from 'undici';
import { proxyOptions, verifiesCertificates, type ProxySettings } from '../http/proxy';
import { Agent, buildConnector, resumeParserAtEnd } from './leanUndici';
import { ReadRing } from './readRing';

/**
 * Bytes a plain-http socket reads at a time, where Node reads 64 KiB: far fewer trips through the
 * stream, the HTTP parser and the engine per byte (a quarter less CPU for an uncapped download on
 * loopback). TLS hands over its records (16 KiB) whatever the buffer, so https keeps Node's reads.
 */
export const PLAIN_READ_BYTES = 512 * 1024;

export interface StorageAgentOptions {
  /** Sockets per origin (the engine's global connection cap). */
  readonly connectionsPerOrigin: number;
  readonly keepAliveTimeoutMs?: number;
  /** Proxy settings, as for the API client; undefined: no proxy. */
  readonly proxy?: ProxySettings;
}

/**
 * HTTP/1.1 only, one request per socket at a time: parallel ranges need separate TCP connections
 * (HTTP/2 would multiplex them onto one, losing per-connection throughput from CDNs).
 * Timeouts are left to the engine's own stall watchdog, which also sees backpressure.
 * Through a proxy when one applies: signed storage URLs go where the API calls go.
 */
export function createStorageAgent(options: StorageAgentOptions): Dispatcher {
  const { connect, agentOptions } = storageAgentOptions(options);
  const proxy = options.proxy ? proxyOptions(options.proxy) : undefined;
  if (!proxy) return new Agent({ ...agentOptions, connect: connector(connect, buildConnector(copiedBigReads(connect))) });
  // undici's index (with its proxy agents) only where a proxy is in use.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { EnvHttpProxyAgent } = require('undici') as typeof import('undici');
  return new EnvHttpProxyAgent({ ...agentOptions, ...proxy });
}

/**
 * An agent like createStorageAgent's for range responses alone, whose plain-http sockets read into
 * reused buffers (ReadRing) and hand the bytes on without copying them. Only for requests whose body
 * consumers copy what they keep (StorageExchange). undefined where a proxy applies.
 */
export function createPlainRangeAgent(options: StorageAgentOptions): Dispatcher | undefined {
  if (options.proxy && proxyOptions(options.proxy)) return undefined;
  const { connect, agentOptions } = storageAgentOptions(options);
  const reusedReads: BuildConnector.connector = (target, callback) => {
    const perSocket: BuildConnector.BuildOptions & { onread: OnReadOpts } = { ...connect, onread: new ReadRing(PLAIN_READ_BYTES).onread };
    buildConnector(perSocket)(target, callback);
  };
  return new Agent({ ...agentOptions, connect: connector(connect, reusedReads) });
}

function storageAgentOptions(options: StorageAgentOptions): { connect: BuildConnector.BuildOptions; agentOptions: UndiciAgent.Options } {
  const connect: BuildConnector.BuildOptions = { timeout: 30_000, rejectUnauthorized: verifiesCertificates(options.proxy) };
  const agentOptions: UndiciAgent.Options = {
    allowH2: false,
    pipelining: 1,
    connections: options.connectionsPerOrigin,
    keepAliveTimeout: options.keepAliveTimeoutMs ?? 4_000,
    headersTimeout: 0,
    bodyTimeout: 0,
    connect,
  };
  return { connect, agentOptions };
}

/**
 * undici's own TLS connector for https and `plain` for http, every socket guarded by resumeParserAtEnd.
 */
function connector(options: BuildConnector.BuildOptions, plain: BuildConnector.connector): BuildConnector.connector {
  const secure = buildConnector(options);
  return (target, callback) =>
    (target.protocol === 'https:' ? secure : plain)(target, (error, socket) => {
      if (socket) resumeParserAtEnd(socket as Socket);
      (callback as (error: Error | null, socket: unknown) => void)(error, socket);
    });
}

/** Big reads for plain http (PLAIN_READ_BYTES), each copied out of one buffer shared by the connector's sockets. */
function copiedBigReads(options: BuildConnector.BuildOptions): BuildConnector.BuildOptions & { onread: OnReadOpts } {
  return {
    ...options,
    // Each read is copied out before the next one can start. Pushing views of a fresh buffer per read
    // would save the copy, but those buffers wait between reads long enough to reach V8's old
    // generation: ~45 MiB more resident memory.
    onread: { buffer: Buffer.allocUnsafeSlow(PLAIN_READ_BYTES), callback: pushCopy },
  };
}

/** Node's onread callback, called with the socket as `this`: what was read goes on as the socket's data. */
function pushCopy(this: Socket, bytes: number, buffer: Uint8Array): boolean {
  return this.push(Buffer.from(buffer.subarray(0, bytes)));
}
