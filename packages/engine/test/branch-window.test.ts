import { describe, expect, it } from 'vitest';
import { EngineError, runUntil } from '@luoshi/engine';
import { engineWith, organisation, shanghai } from './support/harness.js';

/**
 * 试点 → 是否推广 → 全面推开 (issue 18, defect 8): the decision is taken in March, the branch's
 * window is 9月至10月. The unit is in the branch at once, but its work opens with the window.
 */
const CAMPAIGN = `
kind: campaign
id: 试点推开
title: 试点推开
source: { title: 测试 }
year: 2024
subjects: [unit]
roles:
  - { id: 办公室, title: 办公室, level: office }
  - { id: 督查组, title: 督查组, level: office }
  - { id: 单位, title: 各单位, level: unit }
phases:
  - id: 试点
    title: 试点
    window: 3月
    exit: decision
    tasks:
      - { id: 试点方案, title: 试点方案, owner: 单位, due: 3月20日 }
    decisions:
      - id: 是否推广
        title: 是否推广
        by: 办公室
        options:
          - { id: 推广, next: 推开 }
          - { id: 结束, next: end }
  - id: 推开
    title: 全面推开
    window: 9月至10月
    exit: all-required-done
    tasks:
      - { id: 推开方案, title: 推开方案, owner: 单位, due: 推开后10个工作日内 }
      - { id: 推开总结, title: 推开总结, owner: 单位, due: 10月25日 }
    recurring:
      - { id: 月报, title: 月报, owner: 单位, every: 每月 }
    inspections:
      - { id: 推开督查, title: 推开督查, by: 督查组, rectifyWithin: 10天 }
    decisions:
      - id: 提前结束
        title: 提前结束
        by: 办公室
        options:
          - { id: 结束, next: end }
`;

async function decided() {
  const h = await engineWith(CAMPAIGN, { start: '2024-03-01T00:00:00' });
  await h.engine.startCampaign({ process: h.processId, organisation: organisation(1, 0), campaignId: 'c' });
  h.clock.advanceTo(shanghai('2024-03-10T10:00:00'));
  await h.engine.send('c/u01', { type: 'task.completed', task: '试点方案' });
  await h.engine.send('c/u01', { type: 'decision.taken', decision: '是否推广', option: '推广' });
  return h;
}

function code(promise: Promise<unknown>): Promise<string> {
  return promise.then(
    () => 'applied',
    (e: unknown) => (e instanceof EngineError ? e.code : `not an EngineError: ${String(e)}`),
  );
}

describe('given a unit that took the branch 推开 in March, whose window is 9月至10月', () => {
  it('when the decision is taken, then the unit is in the branch but none of its tasks is open, overdue or done', async () => {
    const { engine } = await decided();
    expect((await engine.state('c/u01')).phase).toBe('推开');
    expect((await engine.tasks('c/u01')).map((t) => `${t.key}:${t.status}`)).toEqual(['试点方案:done']);
  });

  it('when the summer passes, then still nothing of the branch opens, and its work cannot be done early', async () => {
    const { engine, clock } = await decided();
    await runUntil(engine, clock, shanghai('2024-08-31T23:00:00'));
    expect((await engine.state('c/u01')).phase).toBe('推开');
    expect((await engine.tasks('c/u01')).filter((t) => t.phase === '推开')).toEqual([]);
    expect(await code(engine.send('c/u01', { type: 'task.completed', task: '推开总结' }))).toBe('ENGINE_TASK_NOT_OPEN');
    // The branch's inspection has not begun either.
    expect(await code(engine.send('c/u01', { type: 'finding.recorded', inspection: '推开督查' }))).toBe('ENGINE_PHASE_NOT_OPEN');
  });

  it('when the window opens on 1 September, then its tasks open with their due dates, counted from the opening', async () => {
    const { engine, clock } = await decided();
    await runUntil(engine, clock, shanghai('2024-09-01T00:00:00'));
    const tasks = (await engine.tasks('c/u01')).filter((t) => t.phase === '推开');
    // 1 September 2024 is a Sunday: ten working days are 2–6 and 9–13 September, due when the 13th is over.
    expect(tasks.map((t) => [t.key, t.status, t.dueAt])).toEqual([
      ['推开方案', 'open', shanghai('2024-09-14T00:00:00')],
      ['月报#0', 'open', shanghai('2024-10-01T00:00:00')],
      ['推开总结', 'open', shanghai('2024-10-26T00:00:00')],
    ]);
    await engine.send('c/u01', { type: 'finding.recorded', inspection: '推开督查' });
    expect((await engine.state('c/u01')).inspections.推开督查).toBe('rectifying');
    // The wait and the opening are in the history: replayed, they give the stored state.
    await expect(engine.replay('c/u01')).resolves.toBeDefined();
  });

  it('when a decision of the branch is sent while it waits, then ENGINE_PHASE_NOT_OPEN and the unit stays; once open, it is taken', async () => {
    const { engine, clock } = await decided();
    expect(await code(engine.send('c/u01', { type: 'decision.taken', decision: '提前结束', option: '结束' }))).toBe('ENGINE_PHASE_NOT_OPEN');
    expect((await engine.state('c/u01')).phase).toBe('推开');
    await runUntil(engine, clock, shanghai('2024-09-02T10:00:00'));
    await engine.send('c/u01', { type: 'decision.taken', decision: '提前结束', option: '结束' });
    expect((await engine.state('c/u01')).phase).toBe('ended');
  });
});
