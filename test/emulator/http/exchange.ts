import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Faults } from '../faults/controller';
import type { ActiveFault, FaultOrigin } from '../faults/spec';
import { redactQuery, type RecordedRequest, type Requests } from '../requestLog';

/** One request/response pair with what every handler needs. */
export interface Exchange {
  req: IncomingMessage;
  res: ServerResponse;
  origin: FaultOrigin;
  method: string;
  /** Raw (percent-encoded) path without the query. */
  path: string;
  query: URLSearchParams;
  record: RecordedRequest;
  /** Resolves when the response finished or the connection closed. */
  closed: Promise<void>;
  isClosed(): boolean;
  /** reset/stall/loseAnswer faults picked at request start, applied when the body is written. */
  bodyFault?: ActiveFault;
  onResponse?: (response: SentResponse) => void;
}

/** A whole response the emulator wrote in one piece (JSON, HTML, XML errors; not streamed object bytes). */
export interface SentResponse {
  origin: FaultOrigin;
  method: string;
  /** As routed (runs of slashes taken as one on the API origin). */
  path: string;
  status: number;
  headers: Record<string, string | number | string[]>;
  body: Buffer;
}

export interface ExchangeDeps {
  requests: Requests;
  faults: Faults;
  now: () => number;
  random: () => number;
  log: (line: string) => void;
  /** Sees every response sendBody writes (EmulatorOptions.onResponse). */
  onResponse?: (response: SentResponse) => void;
}

export function beginExchange(origin: FaultOrigin, req: IncomingMessage, res: ServerResponse, deps: ExchangeDeps): Exchange {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  const query = new URLSearchParams(q < 0 ? '' : url.slice(q + 1));
  const headerNames = [...new Set(req.rawHeaders.filter((_, i) => i % 2 === 0).map((name) => name.toLowerCase()))];
  const record = deps.requests.add({
    origin,
    method: req.method ?? 'GET',
    path,
    query: redactQuery(query),
    headerNames,
    hadAuthorization: req.headers.authorization !== undefined,
    status: 0,
    ...(origin === 'storage' && typeof req.headers.range === 'string' ? { range: req.headers.range } : {}),
    ...(typeof req.headers['x-user-id'] === 'string' ? { userId: req.headers['x-user-id'] } : {}),
    time: deps.now(),
    ...(req.socket.remotePort !== undefined ? { clientPort: req.socket.remotePort } : {}),
  });
  let closedFlag = false;
  const closed = new Promise<void>((resolve) => {
    const done = () => {
      if (closedFlag) return;
      closedFlag = true;
      if (res.headersSent) record.status = res.statusCode;
      deps.log(`${origin} ${record.method} ${path} -> ${record.status || 'cut'}`);
      resolve();
    };
    res.once('finish', done);
    res.once('close', done);
  });
  const originalWriteHead = res.writeHead.bind(res);
  res.writeHead = ((...args: Parameters<ServerResponse['writeHead']>) => {
    record.status = args[0];
    return originalWriteHead(...args);
  }) as ServerResponse['writeHead'];
  return { req, res, origin, method: record.method, path, query, record, closed, isClosed: () => closedFlag, onResponse: deps.onResponse };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Applies latency and holds, and picks reset/stall faults; returns a status fault if one applies. */
export async function applyRequestFaults(exchange: Exchange, deps: ExchangeDeps, baseLatencyMs = 0, baseJitterMs = 0): Promise<ActiveFault | undefined> {
  const context = { origin: exchange.origin, method: exchange.method, path: exchange.path };
  let delay = baseLatencyMs + (baseJitterMs > 0 ? deps.random() * baseJitterMs : 0);
  const latency = deps.faults.take('latency', context);
  if (latency) delay += (latency.latencyMs ?? 0) + (latency.jitterMs ? deps.random() * latency.jitterMs : 0);
  if (delay > 0) await Promise.race([sleep(delay), exchange.closed]);
  const hold = deps.faults.take('hold', context);
  if (hold) await Promise.race([deps.faults.released(hold.id), exchange.closed]);
  const status = deps.faults.take('status', context);
  if (status) return status;
  exchange.bodyFault = deps.faults.take('reset', context) ?? deps.faults.take('stall', context) ?? (exchange.origin === 'api' ? deps.faults.take('loseAnswer', context) : undefined);
  return undefined;
}

export function retryAfterHeader(fault: ActiveFault, now: number): string | undefined {
  if (fault.retryAfter === undefined) return undefined;
  if (fault.retryAfter === 'http-date') return new Date(now + (fault.retryAfterSeconds ?? 2) * 1000).toUTCString();
  return String(Math.max(0, Math.round(fault.retryAfter)));
}

/**
 * Writes head and body, honouring a reset/stall fault: after `afterBytes` body bytes the socket is
 * reset, or left open with nothing more sent.
 */
export function sendBody(exchange: Exchange, status: number, headers: Record<string, string | number | string[]>, body: Buffer | string): void {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  const { res } = exchange;
  exchange.onResponse?.({ origin: exchange.origin, method: exchange.method, path: exchange.path, status, headers, body: bytes });
  const fault = exchange.bodyFault;
  if (!headers['content-length'] && !headers['Content-Length']) headers['content-length'] = bytes.length;
  if (!fault) {
    res.writeHead(status, headers);
    res.end(exchange.method === 'HEAD' ? undefined : bytes);
    return;
  }
  // With afterBytes 0 nothing is sent at all: the connection resets, or hangs, before the status line.
  const after = Math.min(fault.afterBytes ?? 0, bytes.length);
  if (after > 0) {
    res.writeHead(status, headers);
    res.write(bytes.subarray(0, after));
  }
  cutOrStall(exchange, fault);
}

export function cutOrStall(exchange: Exchange, fault: ActiveFault): void {
  const socket = exchange.res.socket;
  if (fault.kind === 'stall') {
    if (exchange.res.headersSent) exchange.res.flushHeaders();
    return;
  }
  if (socket && typeof (socket as { resetAndDestroy?: () => void }).resetAndDestroy === 'function') {
    // Flush what was written, then RST.
    socket.write('', () => (socket as unknown as { resetAndDestroy(): void }).resetAndDestroy());
  } else {
    exchange.res.destroy();
  }
}
