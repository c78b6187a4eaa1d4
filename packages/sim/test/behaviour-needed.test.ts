import { LuoshiError, parseProcessText, validateParsedFiles } from '@luoshi/dsl';
import { describe, expect, it } from 'vitest';
import { simulate, validateScenarioText, type ScenarioFile } from '@luoshi/sim';

/**
 * A scenario asks only for what the campaign uses (issue 18, "Validation messages found confusing"):
 * a campaign without inspections needs no findings rate, one without rules on verified complaints
 * no complaints rate; one that has them needs them, said by SIM_BEHAVIOUR_NEEDED.
 */
const PLAIN = `
kind: campaign
id: 报送方案
title: 报送方案
source: { title: 测试 }
year: 2024
subjects: [unit]
roles:
  - { id: 办公室, title: 办公室, level: office }
  - { id: 单位, title: 各单位, level: unit }
actions:
  - { id: 通报, title: 通报批评, effect: criticise, by: 办公室 }
phases:
  - id: 实施
    title: 实施
    window: 3月至4月
    tasks:
      - { id: 方案, title: 报送方案, owner: 单位, due: 3月20日 }
`;

const WITH_INSPECTION = PLAIN.replace(
  "      - { id: 方案, title: 报送方案, owner: 单位, due: 3月20日 }",
  "      - { id: 方案, title: 报送方案, owner: 单位, due: 3月20日 }\n    inspections:\n      - { id: 督查, title: 督查, by: 办公室, rectifyWithin: 10天, onFinding: { actions: [通报] } }",
);

const WITH_COMPLAINTS = `${PLAIN}ladders:
  - id: 查实
    title: 查实一次通报
    on: { event: complaint-verified }
    subject: unit
    rungs:
      - { level: 1, actions: [通报] }
`;

/** Only what every campaign uses: how tasks are done. */
const BARE = `kind: scenario
id: 只有任务
title: 只有任务
process: 报送方案
seed: 1
organisation: { units: 4, membersPerUnit: 2 }
behaviour:
  default:
    tasks: { delay: { kind: fixed, mean: 3 }, neverProbability: 0 }
`;

const definitionsOf = (text: string) => validateParsedFiles([parseProcessText(text, 'campaign.yaml')]);
const scenarioOf = (text: string) => {
  const loaded = validateScenarioText(text, 'scenario.yaml');
  expect(loaded.diagnostics).toEqual([]);
  return loaded.scenario as ScenarioFile;
};
const refusal = async (text: string, scenario: string) => {
  const error = await simulate({ definitions: definitionsOf(text), processId: '报送方案', scenario: scenarioOf(scenario) }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(LuoshiError);
  return error as LuoshiError;
};

describe('given a scenario that says only how tasks are done', () => {
  it('when the campaign has neither inspections nor rules on complaints, then it is valid and runs: 4 plans on time, nothing else sent', async () => {
    const result = await simulate({ definitions: definitionsOf(PLAIN), processId: '报送方案', scenario: scenarioOf(BARE) });
    expect(result.deadlines['方案']).toMatchObject({ total: 4, onTime: 4 });
    expect(result.events.sent).toEqual({ 'task.completed': 4 });
  });

  it('when the campaign has an inspection, then SIM_BEHAVIOUR_NEEDED asks for findingsPerUnitPerMonth, naming it', async () => {
    const error = await refusal(WITH_INSPECTION, BARE.replace('neverProbability: 0 }', 'neverProbability: 0 }\n    rectification: { onTime: 1, late: 0, failsReinspection: 0 }'));
    expect(error.code).toBe('SIM_BEHAVIOUR_NEEDED');
    expect(error.message).toContain('findingsPerUnitPerMonth');
    expect(error.message).toContain('督查');
  });

  it('when a ladder counts verified complaints, then SIM_BEHAVIOUR_NEEDED asks for complaintsPerMemberPerMonth, naming the ladder', async () => {
    const error = await refusal(WITH_COMPLAINTS, BARE);
    expect(error.code).toBe('SIM_BEHAVIOUR_NEEDED');
    expect(error.message).toContain('complaintsPerMemberPerMonth');
    expect(error.message).toContain('查实');
  });
});
