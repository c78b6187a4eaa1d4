import { LuoshiError } from '@luoshi/dsl';
import type { ErrorBody } from './api-types.js';
import { HttpError } from './http-error.js';
import { statusCodes, type HttpCode } from './status-codes.js';

/**
 * 请求与应答 — one request as the handler reads it and the answer it gives, whatever carried them:
 * a Fetch `Request` (the `Handler` itself) or a Node `IncomingMessage` (the node:http, Express and
 * Fastify adapters). The adapters build no Fetch objects for Luoshi's own handler: a `Request`, its
 * body stream and its `Response` cost more than the engine's step over HTTP on Node 20 (undici's
 * objects, an `AbortSignal` each), so the Node bridge reads the socket's message directly.
 */
export interface Incoming {
  readonly method: string;
  /** The request target below any mount prefix, on a fixed origin (`http://localhost/v1/…?…`). */
  readonly url: URL;
  /** A header's value (the name in lower case), as `Headers.get` gives it; null when absent. */
  header(name: string): string | null;
  /**
   * The whole body, refused (HTTP_BODY_TOO_LARGE) past `limit` bytes, declared or streamed; read at
   * most once, and only after the caller is authorised.
   */
  readBody(limit: number): Promise<Uint8Array>;
  /** What the host's `authenticate` receives: the Fetch request itself, or its method, URL and headers. */
  head(): RequestHead;
}

/**
 * 请求头 — what the host's `authenticate` decides from: the request's method, URL and headers. A
 * Fetch `Request` is one (the `Handler` passes the request itself); the Node adapters pass these
 * three alone, since a `Request` (with its `AbortSignal`) cost more than the rest of the adapter. The
 * body is not here: the handler reads it after authorising.
 */
export interface RequestHead {
  readonly method: string;
  /** The request's URL (over the Node adapters, on the origin `http://localhost`). */
  readonly url: string;
  readonly headers: Headers;
}

/** What the handler answers: a status, its headers and the JSON text. */
export interface Answer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** Answers one request; what `createHandler` builds, under the Fetch handler it returns. */
export type Answering = (incoming: Incoming, context: { readonly basePath?: string } | undefined) => Promise<Answer>;

/**
 * The answering function under each handler `createHandler` made, for the Node bridge to call
 * without Fetch objects. Keyed by the handler (a handler made elsewhere is answered through Fetch).
 */
const answeringOfHandler = new WeakMap<object, Answering>();

/** Notes what answers under `handler`. */
export function registerAnswering(handler: object, answering: Answering): void {
  answeringOfHandler.set(handler, answering);
}

/** What answers under `handler`, when `createHandler` made it. */
export function answeringOf(handler: object): Answering | undefined {
  return answeringOfHandler.get(handler);
}

const JSON_TYPE = 'application/json; charset=utf-8';

/** A JSON answer. */
export function jsonAnswer(status: number, body: unknown, headers?: Readonly<Record<string, string>>): Answer {
  return { status, headers: headers === undefined ? { 'content-type': JSON_TYPE } : { 'content-type': JSON_TYPE, ...headers }, body: JSON.stringify(body) };
}

/** A JSON answer whose text is already made (the OpenAPI document, serialised once per mount). */
export function textAnswer(status: number, body: string): Answer {
  return { status, headers: { 'content-type': JSON_TYPE }, body };
}

/**
 * 稍后重试 — the seconds a 503 (STORE_UNAVAILABLE) asks a client to wait before trying again
 * (`Retry-After`). The store has already kept trying for about 2 s before giving up (a PostgreSQL
 * failover, a server restarting), so a client retrying at once would meet the same outage.
 */
export const RETRY_AFTER_SECONDS = 5;

/** Turns any thrown value into the error JSON with the status of its code. */
export function errorAnswer(error: unknown): Answer {
  if (error instanceof LuoshiError && Object.hasOwn(statusCodes, error.code)) {
    const extra = error instanceof HttpError ? error.extra : {};
    const { allow, ...rest } = extra as { allow?: string } & Record<string, unknown>;
    const body: ErrorBody = { code: error.code, message: { zh: error.messages.zh, en: error.messages.en }, details: error.details, ...rest };
    const status = statusCodes[error.code as HttpCode];
    const headers = { ...(allow ? { allow } : {}), ...(status === 503 ? { 'retry-after': String(RETRY_AFTER_SECONDS) } : {}) };
    return jsonAnswer(status, body, Object.keys(headers).length > 0 ? headers : undefined);
  }
  const body: ErrorBody = { code: 'HTTP_INTERNAL', message: { zh: '服务器内部错误', en: 'Internal server error' }, details: {} };
  return jsonAnswer(500, body);
}

/**
 * The answer to HEAD: GET's status and headers, its length declared (`content-length`, the GET
 * body's bytes) and no body (RFC 9110 §9.3.2).
 */
export function withoutBody(answer: Answer): Answer {
  return { status: answer.status, headers: { ...answer.headers, 'content-length': String(new TextEncoder().encode(answer.body).byteLength) }, body: '' };
}

/** The Fetch `Response` of an answer (none for HEAD's, which has no body). */
export function toResponse(answer: Answer): Response {
  return new Response(answer.body === '' ? null : answer.body, { status: answer.status, headers: answer.headers });
}

/** Refuses a body whose declared length is over the limit, before reading any of it. */
export function refuseDeclared(contentLength: string | null, limit: number): void {
  if (Number(contentLength ?? NaN) > limit) throw new HttpError('HTTP_BODY_TOO_LARGE', { limit });
}

/** A Fetch request as the handler reads it. */
export function fromRequest(request: Request): Incoming {
  return {
    method: request.method,
    url: new URL(request.url),
    header: (name) => request.headers.get(name),
    readBody: async (limit) => {
      refuseDeclared(request.headers.get('content-length'), limit);
      const chunks: Uint8Array[] = [];
      let size = 0;
      if (request.body) {
        const reader = request.body.getReader();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          size += value.byteLength;
          if (size > limit) {
            await reader.cancel().catch(() => undefined);
            throw new HttpError('HTTP_BODY_TOO_LARGE', { limit });
          }
          chunks.push(value);
        }
      }
      return chunks.length === 1 ? (chunks[0] as Uint8Array) : concat(chunks, size);
    },
    head: () => request,
  };
}

/** Parses a body as JSON: strict UTF-8 (a byte that is no UTF-8 is refused, not replaced by U+FFFD), not empty. */
export function parseJson(bytes: Uint8Array): unknown {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new HttpError('HTTP_INVALID_JSON', { detail: 'the body is not valid UTF-8' });
  }
  if (text.trim() === '') throw new HttpError('HTTP_INVALID_JSON', { detail: 'the body is empty' });
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new HttpError('HTTP_INVALID_JSON', { detail: (error as Error).message });
  }
}

export function concat(chunks: readonly Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}
