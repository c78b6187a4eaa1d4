import { once } from 'node:events';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expressMiddleware, fastifyPlugin, toNodeListener, type Handler } from '@luoshi/http';
import express from 'express';
import Fastify from 'fastify';

/** A host started on 127.0.0.1, port 0: its base URL and how to stop it. */
export interface Host {
  readonly base: string;
  close(): Promise<void>;
}

async function listening(server: Server): Promise<Host> {
  if (!server.listening) await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}

/** The three Node hosts, each serving the handler at its root. */
export const hosts: Readonly<Record<string, (handler: Handler) => Promise<Host>>> = {
  'node:http': (handler) => listening(createServer(toNodeListener(handler)).listen(0, '127.0.0.1')),
  Express: (handler) => {
    const app = express();
    app.use(expressMiddleware(handler));
    return listening(app.listen(0, '127.0.0.1'));
  },
  Fastify: async (handler) => {
    const app = Fastify();
    await app.register(fastifyPlugin(handler));
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    return { base, close: () => app.close() };
  },
};

/** The hosts mounting the handler under `/luoshi`. */
export const prefixedHosts: Readonly<Record<string, (handler: Handler) => Promise<Host>>> = {
  "Express (app.use('/luoshi', …))": (handler) => {
    const app = express();
    app.use('/luoshi', expressMiddleware(handler));
    return listening(app.listen(0, '127.0.0.1'));
  },
  "Fastify ({ prefix: '/luoshi' })": async (handler) => {
    const app = Fastify();
    await app.register(fastifyPlugin(handler), { prefix: '/luoshi' });
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    return { base, close: () => app.close() };
  },
};

/**
 * Sends a request with the request target exactly as given (`//v1/processes`, `/\v1/x`): fetch
 * would normalise such a target before sending it. Answers the status and the body as text.
 */
export function rawRequest(
  base: string,
  method: string,
  target: string,
  options: { headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<{ status: number; text: string }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ hostname, port, method, path: target, headers: options.headers ?? {} }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}
