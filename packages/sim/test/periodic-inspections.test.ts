import { parseProcessText, validateParsedFiles } from '@luoshi/dsl';
import { describe, expect, it } from 'vitest';
import { simulate, validateScenarioText, type ScenarioFile } from '@luoshi/sim';

/**
 * 定期检查 (issue 18): an inspection with `every:` is carried out once per period and unit, and the
 * simulator plans its findings per occurrence: with the unit's finding rate, a period finds
 * something or is recorded clean; no finding comes between the inspections.
 */
const CAMPAIGN = `
kind: campaign
id: 月度督查活动
title: 月度督查活动
source: { title: 测试 }
year: 2024
subjects: [unit]
roles:
  - { id: 督查组, title: 督查组, level: office }
  - { id: 单位, title: 各单位, level: unit }
actions:
  - { id: 整改通知, title: 整改通知书, effect: notify }
phases:
  - id: 实施
    title: 实施
    window: 4月至6月
    inspections:
      - { id: 月度督查, title: 每月督查, by: 督查组, every: 每月, rectifyWithin: 10天, onFinding: { actions: [整改通知] } }
`;

const scenario = (findingsPerMonth: number) => `kind: scenario
id: 月度督查
seed: 11
organisation: { units: 10, membersPerUnit: 0 }
behaviour:
  default:
    tasks: { delay: { kind: fixed, mean: 2 }, neverProbability: 0 }
    complaintsPerMemberPerMonth: 0
    scores: { default: { kind: fixed, mean: 80 } }
    findingsPerUnitPerMonth: ${findingsPerMonth}
    rectification: { onTime: 1, late: 0, failsReinspection: 0 }
`;

const definitions = validateParsedFiles([parseProcessText(CAMPAIGN, 'campaign.yaml')]);

async function run(findingsPerMonth: number) {
  const loaded = validateScenarioText(scenario(findingsPerMonth), 'scenario.yaml');
  expect(loaded.diagnostics).toEqual([]);
  return simulate({ definitions, processId: '月度督查活动', scenario: loaded.scenario as ScenarioFile });
}

describe('given a monthly inspection (每月督查) in 4月至6月 over 10 units', () => {
  it('when units are never found at fault, then every month of every unit is inspected and recorded clean: 30 inspections, no finding', async () => {
    expect(definitions.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const result = await run(0);
    // April, May and June for each of 10 units.
    expect(result.deadlines['月度督查']).toMatchObject({ total: 30, onTime: 30, late: 0, overdue: 0 });
    expect(result.events.sent['finding.recorded'] ?? 0).toBe(0);
    expect(result.events.sent['task.completed']).toBe(30);
    expect(result.events.rejected).toEqual({});
  });

  it('when a unit is found at fault many times a month, then each monthly inspection finds it once: 30 findings, not a random stream between them', async () => {
    // At 50 a month, the chance that a month's inspection finds nothing is e^-50: none does.
    const result = await run(50);
    expect(result.events.sent['finding.recorded']).toBe(30);
    expect(result.deadlines['月度督查']).toMatchObject({ total: 30, onTime: 30, overdue: 0 });
    expect(result.events.sent['task.completed'] ?? 0).toBe(0);
  });
});
