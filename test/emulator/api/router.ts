import type { Exchange } from '../http/exchange';

export type Params = Record<string, string>;

export interface RouteMatch<R> {
  route: R;
  params: Params;
}

interface Compiled<R> {
  method: string;
  segments: string[];
  route: R;
}

export class DecodeError extends Error {}

/** Splits a raw path into percent-decoded segments (each decoded exactly once). */
export function pathSegments(rawPath: string): string[] {
  return rawPath
    .split('/')
    .slice(1)
    .map((segment) => {
      try {
        return decodeURIComponent(segment);
      } catch {
        throw new DecodeError(`bad percent-encoding in path segment ${segment}`);
      }
    });
}

/** Method + path-template routing (`/data/v1/projects/:projectId/items/:itemId`). */
export class Router<R extends { method: string; pattern: string }> {
  private readonly routes: Compiled<R>[] = [];

  add(route: R): void {
    this.routes.push({ method: route.method, segments: route.pattern.split('/').slice(1), route });
  }

  /** The route for the path, or 'method' when the path exists under another method. */
  match(exchange: Exchange): RouteMatch<R> | 'method' | undefined {
    const segments = pathSegments(exchange.path);
    let pathMatched = false;
    for (const compiled of this.routes) {
      if (compiled.segments.length !== segments.length) continue;
      const params: Params = {};
      let ok = true;
      for (let i = 0; i < segments.length && ok; i++) {
        const template = compiled.segments[i];
        if (template.startsWith(':')) {
          if (segments[i] === '') ok = false;
          else params[template.slice(1)] = segments[i];
        } else ok = template === segments[i];
      }
      if (!ok) continue;
      const method = exchange.method === 'HEAD' ? 'GET' : exchange.method;
      if (compiled.method === method) return { route: compiled.route, params };
      pathMatched = true;
    }
    return pathMatched ? 'method' : undefined;
  }
}
