import { describe, expect, it } from 'vitest';
import { runUntil } from '@luoshi/engine';
import { validateProcessText } from '@luoshi/dsl';
import { engineWith, organisation, shanghai } from './support/harness.js';

/*
 * Work due after its phase (issue 18, "Time"): "集中整治阶段结束后，各单位于6月15日前报送阶段总结".
 * The summary belongs to 集中整治 (4月至5月); its deadline lies two weeks beyond it. It is valid,
 * opens with its phase, stays open after the phase ends, and is overdue only when 15 June is over.
 */
const CAMPAIGN = `
kind: campaign
id: 阶段总结
title: 阶段总结
source: { title: 测试 }
year: 2024
subjects: [unit]
roles:
  - { id: 单位, title: 各单位, level: unit }
phases:
  - id: 集中整治
    title: 集中整治
    window: 4月至5月
    tasks:
      - { id: 整治方案, title: 整治方案, owner: 单位, due: 4月10日 }
      - { id: 阶段总结, title: 报送阶段总结, owner: 单位, due: 6月15日 }
  - id: 巩固提高
    title: 巩固提高
    window: 6月至12月
    tasks:
      - { id: 年度总结, title: 年度总结, owner: 单位, due: 12月20日 }
`;

describe('given a phase report due after its phase (集中整治 4月至5月, 阶段总结 due 6月15日)', () => {
  it('when the file is validated, then a due after the window is no error nor warning', () => {
    const result = validateProcessText(CAMPAIGN, { file: 'after.yaml' });
    expect(result.diagnostics.filter((d) => d.code !== 'DSL_SCHEMA_COMMENT')).toEqual([]);
    expect(result.ok).toBe(true);
  });

  it('when a due lies before its phase opens (巩固提高 6月至12月, due 5月20日), then it is still refused (DSL_DEADLINE_OUTSIDE_WINDOW)', () => {
    const result = validateProcessText(CAMPAIGN.replace('due: 12月20日', 'due: 5月20日'), { file: 'before.yaml' });
    expect(result.diagnostics.map((d) => d.code).filter((c) => c !== 'DSL_SCHEMA_COMMENT')).toEqual(['DSL_DEADLINE_OUTSIDE_WINDOW']);
  });

  it('when the phase ends on 31 May, then a report due after its phase is still open after the phase ends, and overdue only after 15 June', async () => {
    const { engine, clock, processId } = await engineWith(CAMPAIGN, { start: '2024-04-01T00:00:00' });
    await engine.startCampaign({ process: processId, organisation: organisation(1, 0), campaignId: 'c' });
    await engine.send('c/u01', { type: 'task.completed', task: '整治方案' });
    await runUntil(engine, clock, shanghai('2024-06-10T12:00:00'));
    expect((await engine.state('c/u01')).phase).toBe('巩固提高');
    const summary = async () => (await engine.tasks('c/u01')).find((t) => t.item === '阶段总结');
    expect(await summary()).toMatchObject({ phase: '集中整治', status: 'open', dueAt: shanghai('2024-06-16T00:00:00') });
    await runUntil(engine, clock, shanghai('2024-06-15T23:59:00'));
    expect((await summary())?.status).toBe('open');
    await runUntil(engine, clock, shanghai('2024-06-16T00:00:01'));
    expect((await summary())?.status).toBe('overdue');
  });

  it('when the report is done in June, after its phase, then it is done on time', async () => {
    const { engine, clock, processId } = await engineWith(CAMPAIGN, { start: '2024-04-01T00:00:00' });
    await engine.startCampaign({ process: processId, organisation: organisation(1, 0), campaignId: 'c' });
    await runUntil(engine, clock, shanghai('2024-06-12T09:00:00'));
    await engine.send('c/u01', { type: 'task.completed', task: '阶段总结' });
    expect((await engine.tasks('c/u01')).find((t) => t.item === '阶段总结')).toMatchObject({ status: 'done', completedAt: shanghai('2024-06-12T09:00:00') });
  });
});
