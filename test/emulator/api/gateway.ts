import { choices, scopeRules, type ScopeNeed } from '../choices';
import type { AccessToken } from '../auth/tokens';
import type { Exchange } from '../http/exchange';
import type { Actor } from '../model/dataModel';
import type { ApiContext } from './context';
import { sendGatewayError } from './http';

export type { ScopeNeed };

export interface Principal {
  token: AccessToken;
  actor: Actor;
}

function scopeOk(scopes: string[], need: ScopeNeed, strict: boolean): boolean {
  const rule = scopeRules[need];
  return (strict ? rule.strict : rule.lenient).some((set) => set.every((scope) => scopes.includes(scope)));
}

/** Bearer-token check as the APS gateway does it; answers 401/403 itself and returns undefined then. */
export function authenticate(exchange: Exchange, ctx: ApiContext, need: ScopeNeed): Principal | undefined {
  const header = exchange.req.headers.authorization ?? '';
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  const g = choices.gateway;
  if (!match) {
    sendGatewayError(exchange, g.missingToken.status, g.missingToken.errorCode, g.missingToken.developerMessage);
    return undefined;
  }
  const token = ctx.tokens.accessToken(match[1]);
  if (!token || token.revoked) {
    sendGatewayError(exchange, g.invalidToken.status, g.invalidToken.errorCode, g.invalidToken.developerMessage);
    return undefined;
  }
  if (!(ctx.now() < token.expiresAt)) {
    sendGatewayError(exchange, g.expiredToken.status, g.expiredToken.errorCode, g.expiredToken.developerMessage);
    return undefined;
  }
  if (!scopeOk(token.scopes, need, ctx.options.switches.scopes === 'per-endpoint')) {
    sendGatewayError(exchange, g.insufficientScope.status, g.insufficientScope.errorCode, g.insufficientScope.developerMessage);
    return undefined;
  }
  const headerUser = exchange.req.headers['x-user-id'];
  const userId = token.userId ?? (typeof headerUser === 'string' && headerUser.trim() !== '' ? headerUser.trim() : undefined);
  return { token, actor: { clientId: token.clientId, userId, threeLegged: token.userId !== undefined } };
}
