import type { Exchange } from '../http/exchange';
import type { ApiContext } from './context';
import type { Principal, ScopeNeed } from './gateway';
import type { Params } from './router';

export interface ApiRoute {
  method: string;
  pattern: string;
  /** Stable name, used for rate-limit budgets and logs. */
  name: string;
  /** Token requirement; 'none' for OAuth endpoints and the control API. */
  scope: ScopeNeed | 'none';
  handle(exchange: Exchange, params: Params, ctx: ApiContext, principal: Principal | undefined): Promise<void> | void;
}

/** Narrows the principal for routes that declared a scope. */
export function principalOf(principal: Principal | undefined): Principal {
  if (!principal) throw new Error('route declared a scope but ran without a principal');
  return principal;
}
