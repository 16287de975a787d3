/** Loopback-only runtime control: faults, request log, clock, tokens, objects. Not part of APS. */
import type { Exchange } from '../http/exchange';
import { FaultSpecError } from '../faults/controller';
import type { FaultSpec } from '../faults/spec';
import type { RequestFilter } from '../requestLog';
import { readJson, sendEmpty, sendJson } from './http';
import type { Params } from './router';
import { Router } from './router';

export interface ControlDeps {
  addFault(spec: FaultSpec): string;
  removeFault(id: string): boolean;
  clearFaults(): void;
  listFaults(): unknown[];
  listRequests(filter: RequestFilter): unknown[];
  clearRequests(): void;
  advanceClock(ms: number): void;
  expireTokens(): void;
  addObject(spec: unknown): Promise<unknown>;
  addFolder(spec: unknown): unknown;
  addFile(spec: unknown): unknown;
  addVersion(spec: unknown): unknown;
  replaceObject(bucketKey: string, objectKey: string, change: { size?: number; seed?: number }): Promise<unknown>;
  describe(): unknown;
}

interface ControlRoute {
  method: string;
  pattern: string;
  handle(exchange: Exchange, params: Params, deps: ControlDeps): Promise<void> | void;
}

function isLoopback(address: string | undefined): boolean {
  return address !== undefined && (/^(::ffff:)?127\./.test(address) || address === '::1');
}

async function jsonBody(exchange: Exchange): Promise<unknown> {
  const body = await readJson(exchange);
  if (!body.ok) throw new FaultSpecError(`malformed JSON: ${body.error}`);
  return body.value;
}

const routes: ControlRoute[] = [
  {
    method: 'POST', pattern: '/__emulator/faults',
    async handle(exchange, _params, deps) {
      const body = await jsonBody(exchange);
      if (Array.isArray(body)) return sendJson(exchange, 201, { ids: body.map((spec) => deps.addFault(spec as FaultSpec)) });
      sendJson(exchange, 201, { id: deps.addFault(body as FaultSpec) });
    },
  },
  { method: 'GET', pattern: '/__emulator/faults', handle: (exchange, _params, deps) => sendJson(exchange, 200, deps.listFaults()) },
  {
    method: 'DELETE', pattern: '/__emulator/faults',
    handle(exchange, _params, deps) {
      deps.clearFaults();
      sendEmpty(exchange, 204);
    },
  },
  {
    method: 'DELETE', pattern: '/__emulator/faults/:id',
    handle(exchange, params, deps) {
      sendEmpty(exchange, deps.removeFault(params.id) ? 204 : 404);
    },
  },
  {
    method: 'GET', pattern: '/__emulator/requests',
    handle(exchange, _params, deps) {
      const filter: RequestFilter = {};
      const origin = exchange.query.get('origin');
      if (origin === 'api' || origin === 'storage') filter.origin = origin;
      if (exchange.query.get('method')) filter.method = exchange.query.get('method') as string;
      if (exchange.query.get('path')) filter.path = exchange.query.get('path') as string;
      sendJson(exchange, 200, deps.listRequests(filter));
    },
  },
  {
    method: 'DELETE', pattern: '/__emulator/requests',
    handle(exchange, _params, deps) {
      deps.clearRequests();
      sendEmpty(exchange, 204);
    },
  },
  {
    method: 'POST', pattern: '/__emulator/clock/advance',
    async handle(exchange, _params, deps) {
      const body = (await jsonBody(exchange)) as { ms?: unknown } | undefined;
      if (typeof body?.ms !== 'number' || !(body.ms >= 0)) throw new FaultSpecError('body must be {"ms": <non-negative number>}');
      deps.advanceClock(body.ms);
      sendEmpty(exchange, 204);
    },
  },
  {
    method: 'POST', pattern: '/__emulator/tokens/expire',
    handle(exchange, _params, deps) {
      deps.expireTokens();
      sendEmpty(exchange, 204);
    },
  },
  {
    method: 'POST', pattern: '/__emulator/objects',
    async handle(exchange, _params, deps) {
      sendJson(exchange, 201, await deps.addObject(await jsonBody(exchange)));
    },
  },
  {
    method: 'POST', pattern: '/__emulator/folders',
    async handle(exchange, _params, deps) {
      sendJson(exchange, 201, deps.addFolder(await jsonBody(exchange)));
    },
  },
  {
    method: 'POST', pattern: '/__emulator/files',
    async handle(exchange, _params, deps) {
      sendJson(exchange, 201, deps.addFile(await jsonBody(exchange)));
    },
  },
  {
    method: 'POST', pattern: '/__emulator/versions',
    async handle(exchange, _params, deps) {
      sendJson(exchange, 201, deps.addVersion(await jsonBody(exchange)));
    },
  },
  {
    method: 'POST', pattern: '/__emulator/objects/replace',
    async handle(exchange, _params, deps) {
      const body = (await jsonBody(exchange)) as { bucketKey?: string; objectKey?: string; size?: number; seed?: number } | undefined;
      if (!body?.bucketKey || !body.objectKey) throw new FaultSpecError('body must name bucketKey and objectKey');
      sendJson(exchange, 200, await deps.replaceObject(body.bucketKey, body.objectKey, { size: body.size, seed: body.seed }));
    },
  },
  { method: 'GET', pattern: '/__emulator', handle: (exchange, _params, deps) => sendJson(exchange, 200, deps.describe()) },
];

const router = new Router<ControlRoute>();
for (const route of routes) router.add(route);

export async function handleControl(exchange: Exchange, deps: ControlDeps): Promise<void> {
  if (!isLoopback(exchange.req.socket.remoteAddress)) return sendJson(exchange, 403, { error: 'the control API is loopback-only' });
  const match = router.match(exchange);
  if (match === undefined) return sendJson(exchange, 404, { error: `no control route ${exchange.path}` });
  if (match === 'method') return sendJson(exchange, 405, { error: `${exchange.method} not allowed on ${exchange.path}` });
  try {
    await match.route.handle(exchange, match.params, deps);
  } catch (error) {
    if (error instanceof FaultSpecError || error instanceof TypeError || error instanceof RangeError) return sendJson(exchange, 400, { error: (error as Error).message });
    if (error instanceof Error && /^no object /.test(error.message)) return sendJson(exchange, 404, { error: error.message });
    throw error;
  }
}
