import { describe, expect, it } from 'vitest';
import { runUntil } from '@luoshi/engine';
import { engineWith, shanghai } from './support/harness.js';
import { LIGHTS_CAMPAIGN } from './support/lights-campaign.js';

/**
 * 红黄绿灯 (issue 19; D2 贴蓝签、挂黄牌、亮红灯): a task is green while its due day is far, yellow
 * from 3 working days before it, red once overdue, blue when done; a unit shows its worst light.
 * "同一任务第二次黄牌, 专函督办并扣年度考核1分; 亮红灯扣2分并约谈". Dates by hand on the 2024 calendar:
 * 劳动节 1–5 May off, Sunday 28 April and Saturday 11 May worked (调休).
 */
const ORGANISATION = { id: '市', units: [{ id: '甲县' }] };

async function started(start = '2024-04-01T00:00:00', text = LIGHTS_CAMPAIGN) {
  const h = await engineWith(text, { start });
  await h.engine.startCampaign({ process: h.processId, organisation: ORGANISATION, campaignId: 'c' });
  return h;
}

type Harness = Awaited<ReturnType<typeof started>>;

async function lights(h: Harness): Promise<Record<string, string | undefined>> {
  return Object.fromEntries((await h.engine.tasks('c/甲县')).map((t) => [t.key, t.light]));
}

