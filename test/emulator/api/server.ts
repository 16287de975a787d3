import type { IncomingMessage, ServerResponse } from 'node:http';
import { oauthRoutes } from '../auth/oauthRoutes';
import { choices } from '../choices';
import { applyRequestFaults, beginExchange, retryAfterHeader, type Exchange } from '../http/exchange';
import type { ActiveFault } from '../faults/spec';
import type { ApiContext } from './context';
import { handleControl, type ControlDeps } from './controlRoutes';
import { dataRoutes } from './dataRoutes';
import { dataWriteRoutes } from './dataWriteRoutes';
import { derivativeRoutes } from './derivativeRoutes';
import { downloadRoutes } from './downloadRoutes';
import { exportRoutes } from './exportRoutes';
import { authenticate, type Principal } from './gateway';
import { sendDataError, sendGatewayError, sendJson } from './http';
import { ossRoutes } from './ossRoutes';
import { ossUploadRoutes } from './ossUploadRoutes';
import { projectRoutes } from './projectRoutes';
import type { ApiRoute } from './route';
import { DecodeError, Router } from './router';

/**
 * APS's gateway treats runs of slashes as one (Autodesk's own SDK sends `//authentication/v2/token`: it
 * joins a base URL that ends in '/' with paths that start with one). The request log keeps the raw path.
 */
export function normalizeApiPath(path: string): string {
  return path.replace(/\/{2,}/g, '/');
}

function isJsonApiPath(path: string): boolean {
  return path.startsWith('/data/') || path.startsWith('/project/');
}

function sendStatusFault(exchange: Exchange, ctx: ApiContext, fault: ActiveFault): void {
  const status = fault.status as number;
  const headers: Record<string, string> = {};
  const retryAfter = retryAfterHeader(fault, ctx.now());
  if (retryAfter !== undefined) headers['retry-after'] = retryAfter;
  if (fault.body !== undefined) {
    exchange.res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(fault.body), ...headers });
    exchange.res.end(fault.body);
    return;
  }
  if (status === 429) return sendJson(exchange, 429, choices.rateLimitBody, headers);
  if (isJsonApiPath(exchange.path) && status >= 400) {
    for (const [name, value] of Object.entries(headers)) exchange.res.setHeader(name, value);
    return sendDataError(exchange, status, `Injected fault: HTTP ${status}.`);
  }
  sendJson(exchange, status, { developerMessage: `Injected fault: HTTP ${status}.`, errorCode: '' }, headers);
}

export function apiHandler(ctx: ApiContext, control: ControlDeps) {
  const router = new Router<ApiRoute>();
  for (const route of [...oauthRoutes, ...projectRoutes, ...dataRoutes, ...downloadRoutes, ...ossRoutes, ...exportRoutes, ...derivativeRoutes]) router.add(route);
  for (const route of [...dataWriteRoutes, ...ossUploadRoutes]) router.add(route);

  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const exchange = beginExchange('api', req, res, ctx);
    exchange.path = normalizeApiPath(exchange.path);
    try {
      if (exchange.path === '/__emulator' || exchange.path.startsWith('/__emulator/')) return await handleControl(exchange, control);
      const fault = await applyRequestFaults(exchange, ctx, ctx.options.latencyMs, ctx.options.jitterMs);
      if (exchange.isClosed()) return;
      if (fault) return sendStatusFault(exchange, ctx, fault);

      let match;
      try {
        match = router.match(exchange);
      } catch (error) {
        if (error instanceof DecodeError) return isJsonApiPath(exchange.path) ? sendDataError(exchange, 400, error.message) : sendJson(exchange, 400, { developerMessage: error.message });
        throw error;
      }
      if (match === undefined) {
        return isJsonApiPath(exchange.path)
          ? sendDataError(exchange, 404, `No such resource: ${exchange.path}`)
          : sendGatewayError(exchange, 404, '', 'The requested resource does not exist.');
      }
      if (match === 'method') return sendGatewayError(exchange, 405, '', `Method ${exchange.method} is not allowed on ${exchange.path}.`);

      const { route, params } = match;
      let principal: Principal | undefined;
      if (route.scope !== 'none') {
        principal = authenticate(exchange, ctx, route.scope);
        if (!principal) return;
      }
      const wait = ctx.rateLimiter?.check(principal?.token.clientId ?? 'anonymous', route.name) ?? 0;
      if (wait > 0) return sendJson(exchange, 429, choices.rateLimitBody, { 'retry-after': String(wait) });
      await route.handle(exchange, params, ctx, principal);
    } catch (error) {
      ctx.log(`api error on ${exchange.method} ${exchange.path}: ${(error as Error).stack ?? String(error)}`);
      if (!res.headersSent) sendJson(exchange, 500, { developerMessage: 'Internal error in the APS emulator.', errorCode: '' });
      else res.destroy();
    }
  };
}
