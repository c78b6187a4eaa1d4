import { parseProcessText, validateParsedFiles } from '@luoshi/dsl';
import { describe, expect, it } from 'vitest';
import { simulate, validateScenarioText, type ScenarioFile } from '@luoshi/sim';

/**
 * The simulator runs the engine's step, so a sub-process in `mode: sequence` opens its second part
 * only when the first is done (issue 18): with every task done 20 days after it opens, 先做 (open
 * 1 March) is done on 21 March, so 后做 opens then and is not done before the window ends on
 * 31 March; in parallel, 后做 opens on 1 March and is done on 21 March, on time.
 */
const CAMPAIGN = `
kind: campaign
id: 依次
title: 依次
source: { title: 测试 }
year: 2024
subjects: [unit]
roles:
  - { id: 单位, title: 各单位, level: unit }
phases:
  - id: 评议
    title: 评议
    window: 3月
    uses:
      - { use: 先后 }
`;

const subprocess = (mode: string) => `
kind: subprocess
id: 先后
version: 1
title: 先后
mode: ${mode}
roles:
  - { id: 单位, title: 各单位, level: unit }
parts:
  - id: 甲
    title: 甲
    tasks:
      - { id: 先做, title: 先做, owner: 单位 }
  - id: 乙
    title: 乙
    tasks:
      - { id: 后做, title: 后做, owner: 单位 }
`;

const SCENARIO = `kind: scenario
id: 依次
seed: 3
organisation: { units: 4, membersPerUnit: 0 }
behaviour:
  default:
    tasks: { delay: { kind: fixed, mean: 20 }, neverProbability: 0 }
    complaintsPerMemberPerMonth: 0
    scores: { default: { kind: fixed, mean: 1 } }
    findingsPerUnitPerMonth: 0
    rectification: { onTime: 1, late: 0, failsReinspection: 0 }
`;

async function run(mode: string) {
  const definitions = validateParsedFiles([parseProcessText(CAMPAIGN, 'campaign.yaml'), parseProcessText(subprocess(mode), 'sub.yaml')]);
  expect(definitions.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const loaded = validateScenarioText(SCENARIO, 'scenario.yaml');
  return simulate({ definitions, processId: '依次', scenario: loaded.scenario as ScenarioFile });
}

describe('given a sub-process of two parts, every task done 20 days after it opens', () => {
  it('when its parts run in sequence, then 后做 opens on 21 March and no unit does it by 31 March; in parallel, every unit does it on time', async () => {
    const sequence = await run('sequence');
    expect(sequence.deadlines['先做']).toMatchObject({ total: 4, onTime: 4 });
    expect(sequence.deadlines['后做']).toMatchObject({ total: 4, onTime: 0 });
    const parallel = await run('parallel');
    expect(parallel.deadlines['后做']).toMatchObject({ total: 4, onTime: 4 });
  });
});
