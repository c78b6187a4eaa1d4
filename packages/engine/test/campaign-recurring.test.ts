import { describe, expect, it } from 'vitest';
import { runUntil } from '@luoshi/engine';
import { validateProcessText } from '@luoshi/dsl';
import { engineWith, organisation, shanghai } from './support/harness.js';

/*
 * Campaign-level recurring duties (issue 18, "Time"): "各单位每季度报送工作进展，每半年报送工作总结"
 * written once at the campaign, not repeated in each phase. They run across every phase, from the
 * campaign start to its end: over 2024 (three phases) that is 4 quarterly reports and 2 half-yearly
 * summaries per unit, whichever phase the unit is in.
 */
const CAMPAIGN = `
kind: campaign
id: 全年推进
title: 全年推进
source: { title: 测试 }
year: 2024
subjects: [unit]
roles:
  - { id: 单位, title: 各单位, level: unit }
recurring:
  - { id: 进展报告, title: 每季度报送工作进展, owner: 单位, every: 每季度 }
  - { id: 半年总结, title: 每半年报送工作总结, owner: 单位, every: 每半年, dueWithin: 10天 }
phases:
  - id: 动员部署
    title: 动员部署
    window: 1月至3月
  - id: 集中整治
    title: 集中整治
    window: 4月至9月
    recurring:
      - { id: 整治月报, title: 整治月报, owner: 单位, every: 每月 }
  - id: 巩固提高
    title: 巩固提高
    window: 10月至12月
`;

describe('given campaign-level duties (每季度进展, 每半年总结) over three phases of 2024', () => {
  it('when the file is validated, then it is valid', () => {
    const result = validateProcessText(CAMPAIGN, { file: 'campaign-recurring.yaml' });
    expect(result.diagnostics.filter((d) => d.code !== 'DSL_SCHEMA_COMMENT')).toEqual([]);
  });

  it('when the year runs with nothing done, then each unit has 4 quarterly reports and 2 half-yearly summaries across the phases, due as written', async () => {
    const { engine, clock, processId } = await engineWith(CAMPAIGN, { start: '2024-01-01T00:00:00' });
    await engine.startCampaign({ process: processId, organisation: organisation(2, 0), campaignId: 'c' });
    await runUntil(engine, clock, shanghai('2024-05-01T00:00:00'));
    // In 集中整治 the campaign-level report of the second quarter is open beside the phase's own monthly one.
    expect((await engine.state('c/u01')).phase).toBe('集中整治');
    const open = (await engine.tasks('c/u01', { status: ['open'] })).map((t) => t.key).sort();
    expect(open).toEqual(['整治月报#1', '进展报告#1'].sort());
    // The first quarter's report and January's summary (due within 10 days) were opened in 动员部署 and are overdue.
    const overdue = (await engine.tasks('c/u01', { status: ['overdue'] })).map((t) => t.key).sort();
    expect(overdue).toEqual(['半年总结#0', '整治月报#0', '进展报告#0'].sort());
    await runUntil(engine, clock, shanghai('2025-01-02T00:00:00'));
    for (const unit of ['c/u01', 'c/u02']) {
      const tasks = await engine.tasks(unit);
      const reports = tasks.filter((t) => t.item === '进展报告');
      // Each quarter's report is due when the next quarter starts; the last when the campaign ends.
      expect(reports.map((t) => t.dueAt)).toEqual(['2024-04-01', '2024-07-01', '2024-10-01', '2025-01-01'].map((d) => shanghai(`${d}T00:00:00`)));
      const summaries = tasks.filter((t) => t.item === '半年总结');
      // Within 10 days of the half-year's start, its first day its own: 1–10 January and 1–10 July,
      // due when the 10th is over.
      expect(summaries.map((t) => t.dueAt)).toEqual(['2024-01-11', '2024-07-11'].map((d) => shanghai(`${d}T00:00:00`)));
      expect(tasks.filter((t) => t.item === '整治月报')).toHaveLength(6);
      expect([...reports, ...summaries].every((t) => t.status === 'overdue')).toBe(true);
    }
  });

  it('when a unit reports its progress during 巩固提高, then the campaign-level report is done', async () => {
    const { engine, clock, processId } = await engineWith(CAMPAIGN, { start: '2024-01-01T00:00:00' });
    await engine.startCampaign({ process: processId, organisation: organisation(1, 0), campaignId: 'c' });
    await runUntil(engine, clock, shanghai('2024-11-05T09:00:00'));
    expect((await engine.state('c/u01')).phase).toBe('巩固提高');
    await engine.send('c/u01', { type: 'task.completed', task: '进展报告' });
    expect((await engine.tasks('c/u01')).find((t) => t.key === '进展报告#3')).toMatchObject({ status: 'done', completedAt: shanghai('2024-11-05T09:00:00') });
  });
});
