import { describe, expect, it } from 'vitest';
import { call, enc, handlerWith, startedCampaign } from './support.js';

// What a hostile reviewer found after the first round of issue 16: a body of invalid UTF-8 was
// silently repaired, and a unit's member could tell existing campaign ids from made-up ones.

const started = startedCampaign;

describe('a request body', () => {
  it('of bytes that are no UTF-8 is refused with 400 HTTP_INVALID_JSON, not deployed with U+FFFD', async () => {
    const { handler, engine } = handlerWith();
    const prefix = new TextEncoder().encode('{"files":[{"file":"x.yaml","text":"kind: campaign\\nid: ');
    const suffix = new TextEncoder().encode('"}]}');
    const raw = new Uint8Array([...prefix, 0xff, 0xfe, 0xc0, 0xaf, ...suffix]);
    const answer = await call(handler, 'POST', '/v1/processes', { user: 'admin', raw, headers: { 'content-type': 'application/json' } });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ code: 'HTTP_INVALID_JSON', message: { en: expect.stringContaining('UTF-8') } });
    expect(await engine.processes()).toEqual([]);
  });
});

describe('a read of one unit of a campaign', () => {
  it.each(['rollup', 'outcomes'])('/%s answers a campaign that does not exist as it answers a unit that is not in one that does', async (read) => {
    const { handler } = await started();
    // `branch` is of u01; c1 has u01, c-secret does not exist.
    const missingUnit = await call(handler, 'GET', `/v1/campaigns/c1/${read}?unit=nobody`, { user: 'office' });
    const missingCampaign = await call(handler, 'GET', `/v1/campaigns/${enc('c-secret')}/${read}?unit=u01`, { user: 'branch' });
    expect([missingUnit.status, missingUnit.body.code]).toEqual([404, 'ENGINE_INSTANCE_NOT_FOUND']);
    expect([missingCampaign.status, missingCampaign.body.code]).toEqual([404, 'ENGINE_INSTANCE_NOT_FOUND']);
    expect(missingCampaign.body.message.en).toContain('c-secret/u01');
    // The whole of a campaign, asked by the office of every unit, still says which campaign is missing.
    expect((await call(handler, 'GET', `/v1/campaigns/c-secret/${read}`, { user: 'admin' })).body.code).toBe('ENGINE_CAMPAIGN_NOT_FOUND');
  });
});
