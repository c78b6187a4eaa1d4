import { parseProcessText, validateParsedFiles } from '@luoshi/dsl';
import { describe, expect, it } from 'vitest';
import { simulate, validateScenarioText, type ScenarioFile } from '@luoshi/sim';

/**
 * A decision the scenario draws for each unit (`scope: unit`: D1's 验收结论 on each town) is not drawn
 * for the office: the office holds no unit's work and is no town to pass. Before, it drew one too,
 * and its 达标 counted as one more town passed (a flag and a 公布 effect). A decision of the leading
 * group for every unit (`scope: campaign`) is taken by the office too, so it follows their path.
 */
const CAMPAIGN = `
kind: campaign
id: 验收
title: 验收
source: { title: 测试 }
year: 2024
subjects: [unit]
roles:
  - { id: 办公室, title: 办公室, level: office }
  - { id: 单位, title: 各单位, level: unit }
flags:
  - { id: 达标, title: 考核达标, subject: unit, lasts: campaign }
actions:
  - { id: 公布, title: 公布达标名单, effect: publicise, by: 办公室 }
phases:
  - id: 验收
    title: 验收
    window: 3月至4月
    exit: decision
    tasks:
      - { id: 自查, title: 自查报告, owner: 单位, due: 3月20日 }
    decisions:
      - id: 验收结论
        title: 验收结论
        by: 办公室
        options:
          - { id: 达标, next: 巩固 }
          - { id: 未达标, next: end }
  - id: 巩固
    title: 巩固
    window: 5月至12月
consequences:
  - id: 达标
    title: 达标的单位
    on: { event: decision-taken, when: "event.option == '达标'" }
    flags: [达标]
    actions: [公布]
`;

const scenario = (scope: string) => `kind: scenario
id: 全部达标
title: 全部达标
process: 验收
seed: 5
organisation: { units: 6, membersPerUnit: 0 }
behaviour:
  default:
    tasks: { delay: { kind: fixed, mean: 2 }, neverProbability: 0 }
    complaintsPerMemberPerMonth: 0
    findingsPerUnitPerMonth: 0
decisions:
  验收结论: { options: { 达标: 1 }, delay: { kind: fixed, mean: 10 }, scope: ${scope} }
`;

async function run(scope: string) {
  const definitions = validateParsedFiles([parseProcessText(CAMPAIGN, 'campaign.yaml')]);
  expect(definitions.diagnostics.filter((d) => d.code !== 'DSL_SCHEMA_COMMENT')).toEqual([]);
  const loaded = validateScenarioText(scenario(scope), 'scenario.yaml');
  expect(loaded.diagnostics).toEqual([]);
  return simulate({ definitions, processId: '验收', scenario: loaded.scenario as ScenarioFile });
}

describe('given 6 units that all pass 验收结论 (达标: 1)', () => {
  it('when the decision is drawn per unit (scope: unit), then it is taken for the 6 units only: 6 flags, 6 公布, none for the office', async () => {
    const result = await run('unit');
    expect(result.events.sent['decision.taken']).toBe(6);
    expect(result.flags['达标']).toBe(6);
    expect(result.effects['publicise']).toBe(6);
    expect(result.events.rejected).toEqual({});
  });

  it('when the leading group decides for every unit (scope: campaign), then the office takes it with them and follows their path (7 decisions)', async () => {
    const result = await run('campaign');
    expect(result.events.sent['decision.taken']).toBe(7);
    expect(result.events.rejected).toEqual({});
  });
});
