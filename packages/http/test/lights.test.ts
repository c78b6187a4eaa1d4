import { describe, expect, it } from 'vitest';
import { runUntil } from '@luoshi/engine';
import { call, enc, handlerWith, shanghai } from './support.js';

/**
 * 红黄绿灯 over HTTP (issue 19): a unit's light and its tasks' in the instance state, each task's
 * light in its task list, units and tasks counted by light in the roll-up; every answer checked
 * against the OpenAPI document. 整改方案 is due Friday 7 May 2010; yellow 3 working days before
 * its due day is Tuesday 4 May (劳动节 2010: 1–3 May off, no working weekend before 7 May).
 */
const CAMPAIGN = `kind: campaign
id: 亮灯
title: 亮灯
source: { title: 测试 }
year: 2010
subjects: [unit]
lights: { yellowBefore: 3个工作日 }
roles:
  - { id: 支部, title: 各支部, level: unit }
phases:
  - id: 整改
    title: 整改
    window: 4月至6月
    tasks:
      - { id: 整改方案, title: 整改方案, owner: 支部, due: 5月7日 }
`;

describe('given a campaign with lights served over HTTP', () => {
  it('when Tuesday 4 May 2010 begins, then u01 and its task are yellow in the state, the task list and the roll-up', async () => {
    const { handler, clock, engine } = handlerWith();
    expect((await call(handler, 'POST', '/v1/processes', { user: 'office', body: { files: [{ file: 'lights.yaml', text: CAMPAIGN }] } })).status).toBe(201);
    const organisation = { id: 'office', units: [{ id: 'u01' }] };
    expect((await call(handler, 'POST', '/v1/campaigns', { user: 'office', body: { process: '亮灯', organisation, campaignId: 'c1' } })).status).toBe(201);
    await runUntil(engine, clock, shanghai('2010-05-03T23:59:00'));
    expect((await call(handler, 'GET', `/v1/instances/${enc('c1/u01')}`, { user: 'branch' })).body.light).toBe('green');
    await runUntil(engine, clock, shanghai('2010-05-04T00:00:00'));
    const state = await call(handler, 'GET', `/v1/instances/${enc('c1/u01')}`, { user: 'branch' });
    expect(state.body).toMatchObject({ light: 'yellow', lights: { green: 0, yellow: 1, red: 0, blue: 0 } });
    const tasks = await call(handler, 'GET', `/v1/instances/${enc('c1/u01')}/tasks`, { user: 'branch' });
    expect(tasks.body.map((t: { item: string; light: string; yellows: number }) => [t.item, t.light, t.yellows])).toEqual([['整改方案', 'yellow', 1]]);
    const rollup = await call(handler, 'GET', '/v1/campaigns/c1/rollup', { user: 'office' });
    // The office has no task: green.
    expect(rollup.body.lights).toEqual({ units: { green: 1, yellow: 1, red: 0, blue: 0 }, tasks: { green: 0, yellow: 1, red: 0, blue: 0 } });
  });
});
