import { describe, expect, it } from 'vitest';
import { call, enc, handlerWith } from './support.js';

/**
 * 督办事项 over HTTP (issue 19): the office (考评办公室) opens an item for u01, the branch reports it
 * resolved, the office's check fails and it escalates (escalateAfter 1: 县级 → 市级); the items route
 * shows it, every answer checked against the OpenAPI document; a refused event answers its code.
 */
const CAMPAIGN = `kind: campaign
id: 督办
title: 督办
source: { title: 测试 }
year: 2010
subjects: [unit]
roles:
  - { id: 考评办公室, title: 考评办公室, level: office }
  - { id: 支部, title: 各支部, level: unit }
items:
  - { id: 问题, title: 问题, by: 考评办公室, levels: [县级, 市级] }
phases:
  - id: 整改
    title: 整改
    window: 4月至6月
    tasks:
      - { id: 整改方案, title: 整改方案, owner: 支部, due: 5月7日 }
`;

describe('given a campaign with tracked items served over HTTP', () => {
  it('when an item is opened, resolved and fails its check, then GET items shows it open at 市级 with one failed check; closing it unverified is 409 ENGINE_ITEM_STATE', async () => {
    const { handler } = handlerWith();
    expect((await call(handler, 'POST', '/v1/processes', { user: 'office', body: { files: [{ file: 'items.yaml', text: CAMPAIGN }] } })).status).toBe(201);
    const organisation = { id: 'office', units: [{ id: 'u01' }] };
    expect((await call(handler, 'POST', '/v1/campaigns', { user: 'office', body: { process: '督办', organisation, campaignId: 'c1' } })).status).toBe(201);
    const events = `/v1/instances/${enc('c1/u01')}/events`;
    expect((await call(handler, 'POST', events, { user: 'office', body: { type: 'item.opened', item: 'Q-1', kind: '问题', owner: '张三', due: '2010-05-31' } })).status).toBe(200);
    expect((await call(handler, 'POST', events, { user: 'branch', body: { type: 'item.resolved', item: 'Q-1' } })).status).toBe(200);
    expect((await call(handler, 'POST', events, { user: 'office', body: { type: 'item.verified', item: 'Q-1', passed: false } })).status).toBe(200);
    const items = await call(handler, 'GET', '/v1/campaigns/c1/items?unit=u01', { user: 'branch' });
    expect(items.status).toBe(200);
    expect(items.body).toMatchObject([{ unitId: 'u01', item: 'Q-1', kind: '问题', status: 'open', owner: '张三', level: '市级', failedChecks: 1 }]);
    const refused = await call(handler, 'POST', events, { user: 'office', body: { type: 'item.closed', item: 'Q-1' } });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('ENGINE_ITEM_STATE');
    const unknown = await call(handler, 'POST', events, { user: 'branch', body: { type: 'item.progress', item: 'Q-9', done: 1 } });
    expect([unknown.status, unknown.body.code]).toEqual([422, 'ENGINE_UNKNOWN_TRACKED_ITEM']);
  });
});
