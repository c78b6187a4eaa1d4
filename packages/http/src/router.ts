/** Path parameters of a matched route, already URL-decoded. */
export type Params = Readonly<Record<string, string>>;

/** One route: a method, a path template (`/v1/instances/:id/tasks`) and what answers it. */
export interface Route<T> {
  readonly method: string;
  readonly path: string;
  readonly run: T;
}

/** What a lookup found: a route with its parameters (a GET route for HEAD), a path known under other methods, or nothing. */
export type Match<T> =
  | { readonly kind: 'found'; readonly route: Route<T>; readonly params: Params }
  | { readonly kind: 'method'; readonly allowed: readonly string[] }
  | { readonly kind: 'none' };

/**
 * A small router. Segments are matched on the raw path and decoded afterwards, so an instance id
 * with an encoded "/" (`c1%2Fu01`) stays one segment.
 */
export function createRouter<T>(routes: readonly Route<T>[]): (method: string, pathname: string) => Match<T> {
  const compiled = routes.map((route) => ({ route, segments: route.path.split('/').slice(1) }));
  return (method, pathname) => {
    const raw = pathname.split('/').slice(1);
    const allowed: string[] = [];
    for (const { route, segments } of compiled) {
      const params = matchSegments(segments, raw);
      if (!params) continue;
      // HEAD is answered on every GET route, as GET without the body (RFC 9110 §9.3.2).
      if (route.method === method || (method === 'HEAD' && route.method === 'GET')) return { kind: 'found', route, params };
      allowed.push(route.method);
      if (route.method === 'GET') allowed.push('HEAD');
    }
    return allowed.length > 0 ? { kind: 'method', allowed } : { kind: 'none' };
  };
}

function matchSegments(template: readonly string[], raw: readonly string[]): Record<string, string> | undefined {
  if (template.length !== raw.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < template.length; i++) {
    const want = template[i] as string;
    const got = raw[i] as string;
    if (want.startsWith(':')) {
      if (got === '') return undefined;
      try {
        params[want.slice(1)] = decodeURIComponent(got);
      } catch {
        return undefined;
      }
    } else if (want !== got) return undefined;
  }
  return params;
}
