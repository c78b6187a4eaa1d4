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

/**
 * 督办事项亮牌 over HTTP (issue 19): a campaign with lights lists an item for u01 in the organisation;
 * the office labels it red (item.assessed); the items route, the instance and the roll-up show it; a
 * label that is no colour is 422, one sent by the branch 403, and nothing changes.
 */
describe('given a campaign with lit items served over HTTP', () => {
  it('when the office labels a listed item red, then items, the instance and the roll-up show it; a bad colour is 422 and a branch 403', async () => {
    const { handler } = handlerWith();
    const lit = CAMPAIGN.replace('items:\n', 'lights: { yellowBefore: 3个工作日 }\nitems:\n');
    expect((await call(handler, 'POST', '/v1/processes', { user: 'office', body: { files: [{ file: 'lit.yaml', text: lit }] } })).status).toBe(201);
    const organisation = { id: 'office', units: [{ id: 'u01', items: [{ id: 'Q-1', kind: '问题', owner: '张三' }] }] };
    expect((await call(handler, 'POST', '/v1/campaigns', { user: 'office', body: { process: '督办', organisation, campaignId: 'c1' } })).status).toBe(201);
    const events = `/v1/instances/${enc('c1/u01')}/events`;
    expect((await call(handler, 'POST', events, { user: 'office', body: { type: 'item.assessed', item: 'Q-1', light: 'red' } })).status).toBe(200);
    // Sent raw: the OpenAPI document itself says a label is one of the four colours.
    const bad = await call(handler, 'POST', events, { user: 'office', raw: JSON.stringify({ type: 'item.assessed', item: 'Q-1', light: 'purple' }), headers: { 'content-type': 'application/json' } });
    expect(bad.status).toBe(422);
    const forbidden = await call(handler, 'POST', events, { user: 'branch', body: { type: 'item.assessed', item: 'Q-1', light: 'green' } });
    expect([forbidden.status, forbidden.body.code]).toEqual([403, 'ENGINE_FORBIDDEN']);
    const items = await call(handler, 'GET', '/v1/campaigns/c1/items', { user: 'office' });
    expect(items.body).toMatchObject([{ unitId: 'u01', item: 'Q-1', owner: '张三', light: 'red', reds: 1 }]);
    const state = await call(handler, 'GET', `/v1/instances/${enc('c1/u01')}`, { user: 'branch' });
    expect(state.body).toMatchObject({ light: 'red', itemLights: { green: 0, yellow: 0, red: 1, blue: 0 } });
    const rollup = await call(handler, 'GET', '/v1/campaigns/c1/rollup', { user: 'office' });
    expect((rollup.body as { lights: { items: unknown } }).lights.items).toEqual({ green: 0, yellow: 0, red: 1, blue: 0 });
  });
});

/**
 * 申请延期 over HTTP (issue 19): the branch asks for 整改方案 (due 7 May 2010) to be due 14 May, the
 * office's inbox shows the request, the office approves it and the task is due when 14 May ends,
 * 已延期 once; a branch may not read the inbox nor decide.
 */
const EXTENSIONS_CAMPAIGN = CAMPAIGN.replace('items:\n', 'extensions: { decidedBy: 考评办公室 }\nitems:\n');

describe('given a campaign with extension requests served over HTTP', () => {
  it('when the branch asks and the office approves, then the inbox lists the request until it is decided and the task shows its new due and 已延期', async () => {
    const { handler } = handlerWith();
    expect((await call(handler, 'POST', '/v1/processes', { user: 'office', body: { files: [{ file: 'ext.yaml', text: EXTENSIONS_CAMPAIGN }] } })).status).toBe(201);
    const organisation = { id: 'office', units: [{ id: 'u01' }] };
    expect((await call(handler, 'POST', '/v1/campaigns', { user: 'office', body: { process: '督办', organisation, campaignId: 'c1' } })).status).toBe(201);
    const events = `/v1/instances/${enc('c1/u01')}/events`;
    const ask = { type: 'extension.requested', task: '整改方案', until: '2010-05-14', reason: '汛期影响施工' };
    expect((await call(handler, 'POST', events, { user: 'branch', body: ask })).status).toBe(200);
    const inbox = await call(handler, 'GET', '/v1/campaigns/c1/extensions', { user: 'office' });
    expect(inbox.status).toBe(200);
    expect(inbox.body).toMatchObject([{ unitId: 'u01', task: '整改方案', reason: '汛期影响施工', extended: 0 }]);
    expect((await call(handler, 'GET', '/v1/campaigns/c1/extensions', { user: 'branch' })).status).toBe(403);
    const forbidden = await call(handler, 'POST', events, { user: 'branch', body: { type: 'extension.decided', task: '整改方案', approved: true } });
    expect([forbidden.status, forbidden.body.code]).toEqual([403, 'ENGINE_FORBIDDEN']);
    expect((await call(handler, 'POST', events, { user: 'office', body: { type: 'extension.decided', task: '整改方案', approved: true } })).status).toBe(200);
    expect((await call(handler, 'GET', '/v1/campaigns/c1/extensions', { user: 'office' })).body).toEqual([]);
    const tasks = await call(handler, 'GET', `/v1/instances/${enc('c1/u01')}/tasks`, { user: 'branch' });
    expect(tasks.status).toBe(200);
    // Due when 14 May 2010 ends: midnight starting 15 May, Asia/Shanghai (UTC+8) — 14 May 16:00 UTC.
    expect((tasks.body as unknown[])[0]).toMatchObject({ dueAt: Date.UTC(2010, 4, 14, 16), extended: 1 });
    // No maxTimes: a second request is taken (the engine's own cap is 20).
    expect((await call(handler, 'POST', events, { user: 'branch', body: { ...ask, until: '2010-05-20' } })).status).toBe(200);
  });
});
