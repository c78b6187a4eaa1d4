import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Handler } from '../handler.js';
import { belowPrefix, handleNode } from '../node/bridge.js';

/** The part of a Fastify instance the plugin uses (typed structurally: no import of fastify). */
export interface FastifyInstanceLike {
  /** The prefix the plugin was registered with (`{ prefix: '/luoshi' }`), `''` without one. */
  readonly prefix?: string;
  removeAllContentTypeParsers(): void;
  addContentTypeParser(type: string, parser: (request: unknown, payload: unknown, done: (error: Error | null, body?: unknown) => void) => void): void;
  all(path: string, handler: (request: { readonly raw: IncomingMessage }, reply: { readonly raw: ServerResponse; hijack(): void }) => Promise<void>): void;
}

/**
 * A Fastify plugin answering every route with the handler: `app.register(fastifyPlugin(handler))`,
 * or `app.register(fastifyPlugin(handler), { prefix: '/luoshi' })`. Fastify's own body parsing is
 * switched off in the plugin's scope so the handler reads the raw body.
 */
export function fastifyPlugin(handler: Handler): (instance: FastifyInstanceLike) => Promise<void> {
  return async (instance) => {
    const prefix = instance.prefix ?? '';
    instance.removeAllContentTypeParsers();
    instance.addContentTypeParser('*', (_request, _payload, done) => done(null));
    instance.all('/*', async (request, reply) => {
      reply.hijack();
      // Fastify routes on the prefix but leaves it in the raw URL, which the handler routes on.
      const target = request.raw.url ?? '/';
      const below = prefix === '' ? undefined : belowPrefix(target, prefix);
      const mount = below === undefined ? undefined : { basePath: prefix, url: below };
      await handleNode(handler, request.raw, reply.raw, mount).catch((error: unknown) => reply.raw.destroy(error as Error));
    });
  };
}
