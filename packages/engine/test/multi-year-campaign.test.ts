import { describe, expect, it } from 'vitest';
import { validateProcessText, validateProcessTexts } from '@luoshi/dsl';
import { createInProcessEngine, VirtualClock, type EngineChange } from '../src/index.js';
import { planOf, shanghai } from './support/records.js';

/*
 * 三年行动 — the plain form of a campaign over several years (issue 18, defect 7): `year: 2024`,
 * `end: 2026-12-31`, one phase over the three years, a quarterly duty, a yearly assessment due on
 * 20 December and a ranking at the year's end. Read as written: 4 quarters × 3 years = 12
 * occurrences, one assessment per year = 3, one ranking per year = 3, for every unit.
 */
const THREE_YEARS = `
kind: campaign
id: 三年行动
title: 三年行动
source: { title: 测试 }
year: 2024
end: 2026-12-31
subjects: [unit]
roles:
  - { id: 单位, title: 各单位, level: unit }
  - { id: 考核办, title: 考核办公室, level: office }
phases:
  - id: 实施
    title: 实施
    window: 2024-01-01..2026-12-31
    recurring:
      - { id: 季度报告, title: 每季度报送进展, owner: 单位, every: 每季度 }
    evaluations:
      - { id: 年度考核, title: 年度考核, by: 考核办, subject: unit, every: 每年, due: 12月20日 }
rankings:
  - id: 年度排名
    title: 年度排名
    subject: unit
    at: 年底
    weights: { 年度考核: 1 }
`;

describe('a campaign over three years (三年行动)', () => {
  it('when it runs 2024–2026 with a quarterly duty, a yearly assessment and a ranking at 年底, then each unit has 12 occurrences, 3 assessments and 3 rankings', async () => {
    const validation = validateProcessTexts([{ file: 'three-years.yaml', text: THREE_YEARS }]);
    expect(validation.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(validation.ok).toBe(true);
    const clock = new VirtualClock(Date.parse('2024-01-01T00:00:00+08:00'));
    const driver = createInProcessEngine({ clock });
    await driver.deploy(validation);
    const { instances } = await driver.startCampaign({ process: '三年行动', organisation: { id: '区委', units: [{ id: '甲' }, { id: '乙' }] }, campaignId: 'c' });
    const units = instances.filter((i) => i.unitId !== '区委').map((i) => i.instanceId);
    const rankings = new Map<string, number[]>(units.map((u) => [u, []]));
    driver.subscribe((change: EngineChange) => {
      if (change.type === 'ranking.placed') rankings.get(change.instanceId)?.push(change.at);
    });
    const end = Date.parse('2027-01-02T00:00:00+08:00');
    let score = 80;
    for (;;) {
      // Every open piece of work is done at once: quarterly reports reported, assessments scored.
      for (const unit of units)
        for (const task of await driver.tasks(unit, { status: ['open', 'overdue'] })) {
          if (task.kind === 'evaluation') await driver.send(unit, { type: 'score.given', evaluation: task.item, score: score++ });
          else await driver.send(unit, { type: 'task.completed', task: task.item });
        }
      const next = await driver.nextTimerAt();
      if (next === undefined || next > end) break;
      clock.advanceTo(Math.max(next, clock.now()));
      await driver.runDueTimers();
    }
    for (const unit of units) {
      const tasks = await driver.tasks(unit);
      expect(tasks.filter((t) => t.item === '季度报告')).toHaveLength(12);
      const assessments = tasks.filter((t) => t.item === '年度考核');
      expect(assessments).toHaveLength(3);
      expect(assessments.every((t) => t.status === 'done')).toBe(true);
      // Each year's assessment is due on 20 December of that year (the end of the day).
      expect(assessments.map((t) => t.dueAt)).toEqual(
        ['2024-12-21', '2025-12-21', '2026-12-21'].map((d) => Date.parse(`${d}T00:00:00+08:00`)),
      );
      expect(rankings.get(unit)).toEqual(['2025-01-01', '2026-01-01', '2027-01-01'].map((d) => Date.parse(`${d}T00:00:00+08:00`)));
    }
  });

  it('when a campaign year crosses New Year, then a window "12月10日至1月5日" runs from 10 December to 5 January of the next year', () => {
    const text = `
kind: campaign
id: 冬季行动
title: 冬季行动
source: { title: 测试 }
year: 2024
subjects: [unit]
roles:
  - { id: 单位, title: 各单位, level: unit }
phases:
  - id: 集中整治
    title: 集中整治
    window: 12月10日至1月5日
    tasks:
      - { id: 整治报告, title: 报送整治情况, owner: 单位, due: 1月5日 }
`;
    const validation = validateProcessText(text, { file: 'winter.yaml' });
    expect(validation.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const plan = planOf(text);
    expect([plan.phases[0]?.start, plan.phases[0]?.end]).toEqual([shanghai('2024-12-10T00:00:00'), shanghai('2025-01-06T00:00:00')]);
    // The task due 1月5日 falls in the same campaign year: 5 January 2025, over at the end of that day.
    expect(plan.items.get('整治报告')?.dueAt).toBe(shanghai('2025-01-06T00:00:00'));
  });
});
