import { describe, expect, it } from 'vitest';
import { hosts } from './hosts.js';
import { call, conforms, enc, startedCampaign } from './support.js';

// The engine answers a repeated Idempotency-Key with the first request's result (its revision) and
// refuses the same key with another event (ENGINE_IDEMPOTENCY_KEY_REUSED); the HTTP layer passes
// both through: 200 with the first revision, 409 with the code.

const started = startedCampaign;

const path = `/v1/instances/${enc('c1/u01')}/events`;
const first = { type: 'task.completed', task: '支部组织动员' };
const other = { type: 'task.completed', task: '警示教育' };

describe('an Idempotency-Key over HTTP', () => {
  it('repeated with the same event answers the first revision; with another event, 409 ENGINE_IDEMPOTENCY_KEY_REUSED, nothing applied', async () => {
    const { handler, engine } = await started();
    const headers = { 'idempotency-key': 'pay-1' };
    const applied = await call(handler, 'POST', path, { user: 'branch', body: first, headers });
    expect(applied.body).toMatchObject({ revision: 2, duplicate: false });
    // Another event moves the instance on: the repeat still answers revision 2, the one the key produced.
    expect((await call(handler, 'POST', path, { user: 'office', body: { type: 'complaint.verified', member: 'u01-m1' } })).body.revision).toBe(3);
    const again = await call(handler, 'POST', path, { user: 'branch', body: first, headers });
    expect(again).toMatchObject({ status: 200, body: { revision: 2, duplicate: true } });
    const reused = await call(handler, 'POST', path, { user: 'branch', body: other, headers });
    expect(reused.status).toBe(409);
    expect(reused.body).toMatchObject({ code: 'ENGINE_IDEMPOTENCY_KEY_REUSED', message: { zh: expect.stringContaining('pay-1'), en: expect.stringContaining('pay-1') } });
    expect((await engine.state('c1/u01')).revision).toBe(3);
  });

  it('longer than 200 characters is refused with 400 HTTP_INVALID_HEADER before anything is read', async () => {
    const { handler, engine } = await started();
    const answer = await call(handler, 'POST', path, { user: 'branch', body: first, headers: { 'idempotency-key': 'k'.repeat(201) } });
    expect(answer).toMatchObject({ status: 400, body: { code: 'HTTP_INVALID_HEADER', details: { name: 'Idempotency-Key' } } });
    expect((await call(handler, 'POST', path, { user: 'branch', body: first, headers: { 'idempotency-key': 'k'.repeat(200) } })).status).toBe(200);
    expect((await engine.state('c1/u01')).revision).toBe(2);
  });
});

describe.each(Object.keys(hosts))('a reused Idempotency-Key on the %s adapter', (name) => {
  it('answers 409 with the code', async () => {
    const { handler } = await started();
    const host = await hosts[name]!(handler);
    try {
      const send = async (body: unknown) => {
        const response = await fetch(`${host.base}${path}`, {
          method: 'POST',
          headers: { authorization: 'Bearer branch', 'content-type': 'application/json', 'idempotency-key': 'k-1' },
          body: JSON.stringify(body),
        });
        const json = await response.json();
        conforms('POST', path, response.status, json);
        return { status: response.status, body: json };
      };
      expect(await send(first)).toMatchObject({ status: 200, body: { revision: 2 } });
      expect(await send(first)).toMatchObject({ status: 200, body: { revision: 2, duplicate: true } });
      expect(await send(other)).toMatchObject({ status: 409, body: { code: 'ENGINE_IDEMPOTENCY_KEY_REUSED' } });
    } finally {
      await host.close();
    }
  });
});
