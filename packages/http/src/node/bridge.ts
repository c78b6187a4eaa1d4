import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { answeringOf, errorAnswer, refuseDeclared, type Answer, type Answering, type Incoming } from '../exchange.js';
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
 * `mount`, the handler sees `mount.url` and is told the prefix (see `HandlerContext`). A handler
 * `createHandler` made is answered from the Node request directly (`answerNode`); any other Fetch
 * handler through a `Request` and a `Response`.
 */
export async function handleNode(handler: Handler, req: IncomingMessage, res: ServerResponse, mount?: NodeMount): Promise<void> {
  const answering = answeringOf(handler);
  if (answering !== undefined) return answerNode(answering, req, res, mount);
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

/** Answers one Node request with the handler's answering function, building no Fetch `Request` or `Response`. */
export async function answerNode(answering: Answering, req: IncomingMessage, res: ServerResponse, mount?: NodeMount): Promise<void> {
  let url: URL;
  try {
    url = requestUrl(mount === undefined ? (req.url ?? '/') : mount.url);
  } catch (error) {
    if (!(error instanceof HttpError)) throw error;
    res.setHeader('connection', 'close');
    writeAnswer(errorAnswer(error), res);
    return;
  }
  const answer = await answering(fromNode(req, url), mount === undefined ? undefined : { basePath: mount.basePath });
  // A refused body (413) is left unread: close the connection rather than keep it alive half-read.
  if (!req.complete) res.setHeader('connection', 'close');
  writeAnswer(answer, res);
}

/** Writes an answer in one piece, its length declared. */
function writeAnswer(answer: Answer, res: ServerResponse): void {
  // HEAD's answer declares GET's length and has no body.
  res.writeHead(answer.status, { 'content-length': Buffer.byteLength(answer.body), ...answer.headers });
  res.end(answer.body);
}

/** A Node request as the handler reads it. */
function fromNode(req: IncomingMessage, url: URL): Incoming {
  const method = req.method ?? 'GET';
  const headers = req.headers;
  return {
    method,
    url,
    // Node joins repeated headers with ", " as `Headers.get` does (set-cookie, an array, is the answer's, not a request's).
    header: (name) => {
      const value = Object.hasOwn(headers, name) ? headers[name] : undefined;
      return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
    },
    readBody: (limit) => readNodeBody(req, limit),
    head: () => ({ method, url: url.href, headers: nodeHeaders(req) }),
  };
}

function nodeHeaders(req: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else if (value !== undefined) headers.set(name, value);
  }
  return headers;
}

/** The body of a Node request, refused past `limit` bytes (declared, or as it streams in: reading stops there). */
function readNodeBody(req: IncomingMessage, limit: number): Promise<Uint8Array> {
  const declared = req.headers['content-length'];
  refuseDeclared(declared === undefined ? null : declared, limit);
  // Read already by the host (a body parser mounted before the adapter): nothing is left to read.
  if (req.readableEnded) return Promise.resolve(new Uint8Array(0));
  if (req.destroyed) return Promise.reject(new Error('the request was closed before its body ended'));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.byteLength;
      if (size > limit) {
        stop();
        req.pause();
        reject(new HttpError('HTTP_BODY_TOO_LARGE', { limit }));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      stop();
      resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size));
    };
    const onError = (error: Error): void => {
      stop();
      reject(error);
    };
    // A client gone before the body ended (whether or not node:http reports it as an error).
    const onClose = (): void => {
      stop();
      reject(new Error('the request was closed before its body ended'));
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}
