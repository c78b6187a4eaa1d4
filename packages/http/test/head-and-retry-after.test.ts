import { EngineError, sampleOrganisation } from '@luoshi/engine';
import { RETRY_AFTER_SECONDS } from '@luoshi/http';
import { afterEach, describe, expect, it } from 'vitest';
import { hosts, type Host } from './hosts.js';
import { call, document, enc, handlerWith, processFiles } from './support.js';

/*
 * HEAD (RFC 9110 §9.3.2): answered on every GET route as GET answers — the same status and headers,
 * its Content-Length the GET body's — with no body; a route without GET answers 405 and its Allow.
 * 503 (STORE_UNAVAILABLE) says when to try again: Retry-After, in seconds, in the answer and in the
 * OpenAPI document of every operation.
 */

async function started() {
  const setup = handlerWith();
  expect((await call(setup.handler, 'POST', '/v1/processes', { user: 'office', body: { files: processFiles() } })).status).toBe(201);
  const campaign = { process: '机关作风建设年', organisation: sampleOrganisation(1, 1), campaignId: 'c1' };
  expect((await call(setup.handler, 'POST', '/v1/campaigns', { user: 'office', body: campaign })).status).toBe(201);
  return setup;
}

const bearer = (user: string) => ({ authorization: `Bearer ${user}` });

describe('given a campaign served by the Fetch handler (HEAD)', () => {
  it('when a GET route is asked with HEAD, then it answers 200 with GET’s headers and length and no body', async () => {
    const { handler } = await started();
    const path = `http://localhost/v1/instances/${enc('c1/u01')}`;
    const get = await handler(new Request(path, { headers: bearer('office') }));
    const getText = await get.text();
    const head = await handler(new Request(path, { method: 'HEAD', headers: bearer('office') }));
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toBe(get.headers.get('content-type'));
    expect(head.headers.get('content-length')).toBe(String(Buffer.byteLength(getText)));
    expect(await head.text()).toBe('');
    expect(getText.length).toBeGreaterThan(0);
  });

  it('when HEAD is refused (no credentials, outside the actor’s units, no such instance), then it answers GET’s status with no body', async () => {
    const { handler } = await started();
    const head = (path: string, user?: string) => handler(new Request(`http://localhost${path}`, { method: 'HEAD', ...(user ? { headers: bearer(user) } : {}) }));
    for (const [path, user, status] of [
      [`/v1/instances/${enc('c1/u01')}`, undefined, 401],
      [`/v1/instances/${enc('c1/u01')}/tasks`, 'other', 403],
      [`/v1/instances/${enc('c1/u99')}`, 'office', 404],
    ] as const) {
      const answer = await head(path, user);
      expect(answer.status).toBe(status);
      expect(await answer.text()).toBe('');
    }
  });

  it('when a route without GET is asked with HEAD, then 405 with Allow: POST; a GET route refuses DELETE with Allow: GET, HEAD', async () => {
    const { handler } = await started();
    const post = await handler(new Request('http://localhost/v1/campaigns', { method: 'HEAD', headers: bearer('office') }));
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('POST');
    expect(await post.text()).toBe('');
    const del = await call(handler, 'DELETE', `/v1/instances/${enc('c1/u01')}`, { user: 'office' });
    expect(del.status).toBe(405);
    expect(del.headers.get('allow')).toBe('GET, HEAD');
    // The list of processes has GET and POST.
    const put = await call(handler, 'PUT', '/v1/processes', { user: 'office' });
    expect(put.headers.get('allow')).toBe('GET, HEAD, POST');
  });

  it('when the OpenAPI document is asked with HEAD, then 200 and its length, no body', async () => {
    const { handler } = handlerWith();
    const text = await (await handler(new Request('http://localhost/openapi.json'))).text();
    const head = await handler(new Request('http://localhost/openapi.json', { method: 'HEAD' }));
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(Buffer.byteLength(text)));
    expect(await head.text()).toBe('');
  });
});

describe('given the Node hosts (HEAD over a socket)', () => {
  let host: Host | undefined;
  afterEach(async () => {
    await host?.close();
    host = undefined;
  });

  for (const [name, serve] of Object.entries(hosts)) {
    it(`when ${name} is asked HEAD on an instance, then 200 with GET’s length and no body`, async () => {
      const { handler } = await started();
      host = await serve(handler);
      const url = `${host.base}/v1/instances/${enc('c1/u01')}`;
      const getText = await (await fetch(url, { headers: bearer('office') })).text();
      const head = await fetch(url, { method: 'HEAD', headers: bearer('office') });
      expect(head.status).toBe(200);
      expect(head.headers.get('content-length')).toBe(String(Buffer.byteLength(getText)));
      expect(await head.text()).toBe('');
    });
  }
});

describe('given a store out of reach (503 STORE_UNAVAILABLE)', () => {
  it(`when a request meets it, then 503 with Retry-After: ${RETRY_AFTER_SECONDS} and the coded error`, async () => {
    const { handler, engine } = handlerWith();
    engine.processes = async () => {
      throw new EngineError('STORE_UNAVAILABLE', { detail: 'connection refused' });
    };
    const answer = await call(handler, 'GET', '/v1/processes', { user: 'office' });
    expect(answer.status).toBe(503);
    expect(answer.headers.get('retry-after')).toBe(String(RETRY_AFTER_SECONDS));
    expect(answer.body.code).toBe('STORE_UNAVAILABLE');
    // Other errors say nothing of retrying.
    const missing = await call(handler, 'GET', '/v1/nowhere', { user: 'office' });
    expect(missing.headers.get('retry-after')).toBeNull();
  });

  it('when the OpenAPI document is read, then every operation of the API (/v1, each reads the store) lists 503 with its Retry-After header', () => {
    const operations = Object.entries(document.paths).flatMap(([path, item]) => (path.startsWith('/v1/') ? Object.values(item) : [])) as unknown as { responses: Record<string, { headers?: Record<string, unknown> }> }[];
    expect(operations.length).toBeGreaterThan(10);
    for (const operation of operations) expect(operation.responses['503']?.headers?.['Retry-After']).toBeDefined();
  });
});
