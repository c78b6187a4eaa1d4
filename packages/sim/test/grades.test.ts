import { parseProcessText, validateParsedFiles } from '@luoshi/dsl';
import { describe, expect, it } from 'vitest';
import { monteCarlo, renderReport, simulate, validateScenarioText, type ScenarioFile } from '@luoshi/sim';

/**
 * 等次评定 in the simulator (issue 19): the simulator runs the engine's step, so a grading at 年底
 * grades every unit on the scores the scenario gives. Four units in two kinds of two: 好 scored 95
 * in both evaluations, 差 scored 55 in both, so 0.5 × 95 + 0.5 × 95 = 95 → 优秀 and 55 → 不合格.
 */
const CAMPAIGN = `
kind: campaign
id: 年度考核
title: 年度考核
source: { title: 测试 }
year: 2024
subjects: [unit]
roles:
  - { id: 单位, title: 各单位, level: unit }
  - { id: 考核办, title: 考核办公室, level: office }
flags:
  - { id: 达标, title: 达标, lasts: campaign }
phases:
  - id: 实施
    title: 实施
    window: 2024-01-01..2024-12-31
    evaluations:
      - { id: 自评, title: 单位自评, by: 单位, subject: unit, due: 6月30日 }
      - { id: 考核, title: 年度考核, by: 考核办, subject: unit, due: 6月30日 }
grades:
  - id: 年度等次
    title: 年度考核等次
    subject: unit
    at: 年底
    weights: { 自评: 1, 考核: 1 }
    bands:
      - { grade: 优秀, min: 90, flags: [达标] }
      - { grade: 合格, min: 60, flags: [达标] }
      - { grade: 不合格 }
`;

const SCENARIO = `kind: scenario
id: 等次
seed: 5
organisation: { units: 4, membersPerUnit: 0, kinds: [{ id: 好, share: 0.5 }, { id: 差, share: 0.5 }] }
behaviour:
  default:
    tasks: { delay: { kind: fixed, mean: 10 }, neverProbability: 0 }
    complaintsPerMemberPerMonth: 0
    scores: { default: { kind: fixed, mean: 95 } }
    findingsPerUnitPerMonth: 0
  kinds:
    差:
      scores: { default: { kind: fixed, mean: 55 } }
`;

function inputs() {
  const definitions = validateParsedFiles([parseProcessText(CAMPAIGN, 'campaign.yaml')]);
  expect(definitions.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const loaded = validateScenarioText(SCENARIO, 'scenario.yaml');
  expect(loaded.diagnostics ?? []).toEqual([]);
  return { definitions, processId: '年度考核', scenario: loaded.scenario as ScenarioFile };
}

describe('grades in a simulation (等次评定)', () => {
  it('when two units score 95 and two score 55, then the result counts 2 优秀, 0 合格, 2 不合格 at year end, and the pass flag twice', async () => {
    const result = await simulate(inputs());
    expect(result.grades).toEqual({ 年度等次: { 优秀: 2, 合格: 0, 不合格: 2 } });
    expect(result.flags['达标']).toBe(2);
  });

  it('when run three times, then each band’s count is a spread over the runs (mean 2 优秀), and the report has a grades table', async () => {
    const result = await monteCarlo({ ...inputs(), runs: 3, threads: 1 });
    expect(result.grades?.['年度等次']?.['优秀']).toEqual({ mean: 2, p5: 2, p95: 2 });
    expect(result.grades?.['年度等次']?.['合格']).toEqual({ mean: 0, p5: 0, p95: 0 });
    const html = renderReport(result, { lang: 'zh' });
    expect(html).toContain('等次评定');
    expect(html).toContain('不合格');
  });

  it('when a process has no grading, then its result has no grades key (results of other processes keep their bytes)', async () => {
    const definitions = validateParsedFiles([parseProcessText(CAMPAIGN.replace(/grades:[\s\S]*$/, ''), 'campaign.yaml')]);
    const loaded = validateScenarioText(SCENARIO, 'scenario.yaml');
    const result = await simulate({ definitions, processId: '年度考核', scenario: loaded.scenario as ScenarioFile });
    expect('grades' in result).toBe(false);
  });
});