describe('given tasks due 6 May, 10 May and 13 May 2024, yellow 3 working days before their due day', () => {
  it('when 27 April ends, then every task is green; on Sunday 28 April (worked, 调休) 节后报告 turns yellow: 3 working days before Monday 6 May across the holiday', async () => {
    const h = await started();
    await runUntil(h.engine, h.clock, shanghai('2024-04-27T23:59:00'));
    expect(await lights(h)).toEqual({ 节后报告: 'green', 整改方案: 'green', 整改报告: 'green', 复查报告: 'green', 年度考核: 'green' });
    expect((await h.engine.state('c/甲县')).light).toBe('green');
    await runUntil(h.engine, h.clock, shanghai('2024-04-28T00:00:00'));
    expect((await lights(h)).节后报告).toBe('yellow');
    expect(await h.engine.state('c/甲县')).toMatchObject({ light: 'yellow', lights: { green: 4, yellow: 1, red: 0, blue: 0 } });
  });

  it('when Monday 6 May is over, then 整改方案 (due Friday 10 May) turns yellow on Tuesday 7 May and 整改报告 (due Monday 13 May, Saturday 11 May worked) on Thursday 9 May', async () => {
    const h = await started();
    await h.engine.send('c/甲县', { type: 'task.completed', task: '节后报告' });
    await runUntil(h.engine, h.clock, shanghai('2024-05-06T23:59:00'));
    expect(await lights(h)).toMatchObject({ 节后报告: 'blue', 整改方案: 'green', 整改报告: 'green' });
    await runUntil(h.engine, h.clock, shanghai('2024-05-07T00:00:00'));
    expect(await lights(h)).toMatchObject({ 整改方案: 'yellow', 整改报告: 'green' });
    // Recorded when it changed: the yellow timer's entry in the unit's history, at midnight on the 7th.
    const entry = (await h.engine.history('c/甲县')).find((e) => (e.event as { key?: string }).key === 'yellow:整改方案');
    expect(entry).toMatchObject({ type: 'timer.fired', at: shanghai('2024-05-07T00:00:00') });
    await runUntil(h.engine, h.clock, shanghai('2024-05-08T23:59:00'));
    expect((await lights(h)).整改报告).toBe('green');
    await runUntil(h.engine, h.clock, shanghai('2024-05-09T00:00:00'));
    expect((await lights(h)).整改报告).toBe('yellow');
  });

  it('when 整改方案 is not done by Friday 10 May, then it is red from Saturday 11 May, costs 2 points and a 约谈, and turns blue only once done; the unit is red meanwhile', async () => {
    const h = await started();
    await h.engine.send('c/甲县', { type: 'task.completed', task: '节后报告' });
    await runUntil(h.engine, h.clock, shanghai('2024-05-11T00:00:00'));
    expect((await lights(h)).整改方案).toBe('red');
    expect(h.effects.filter((e) => e.action === '约谈').map((e) => [e.cause, e.at])).toEqual([['consequence:亮红灯', shanghai('2024-05-11T00:00:00')]]);
    expect((await h.engine.subjects('c/甲县'))[0]?.scores).toEqual({ 年度考核: -2 });
    // Hysteresis: red stays while the work is not done, whatever the time.
    await runUntil(h.engine, h.clock, shanghai('2024-05-12T12:00:00'));
    expect((await lights(h)).整改方案).toBe('red');
    expect((await h.engine.state('c/甲县')).light).toBe('red');
    await h.engine.send('c/甲县', { type: 'task.completed', task: '整改方案' });
    expect((await lights(h)).整改方案).toBe('blue');
  });

  it('when 复查报告 (5 working days after 整改方案) turns yellow, goes green as 整改方案 is done late and yellow again, then the second yellow on the same task brings 专函督办 and 1 more point off', async () => {
    const h = await started();
    // Only 整改方案 goes red: the other reports are done at once.
    await h.engine.send('c/甲县', { type: 'task.completed', task: '节后报告' });
    await h.engine.send('c/甲县', { type: 'task.completed', task: '整改报告' });
    // Counted from 整改方案's deadline (Friday 10 May): 11 (worked), 13, 14, 15, 16 May → due when 16 May ends; yellow from Monday 13 May.
    await runUntil(h.engine, h.clock, shanghai('2024-05-13T10:00:00'));
    const before = (await h.engine.tasks('c/甲县')).find((t) => t.key === '复查报告');
    expect(before).toMatchObject({ light: 'yellow', yellows: 1, dueAt: shanghai('2024-05-17T00:00:00') });
    await h.engine.send('c/甲县', { type: 'task.completed', task: '整改方案' });
    // Counted from now: 14, 15, 16, 17, 20 May → due when 20 May ends; yellow from Wednesday 15 May: green again.
    const moved = (await h.engine.tasks('c/甲县')).find((t) => t.key === '复查报告');
    expect(moved).toMatchObject({ light: 'green', yellows: 1, dueAt: shanghai('2024-05-21T00:00:00') });
    expect(h.effects.filter((e) => e.action === '专函督办')).toEqual([]);
    await runUntil(h.engine, h.clock, shanghai('2024-05-15T00:00:00'));
    expect((await h.engine.tasks('c/甲县')).find((t) => t.key === '复查报告')).toMatchObject({ light: 'yellow', yellows: 2 });
    expect(h.effects.filter((e) => e.action === '专函督办').map((e) => [e.cause, e.at])).toEqual([['consequence:第二次黄牌', shanghai('2024-05-15T00:00:00')]]);
    // 2 points for 整改方案's red light (11 May) and 1 for the second yellow.
    expect((await h.engine.subjects('c/甲县'))[0]?.scores).toEqual({ 年度考核: -3 });
    await h.engine.send('c/甲县', { type: 'score.given', evaluation: '年度考核', score: 90 });
    expect((await h.engine.subjects('c/甲县'))[0]?.scores).toEqual({ 年度考核: 87 });
  });

  it('when the campaign starts on 29 April, after 节后报告 would have turned yellow, then it is yellow from the start', async () => {
    const h = await started('2024-04-29T09:00:00');
    expect(await lights(h)).toMatchObject({ 节后报告: 'yellow', 整改方案: 'green' });
    expect((await h.engine.tasks('c/甲县')).find((t) => t.key === '节后报告')?.yellows).toBe(1);
  });

  it('when the campaign has no lights, then no task and no unit shows one', async () => {
    const h = await started('2024-04-01T00:00:00', LIGHTS_CAMPAIGN.replace(/lights:\n {2}yellowBefore: 3个工作日\n {2}blue: true\n/, '').replace(/consequences:[\s\S]*?phases:/, 'phases:'));
    await runUntil(h.engine, h.clock, shanghai('2024-05-12T00:00:00'));
    const state = await h.engine.state('c/甲县');
    expect('light' in state || 'lights' in state).toBe(false);
    expect((await h.engine.tasks('c/甲县')).some((t) => 'light' in t)).toBe(false);
    expect('lights' in (await h.engine.rollup('c'))).toBe(false);
  });

  it('when the roll-up is read on 7 May, then it counts the unit by its light and its tasks by theirs', async () => {
    const h = await started();
    await h.engine.send('c/甲县', { type: 'task.completed', task: '节后报告' });
    await runUntil(h.engine, h.clock, shanghai('2024-05-07T00:00:00'));
    // The office (市) has no task of its own: nothing against it, green.
    expect((await h.engine.rollup('c')).lights).toEqual({
      units: { green: 1, yellow: 1, red: 0, blue: 0 },
      tasks: { green: 3, yellow: 1, red: 0, blue: 1 },
    });
  });
});
