import { parseProcessText, validateParsedFiles } from '@luoshi/dsl';
import { describe, expect, it } from 'vitest';
import { simulate, validateScenarioText, type ScenarioFile } from '@luoshi/sim';

/**
 * The simulator plans findings only while the inspection's phase runs (issue 18, defect 3), and a
 * branch taken early waits for its window (defect 8): no finding is refused, none falls outside.
 */
const CAMPAIGN = `
kind: campaign
id: 分阶段检查
title: 分阶段检查
source: { title: 测试 }
year: 2024
subjects: [unit]
roles:
  - { id: 办公室, title: 办公室, level: office }
  - { id: 督查组, title: 督查组, level: office }
  - { id: 单位, title: 各单位, level: unit }
actions:
  - { id: 整改通知, title: 整改通知书, effect: notify }
  - { id: 推开整改通知, title: 推开整改通知书, effect: notify }
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
          - { id: 推广, next: 对照检查 }
          - { id: 结束, next: end }
  - id: 对照检查
    title: 对照检查
    window: 9月至10月
    tasks:
      - { id: 推开方案, title: 推开方案, owner: 单位, due: 对照检查后10个工作日内 }
    inspections:
      - { id: 督查, title: 督查, by: 督查组, rectifyWithin: 10天, onFinding: { actions: [整改通知] } }
  - id: 巩固
    title: 巩固
    window: 11月至12月
`;

const SCENARIO = `kind: scenario
id: 分阶段
seed: 7
organisation: { units: 20, membersPerUnit: 0 }
behaviour:
  default:
    tasks: { delay: { kind: fixed, mean: 2 }, neverProbability: 0 }
    complaintsPerMemberPerMonth: 0
    scores: { default: { kind: fixed, mean: 1 } }
    findingsPerUnitPerMonth: 1.5
    rectification: { onTime: 1, late: 0, failsReinspection: 0 }
decisions:
  是否推广: { options: { 推广: 1 }, delay: { kind: fixed, mean: 5 } }
`;

const definitions = validateParsedFiles([parseProcessText(CAMPAIGN, 'campaign.yaml')]);
const loaded = validateScenarioText(SCENARIO, 'scenario.yaml');
const shanghai = (iso: string) => Date.parse(`${iso}+08:00`);

describe('given an inspection in 对照检查 (9月至10月), a branch every unit takes in March', () => {
  it('when the year is simulated, then findings come only in September and October, and none is refused', async () => {
    expect(definitions.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(loaded.diagnostics).toEqual([]);
    const notices: number[] = [];
    const result = await simulate({
      definitions,
      processId: '分阶段检查',
      scenario: loaded.scenario as ScenarioFile,
      onEffect: (e) => {
        if (e.action === '整改通知') notices.push(e.at);
      },
    });
    // 20 units × 2 months × 1.5 a month: about 60 findings, far from none.
    expect(result.events.sent['finding.recorded'] ?? 0).toBeGreaterThan(20);
    expect(notices).toHaveLength(result.events.sent['finding.recorded'] ?? 0);
    expect(notices.every((at) => at >= shanghai('2024-09-01T00:00:00') && at < shanghai('2024-11-01T00:00:00'))).toBe(true);
    // (A second finding during a round plans a second rectification, refused as ENGINE_INSPECTION_STATE as before.)
    expect(Object.keys(result.events.rejected).filter((code) => code !== 'ENGINE_INSPECTION_STATE')).toEqual([]);
    // The branch's plan is counted from its opening on 1 September (10 working days: due after 13 September),
    // and done two days after it opened: every unit on time, none before its window.
    expect(result.deadlines['推开方案']).toMatchObject({ total: 20, onTime: 20, late: 0, overdue: 0 });
  });
});
