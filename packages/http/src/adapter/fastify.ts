import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Handler } from '../handler.js';
import { handleNode } from '../node/bridge.js';

/** The part of a Fastify instance the plugin uses (typed structurally: no import of fastify). */
export interface FastifyInstanceLike {
  removeAllContentTypeParsers(): void;
  addContentTypeParser(type: string, parser: (request: unknown, payload: unknown, done: (error: Error | null, body?: unknown) => void) => void): void;
  all(path: string, handler: (request: { readonly raw: IncomingMessage }, reply: { readonly raw: ServerResponse; hijack(): void }) => Promise<void>): void;
}

/**
 * A Fastify plugin answering every route with the handler: `app.register(fastifyPlugin(handler))`.
 * Fastify's own body parsing is switched off in the plugin's scope so the handler reads the raw body.
 */
export function fastifyPlugin(handler: Handler): (instance: FastifyInstanceLike) => Promise<void> {
  return async (instance) => {
    instance.removeAllContentTypeParsers();
    instance.addContentTypeParser('*', (_request, _payload, done) => done(null));
    instance.all('/*', async (request, reply) => {
      reply.hijack();
      await handleNode(handler, request.raw, reply.raw).catch((error: unknown) => reply.raw.destroy(error as Error));
    });
  };
}
