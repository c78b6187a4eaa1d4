import { describe, expect, it } from 'vitest';
import { EngineError, runUntil } from '@luoshi/engine';
import { engineWith, organisation, shanghai } from './support/harness.js';

/**
 * The options of a recurring duty (常态任务) and of a task, each shown to change what runs (issue 18,
 * construct coverage): a month's report "3月至4月，每月开展后5天内报送办公室", reminded two days
 * before, 催办 when late; each member's monthly study; and work that holds a phase or does not.
 */
const CAMPAIGN = `
kind: campaign
id: 常态任务
title: 常态任务
source: { title: 测试 }
year: 2024
subjects: [unit, member]
roles:
  - { id: 办公室, title: 办公室, level: office }
  - { id: 单位, title: 各单位, level: unit }
  - { id: 党员, title: 党员, level: member }
actions:
  - { id: 催办, title: 催办通知, effect: remind }
phases:
  - id: 实施
    title: 实施
    window: 1月至6月
    recurring:
      - id: 月报
        title: 每月情况报告
        owner: 单位
        every: 每月
        from: 3月1日
        until: 4月30日
        dueWithin: 5天
        remindBefore: 2天
        reportTo: 办公室
        onOverdue: { actions: [催办] }
      - { id: 学习心得, title: 每月学习心得, owner: 党员, subject: member, every: 每月 }
`;

const DAY = 86_400_000;

async function halfYear() {
  const h = await engineWith(CAMPAIGN, { start: '2024-01-01T00:00:00' });
  await h.engine.startCampaign({ process: h.processId, organisation: organisation(1, 2), campaignId: 'c' });
  await runUntil(h.engine, h.clock, shanghai('2024-06-30T12:00:00'));
  return h;
}

describe('a monthly report 3月至4月, due 5 days after each start, reminded 2 days before, 催办 when late', () => {
  it('when the half-year runs without a report, then only March and April are owed, each due at the end of its fifth day, with its reminder, its 催办 and the office it reports to', async () => {
    const { engine, effects } = await halfYear();
    const reports = (await engine.tasks('c/u01')).filter((t) => t.item === '月报');
    // from 3月1日 until 4月30日 in a phase of 1月至6月: two occurrences, not six.
    expect(reports.map((t) => t.occurrence)).toEqual([0, 1]);
    // dueWithin 5天: an occurrence's first day is its own, so 1–5 March, due when 5 March is over
    // (5 days after it starts, 6 March 00:00); 1–5 April likewise.
    expect(reports.map((t) => t.dueAt)).toEqual([shanghai('2024-03-06T00:00:00'), shanghai('2024-04-06T00:00:00')]);
    expect(reports.every((t) => t.status === 'overdue' && t.reportTo === '办公室')).toBe(true);
    // remindBefore 2天: two days before each deadline; onOverdue: one 催办 per late occurrence.
    const reminded = effects.filter((e) => e.effect === 'remind' && e.action === undefined && e.cause.includes('月报')).map((e) => e.at);
    expect(reminded).toEqual([shanghai('2024-03-06T00:00:00') - 2 * DAY, shanghai('2024-04-06T00:00:00') - 2 * DAY]);
    expect(effects.filter((e) => e.action === '催办').map((e) => e.at)).toEqual([shanghai('2024-03-06T00:00:00'), shanghai('2024-04-06T00:00:00')]);
  });

  it('when each member studies monthly, then every member owes each month of the phase, and the unit’s role may not do it for them', async () => {
    const { engine } = await halfYear();
    const studies = (await engine.tasks('c/u01')).filter((t) => t.item === '学习心得');
    // Two members × January to June.
    expect(studies).toHaveLength(12);
    expect(new Set(studies.map((t) => t.member)).size).toBe(2);
    const member = studies.at(-1)?.member as string;
    const sent = engine.send('c/u01', { type: 'task.completed', task: '学习心得', member }, { actor: 'clerk', roles: ['单位'] });
    await expect(sent).rejects.toMatchObject({ code: 'ENGINE_FORBIDDEN' });
    await expect(sent).rejects.toBeInstanceOf(EngineError);
  });
});

const HELD = `
kind: campaign
id: 必办事项
title: 必办事项
source: { title: 测试 }
year: 2024
subjects: [unit]
roles:
  - { id: 办公室, title: 办公室, level: office }
  - { id: 单位, title: 各单位, level: unit }
phases:
  - id: 整改
    title: 整改
    exit: all-required-done
    tasks:
      - { id: 整改方案, title: 整改方案, owner: 单位, due: 3月31日 }
      - { id: 经验材料, title: 经验材料, owner: 单位, due: 3月31日, required: false, reportTo: 办公室 }
    recurring:
      - { id: 周报, title: 每周报告, owner: 单位, every: 每周, required: false }
  - id: 巩固
    title: 巩固
    tasks:
      - { id: 总结, title: 总结, owner: 单位, due: 12月20日 }
`;

describe('work that is not required (required: false) in a phase that ends when its required work is done', () => {
  it('when the one required task is done, then the unit moves on at once, though the optional task (reported to the office) and the weekly report are open', async () => {
    const h = await engineWith(HELD, { start: '2024-01-01T00:00:00' });
    await h.engine.startCampaign({ process: h.processId, organisation: organisation(1, 0), campaignId: 'c' });
    await runUntil(h.engine, h.clock, shanghai('2024-01-10T10:00:00'));
    expect((await h.engine.state('c/u01')).phase).toBe('整改');
    const open = await h.engine.tasks('c/u01', { status: ['open'] });
    expect(open.find((t) => t.item === '经验材料')?.reportTo).toBe('办公室');
    expect(open.some((t) => t.item === '周报')).toBe(true);
    await h.engine.send('c/u01', { type: 'task.completed', task: '整改方案' });
    expect((await h.engine.state('c/u01')).phase).toBe('巩固');
  });
});
