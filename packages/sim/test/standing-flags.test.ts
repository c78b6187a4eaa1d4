import { parseProcessText, validateParsedFiles } from '@luoshi/dsl';
import { describe, expect, it } from 'vitest';
import { simulate, validateScenarioText, type ScenarioFile } from '@luoshi/sim';

/**
 * The end-of-run flag counts of a span of years (a standing mechanism simulated for 3 years): a
 * flag that lasts a year lapses at the instant the campaign year ends, which is the instant the span
 * ends. The count at the end is of the span's last year, as its flags stood when it ended, not of
 * the next year that has just begun with none.
 */
const CAMPAIGN = `
kind: campaign
id: 年度末位
title: 年度末位
source: { title: 测试 }
year: 2024
start: 2024-01-01
standing: true
subjects: [unit]
scale: { units: 5 }
roles:
  - { id: 办公室, title: 办公室, level: office }
  - { id: 单位, title: 各单位, level: unit }
flags:
  - { id: 末位, title: 年度考核末位, subject: unit, lasts: year }
phases:
  - id: 常态
    title: 常态
    exit: decision
    evaluations:
      - { id: 年度考核, title: 年度考核, by: 办公室, subject: unit, every: 每年, due: 12月20日 }
    decisions:
      - id: 终止
        title: 终止
        by: 办公室
        options:
          - { id: 终止, next: end }
rankings:
  - id: 年度排名
    title: 年度排名
    subject: unit
    at: 12月25日
    weights: { 年度考核: 1 }
    bottom: { count: 1, flags: [末位] }
`;

const SCENARIO = `kind: scenario
id: 三年
title: 三年
process: 年度末位
seed: 9
organisation: { units: 5, membersPerUnit: 0 }
behaviour:
  default:
    tasks: { delay: { kind: fixed, mean: 2 }, neverProbability: 0 }
    complaintsPerMemberPerMonth: 0
    findingsPerUnitPerMonth: 0
    scores: { default: { kind: normal, mean: 80, sd: 10 } }
`;

describe('given a standing mechanism whose yearly ranking (12月25日) flags the last unit for the year (lasts: year)', () => {
  it('when 3 years are simulated, then the end-of-run count holds 2026’s last unit (1), not the flags after they lapsed on 1 January 2027 (0)', async () => {
    const definitions = validateParsedFiles([parseProcessText(CAMPAIGN, 'campaign.yaml')]);
    expect(definitions.diagnostics.filter((d) => d.code !== 'DSL_SCHEMA_COMMENT')).toEqual([]);
    const loaded = validateScenarioText(SCENARIO, 'scenario.yaml');
    expect(loaded.diagnostics).toEqual([]);
    const result = await simulate({ definitions, processId: '年度末位', scenario: loaded.scenario as ScenarioFile, years: 3 });
    expect(result.period.end).toBe('2026-12-31T16:00:00.000Z');
    expect(result.rankings['年度排名']?.bottom).toHaveLength(1);
    expect(result.flags['末位']).toBe(1);
  });
});
