import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { errorResponse, type Handler } from '../handler.js';
import { HttpError } from '../http-error.js';

/** Where a host mounted the API, for `handleNode`. */
export interface NodeMount {
  /** The prefix the host mounted the API under (`/luoshi`). */
  readonly basePath: string;
  /** The request target below `basePath` (`/v1/processes?x=1`): what the handler routes on. */
  readonly url: string;
}

/**
 * The URL of a request target, on a fixed origin. An origin-form target (`/v1/x?y`) is appended to
 * the origin, never resolved against it: `new URL('//x/v1/processes', base)` names the host `x` with
 * the path `/v1/processes`, so a target starting with `//` or `/\` reached a route it does not
 * spell. Appended, it keeps its leading `//`, which the handler refuses (400 HTTP_INVALID_TARGET).
 * An absolute-form target (`http://host/v1/x`, which servers must accept) gives its path and query.
 * Anything else (`*`, text no URL parser takes) is refused here.
 */
export function requestUrl(target: string): URL {
  try {
    if (target.startsWith('/')) return new URL(`http://localhost${target}`);
    if (/^https?:\/\//i.test(target)) {
      const absolute = new URL(target);
      return new URL(`http://localhost${absolute.pathname}${absolute.search}`);
    }
  } catch {
    // Falls through to the refusal.
  }
  throw new HttpError('HTTP_INVALID_TARGET', { target: target.slice(0, 200) });
}

/**
 * Builds a Fetch `Request` from a Node request, for `target` (default: `req.url`); the body is
 * streamed, not buffered. Throws HTTP_INVALID_TARGET for a target `requestUrl` refuses.
 */
export function toRequest(req: IncomingMessage, target: string = req.url ?? '/'): Request {
  const url = requestUrl(target);
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else if (value !== undefined) headers.set(name, value);
  }
  const method = req.method ?? 'GET';
  const hasBody = method !== 'GET' && method !== 'HEAD';
  const init: RequestInit & { duplex?: 'half' } = { method, headers };
  if (hasBody) {
    init.body = Readable.toWeb(req) as unknown as ReadableStream<Uint8Array>;
    init.duplex = 'half';
  }
  return new Request(url, init);
}

/** Writes a Fetch `Response` to a Node response. */
export async function writeResponse(response: Response, res: ServerResponse): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) headers['set-cookie'] = cookies;
  res.writeHead(response.status, headers);
  res.end(response.body ? Buffer.from(await response.arrayBuffer()) : undefined);
}

/**
 * The part of a request target below `prefix` (`/luoshi/v1/x?y` → `/v1/x?y`), or undefined when the
 * target is not under it. Only whole segments match: `/luoshix` is not under `/luoshi`.
 */
export function belowPrefix(target: string, prefix: string): string | undefined {
  const base = prefix.replace(/\/+$/, '');
  if (base === '') return target;
  if (!target.startsWith(base)) return undefined;
  const rest = target.slice(base.length);
  if (rest === '') return '/';
  if (rest.startsWith('/')) return rest;
  if (rest.startsWith('?')) return `/${rest}`;
  return undefined;
}

/**
 * Runs the handler for one Node request and writes its answer; what every adapter calls. With a
 * `mount`, the handler sees `mount.url` and is told the prefix (see `HandlerContext`).
 */
export async function handleNode(handler: Handler, req: IncomingMessage, res: ServerResponse, mount?: NodeMount): Promise<void> {
  let request: Request;
  try {
    request = toRequest(req, mount === undefined ? undefined : mount.url);
  } catch (error) {
    if (!(error instanceof HttpError)) throw error;
    res.setHeader('connection', 'close');
    await writeResponse(errorResponse(error), res);
    return;
  }
  const response = mount === undefined ? await handler(request) : await handler(request, { basePath: mount.basePath });
  // A refused body (413) is left unread: close the connection rather than keep it alive half-read.
  if (!req.complete) res.setHeader('connection', 'close');
  await writeResponse(response, res);
}
