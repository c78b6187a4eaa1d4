import { describe, expect, it } from 'vitest';
import { hosts, prefixedHosts, rawRequest } from './hosts.js';
import { handlerWith, processFiles } from './support.js';

// A request target is the path (and query) of the request line. One that starts with `//` or `/\`
// was resolved by `new URL(target, base)` as a URL of another host: `//x/v1/processes` reached
// `/v1/processes`, `//v1/processes` was reported as `/processes`. Such targets are refused (400).
const hostile = ['//v1/processes', '///v1/processes', '//x/v1/processes', '/\\v1/processes', '/\\x/v1/processes', '//x/v1/processes?version=1'];

describe.each(Object.keys(hosts))('a request target starting with // or /\\ on the %s adapter', (name) => {
  it('is refused with 400 HTTP_INVALID_TARGET, naming the target as sent, and changes nothing', async () => {
    const { handler, engine } = handlerWith();
    const host = await hosts[name]!(handler);
    try {
      for (const target of hostile) {
        for (const method of ['GET', 'POST']) {
          const answer = await rawRequest(host.base, method, target, {
            headers: { authorization: 'Bearer office', 'content-type': 'application/json' },
            ...(method === 'POST' ? { body: JSON.stringify({ files: processFiles() }) } : {}),
          });
          expect(answer.status, `${method} ${target}`).toBe(400);
          const body = JSON.parse(answer.text) as { code: string; details: { target?: string } };
          expect(body.code, `${method} ${target}`).toBe('HTTP_INVALID_TARGET');
          expect(body.details.target).not.toBe('/processes');
        }
      }
      expect(await engine.processes()).toEqual([]);
      // A plain target still works through the same host.
      expect((await rawRequest(host.base, 'GET', '/v1/processes', { headers: { authorization: 'Bearer office' } })).status).toBe(200);
    } finally {
      await host.close();
    }
  });
});

describe.each(Object.keys(prefixedHosts))('a request target with // below the prefix on the %s adapter', (name) => {
  it('is refused with 400', async () => {
    const { handler } = handlerWith();
    const host = await prefixedHosts[name]!(handler);
    try {
      for (const target of ['/luoshi//v1/processes', '/luoshi//x/v1/processes']) {
        const answer = await rawRequest(host.base, 'GET', target, { headers: { authorization: 'Bearer office' } });
        expect(answer.status, target).toBe(400);
        expect(JSON.parse(answer.text)).toMatchObject({ code: 'HTTP_INVALID_TARGET' });
      }
    } finally {
      await host.close();
    }
  });
});

describe('the Fetch handler itself', () => {
  it('refuses a path starting with // (a Fetch host passes the URL as it parsed it)', async () => {
    const { handler } = handlerWith();
    for (const url of ['http://localhost//v1/processes', 'http://localhost/\\v1/processes', 'http://localhost///v1/processes']) {
      const response = await handler(new Request(url, { headers: { authorization: 'Bearer office' } }));
      expect(response.status, url).toBe(400);
      expect(await response.json()).toMatchObject({ code: 'HTTP_INVALID_TARGET', details: { target: new URL(url).pathname } });
    }
  });
});
