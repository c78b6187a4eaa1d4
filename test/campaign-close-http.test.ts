import { describe, expect, it } from 'vitest';
import { createEngine, createMemoryStore, runUntil, VirtualClock, type Engine } from '@luoshi/engine';
import { createHandler, type Actor, type Handler } from '@luoshi/http';
import { shanghai } from './support/campaign-harness.js';
import { checkedDefinitions } from './support/checked-inputs.js';
import { STANDING_CAMPAIGN, STANDING_ORGANISATION, STANDING_PROCESS } from './support/standing-close-campaign.js';
import { conforms } from '../packages/http/test/support.js';

/*
 * 终止活动 over HTTP: `POST /v1/campaigns/{id}/close` by the office that issued the campaign (its root
 * unit, 县委办) holding a role of the office level (办公室); a unit (甲一村, role 单位) is refused 403
 * before anything is read, an actor of the whole organisation without an office role 403 by the
 * engine's role check. The standing mechanism and its organisation are those of the engine's tests.
 */

const users = new Map<string, Actor>([
  ['office', { id: '县委办主任', roles: ['办公室'], units: ['县委办'] }],
  ['village', { id: '甲一村书记', roles: ['单位'], units: ['甲一村'] }],
  ['town', { id: '甲镇镇长', roles: ['办公室', '单位'], units: ['甲镇'] }],
  ['nobody', { id: '无角色', roles: [] }],
]);

const CLOSE_AT = shanghai('2024-06-30T12:00:00');

async function setUp(): Promise<{ engine: Engine; handler: Handler }> {
  const clock = new VirtualClock(shanghai('2024-01-01T09:00:00'));
  const engine = createEngine({ store: createMemoryStore(), clock });
  await engine.deploy(checkedDefinitions(STANDING_CAMPAIGN));
  await engine.startCampaign({ process: STANDING_PROCESS, organisation: STANDING_ORGANISATION, campaignId: 'c' });
  await runUntil(engine, clock, CLOSE_AT);
  const handler = createHandler({ engine, authenticate: async (head) => users.get(/^Bearer (\S+)$/.exec(head.headers.get('authorization') ?? '')?.[1] ?? '') });
  return { engine, handler };
}

async function close(handler: Handler, user: string, body: unknown, key?: string): Promise<{ status: number; body: any }> {
  const path = '/v1/campaigns/c/close';
  const response = await handler(
    new Request(`http://localhost${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${user}`, 'content-type': 'application/json', ...(key === undefined ? {} : { 'idempotency-key': key }) },
      body: JSON.stringify(body),
    }),
  );
  const json = await response.json();
  conforms('POST', path, response.status, json);
  return { status: response.status, body: json };
}

describe('given a standing mechanism run to 30 June 2024, served over HTTP', () => {
  it('when a village (a unit role, its own unit) asks to close it, then 403 HTTP_FORBIDDEN, and nothing is closed', async () => {
    const { engine, handler } = await setUp();
    expect(await close(handler, 'village', { reason: '不想干了' })).toMatchObject({ status: 403, body: { code: 'HTTP_FORBIDDEN' } });
    // A town is an office over its villages, but not the office that issued the campaign.
    expect(await close(handler, 'town', { reason: '甲镇撤并', unit: '甲镇' })).toMatchObject({ status: 403, body: { code: 'HTTP_FORBIDDEN' } });
    expect(await close(handler, 'nobody', { reason: '废止' })).toMatchObject({ status: 403, body: { code: 'ENGINE_FORBIDDEN' } });
    expect((await engine.instances('c')).filter((i) => i.ended)).toEqual([]);
  });

  it('when the office closes it under 甲镇 at a given time and then whole, then 200 with what closed, the states say so, and a completion after is 409 ENGINE_CAMPAIGN_CLOSED', async () => {
    const { engine, handler } = await setUp();
    const part = await close(handler, 'office', { reason: '甲镇撤并', unit: '甲镇', at: '2024-06-30T12:00:00+08:00' });
    expect(part.status).toBe(200);
    expect(part.body).toMatchObject({ campaignId: 'c', unitId: '甲镇', at: CLOSE_AT, whole: false, alreadyEnded: 0, duplicate: false });
    expect(part.body.closed.map((c: { unitId: string }) => c.unitId).sort()).toEqual(['甲一村', '甲二村', '甲镇'].sort());
    const whole = await close(handler, 'office', { reason: '原办法废止' });
    expect(whole.body).toMatchObject({ unitId: '县委办', whole: true, alreadyEnded: 3 });
    expect(await engine.state('c/乙一村')).toMatchObject({ ended: true, closed: { reason: '原办法废止' } });
    const response = await handler(
      new Request(`http://localhost/v1/instances/${encodeURIComponent('c/乙一村')}/events`, {
        method: 'POST',
        headers: { authorization: 'Bearer office', 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'score.given', evaluation: '年度考核', score: 90 }),
      }),
    );
    expect(response.status).toBe(409);
    expect(((await response.json()) as { code: string }).code).toBe('ENGINE_CAMPAIGN_CLOSED');
  });

  it('when the request repeats its Idempotency-Key, then the first answer comes back (duplicate); a body without a reason or with a day no calendar has is 422', async () => {
    const { handler } = await setUp();
    const first = await close(handler, 'office', { reason: '原办法废止' }, 'k-1');
    const again = await close(handler, 'office', { reason: '原办法废止' }, 'k-1');
    expect(again.body).toMatchObject({ duplicate: true, closed: first.body.closed });
    expect(await close(handler, 'office', { reason: '另一个理由' }, 'k-1')).toMatchObject({ status: 409, body: { code: 'ENGINE_IDEMPOTENCY_KEY_REUSED' } });
    expect(await close(handler, 'office', { unit: '甲镇' })).toMatchObject({ status: 422, body: { code: 'HTTP_INVALID_BODY' } });
    expect(await close(handler, 'office', { reason: '废止', at: '2024-02-30T00:00:00+08:00' })).toMatchObject({ status: 422, body: { code: 'HTTP_INVALID_BODY' } });
  });

  it('when the closing is dated before the units\' time, then 409 ENGINE_TIME_BACKWARDS', async () => {
    const { handler } = await setUp();
    expect(await close(handler, 'office', { reason: '废止', at: '2024-03-01T00:00:00+08:00' })).toMatchObject({ status: 409, body: { code: 'ENGINE_TIME_BACKWARDS' } });
  });
});
