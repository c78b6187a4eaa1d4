import { once } from 'node:events';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { sampleOrganisation } from '@luoshi/engine';
import { belowPrefix, createHandler, expressMiddleware, fastifyPlugin, toNodeListener, type Handler, type RequestHead } from '@luoshi/http';
import express from 'express';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { handlerWith, processFiles } from './support.js';

/** A host started on 127.0.0.1, port 0: its base URL and how to stop it. */
interface Host {
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

const hosts: Record<string, (handler: Handler) => Promise<Host>> = {
  'node:http': (handler) => listening(createServer(toNodeListener(handler)).listen(0, '127.0.0.1')),
  // A handler createHandler did not make (here one wrapping it) is answered through a Request and a Response.
  'node:http (a Fetch handler of the host)': (handler) =>
    listening(createServer(toNodeListener((request, context) => handler(request, context))).listen(0, '127.0.0.1')),
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

/** A chunked upload (no Content-Length) through a plain node:http client. */
function upload(base: string, path: string, body: Buffer): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const url = new URL(path, base);
    const req = httpRequest(url, { method: 'POST', headers: { authorization: 'Bearer office', 'transfer-encoding': 'chunked' } }, (res) => {
      let data = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (data += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(data) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe.each(Object.keys(hosts))('the %s adapter on a real server', (name) => {
  it('starts a campaign, posts an event and reads the state back', async () => {
    const { handler } = handlerWith();
    const host = await hosts[name]!(handler);
    try {
      const send = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
        const response = await fetch(`${host.base}${path}`, {
          method,
          headers: { authorization: 'Bearer office', ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
        return { status: response.status, body: await response.json(), headers: response.headers };
      };
      expect((await send('POST', '/v1/processes', { files: processFiles() })).status).toBe(201);
      const started = await send('POST', '/v1/campaigns', { process: '机关作风建设年', organisation: sampleOrganisation(1, 1), campaignId: 'c1' });
      expect(started.status).toBe(201);
      expect(started.body.instances).toHaveLength(2);

      const event = { type: 'task.completed', task: '支部组织动员' };
      const sent = await send('POST', '/v1/instances/c1%2Fu01/events', event, { authorization: 'Bearer branch', 'idempotency-key': 'k1' });
      expect(sent.status).toBe(200);
      expect(sent.body).toMatchObject({ instanceId: 'c1/u01', revision: 2, duplicate: false });
      const again = await send('POST', '/v1/instances/c1%2Fu01/events', event, { authorization: 'Bearer branch', 'idempotency-key': 'k1' });
      expect(again.body.duplicate).toBe(true);

      const state = await send('GET', '/v1/instances/c1%2Fu01');
      expect(state.status).toBe(200);
      expect(state.body).toMatchObject({ instanceId: 'c1/u01', revision: 2 });
      expect(state.headers.get('content-type')).toMatch(/application\/json/);

      const bad = await send('POST', '/v1/instances/c1%2Fu01/events', undefined, { 'content-type': 'application/json' });
      expect(bad.status).toBe(400);
      const big = await upload(host.base, '/v1/campaigns', Buffer.alloc(2 * 1024 * 1024, 'x'));
      expect(big).toMatchObject({ status: 413, body: { code: 'HTTP_BODY_TOO_LARGE' } });
      expect((await fetch(`${host.base}/openapi.json`)).status).toBe(200);
      expect((await fetch(`${host.base}/v1/instances/c1%2Fu01`)).status).toBe(401);
    } finally {
      await host.close();
    }
  });
});

const prefixedHosts: Record<string, (handler: Handler) => Promise<Host>> = {
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

describe.each(Object.keys(prefixedHosts))('the %s adapter mounted under /luoshi on a real server', (name) => {
  it('routes below the prefix, answers 404 with the asked path, and names the prefix in the OpenAPI servers', async () => {
    const { handler } = handlerWith();
    const host = await prefixedHosts[name]!(handler);
    try {
      const auth = { authorization: 'Bearer office' };
      const deployed = await fetch(`${host.base}/luoshi/v1/processes`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ files: processFiles() }),
      });
      expect(deployed.status).toBe(201);
      const started = await fetch(`${host.base}/luoshi/v1/campaigns`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ process: '机关作风建设年', organisation: sampleOrganisation(1, 1), campaignId: 'c1' }),
      });
      expect(started.status).toBe(201);
      const state = await fetch(`${host.base}/luoshi/v1/instances/c1%2Fu01?x=1`, { headers: auth });
      expect(state.status).toBe(200);
      expect(await state.json()).toMatchObject({ instanceId: 'c1/u01', revision: 1 });

      const missing = await fetch(`${host.base}/luoshi/v1/nothing`, { headers: auth });
      expect(missing.status).toBe(404);
      expect(await missing.json()).toMatchObject({ code: 'HTTP_NOT_FOUND', details: { path: '/luoshi/v1/nothing' } });
      const wrongMethod = await fetch(`${host.base}/luoshi/openapi.json`, { method: 'DELETE' });
      expect(wrongMethod.status).toBe(405);
      expect(await wrongMethod.json()).toMatchObject({ details: { path: '/luoshi/openapi.json' } });
      // Outside the mount point the host answers, not Luoshi.
      const outside = await fetch(`${host.base}/v1/instances/c1%2Fu01`, { headers: auth });
      expect(outside.status).toBe(404);
      expect(await outside.text()).not.toContain('HTTP_NOT_FOUND');

      const document = (await (await fetch(`${host.base}/luoshi/openapi.json`)).json()) as { servers?: { url: string }[]; paths: Record<string, unknown> };
      expect(document.servers?.map((s) => s.url)).toEqual(['/luoshi']);
      expect(Object.keys(document.paths)).toContain('/v1/instances/{id}');
      // The server URL resolved against the document's own URL gives the mounted API.
      const server = new URL(document.servers![0]!.url, `${host.base}/luoshi/openapi.json`);
      expect((await fetch(`${server.href}/v1/instances/c1%2Fu01`, { headers: auth })).status).toBe(200);
    } finally {
      await host.close();
    }
  });
});

describe('the OpenAPI document at the root', () => {
  it('names the root as its server when the API is not mounted under a prefix', async () => {
    const { handler } = handlerWith();
    // "/" is what OpenAPI assumes without servers; written out, linters and generators need not guess.
    const document = (await (await handler(new Request('http://localhost/openapi.json'))).json()) as { servers?: { url: string }[] };
    expect(document.servers?.map((s) => s.url)).toEqual(['/']);
    const mounted = (await (await handler(new Request('http://localhost/openapi.json'), { basePath: '/api/luoshi/' })).json()) as { servers?: { url: string }[] };
    expect(mounted.servers?.map((s) => s.url)).toEqual(['/api/luoshi']);
  });
});

describe('the Node adapters without Fetch objects', () => {
  it('give authenticate the method, the URL and the headers (a Fetch host its Request), and read the body after it', async () => {
    const { engine } = handlerWith();
    const seen: RequestHead[] = [];
    const handler = createHandler({
      engine,
      authenticate: async (request) => {
        seen.push(request);
        return request.headers.get('authorization') === 'Bearer admin' ? { id: '管理员甲', roles: ['管理员'] } : undefined;
      },
    });
    const host = await listening(createServer(toNodeListener(handler)).listen(0, '127.0.0.1'));
    try {
      const response = await fetch(`${host.base}/v1/processes?x=1`, { headers: { authorization: 'Bearer admin', 'x-tenant': 'a' } });
      expect(response.status).toBe(200);
      const head = seen[0]!;
      expect(head).not.toBeInstanceOf(Request);
      expect({ method: head.method, url: head.url, tenant: head.headers.get('x-tenant') }).toEqual({ method: 'GET', url: 'http://localhost/v1/processes?x=1', tenant: 'a' });
      // Not authenticated: the body is never read, the answer is 401.
      expect((await upload(host.base, '/v1/campaigns', Buffer.from('{}'))).status).toBe(401);
    } finally {
      await host.close();
    }
    const fetched = new Request('http://localhost/v1/processes', { headers: { authorization: 'Bearer admin' } });
    expect((await handler(fetched)).status).toBe(200);
    expect(seen.at(-1)).toBe(fetched);
  });

  it('when a client goes away before its body ended, then the request fails to onError and the server goes on', async () => {
    const { engine } = handlerWith();
    let failed: (error: unknown) => void = () => undefined;
    const failure = new Promise<unknown>((resolve) => (failed = resolve));
    let arrived: () => void = () => undefined;
    const arrival = new Promise<void>((resolve) => (arrived = resolve));
    const handler = createHandler({
      engine,
      authenticate: async () => {
        arrived();
        return { id: '管理员甲', roles: ['管理员'] };
      },
      onError: (error) => failed(error),
    });
    const host = await listening(createServer(toNodeListener(handler)).listen(0, '127.0.0.1'));
    try {
      const { port } = new URL(host.base);
      const socket = connect(Number(port), '127.0.0.1');
      await once(socket, 'connect');
      // 100 bytes declared, 10 sent, then gone.
      socket.write('POST /v1/campaigns HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"process"');
      await arrival;
      socket.destroy();
      expect(String(await failure)).toMatch(/aborted|closed before its body ended/);
      expect((await fetch(`${host.base}/openapi.json`)).status).toBe(200);
    } finally {
      await host.close();
    }
  });
});

describe('belowPrefix', () => {
  it('cuts whole segments only', () => {
    expect(belowPrefix('/luoshi/v1/x?y=1', '/luoshi')).toBe('/v1/x?y=1');
    expect(belowPrefix('/luoshi', '/luoshi/')).toBe('/');
    expect(belowPrefix('/luoshi?y=1', '/luoshi')).toBe('/?y=1');
    expect(belowPrefix('/luoshix/v1', '/luoshi')).toBeUndefined();
    expect(belowPrefix('/other', '/luoshi')).toBeUndefined();
    expect(belowPrefix('/v1', '')).toBe('/v1');
  });
});
