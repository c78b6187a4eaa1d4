import { parseProcessText, validateParsedFiles } from '@luoshi/dsl';
import { describe, expect, it } from 'vitest';
import { simulate, validateScenarioText, type ScenarioFile } from '@luoshi/sim';

/**
 * An inspection in a phase without a window (D1's 长效管理: 「今后，省里还将对这些达标小城镇进行不定期的
 * 抽检」): a unit is in it from the day it passes until the campaign ends, whatever the calendar of the
 * phases before. The simulator used to plan findings only between the windows around the phase
 * (here from 1 October, when 复评 ends), so a unit that passed in March met no inspection for half
 * a year, and D1's 摘帽 round, after the last round's window, met none at all.
 */
const CAMPAIGN = `
kind: campaign
id: 达标长效
title: 达标长效
source: { title: 测试 }
year: 2024
end: 2024-12-31
subjects: [unit]
roles:
  - { id: 办公室, title: 办公室, level: office }
  - { id: 单位, title: 各单位, level: unit }
actions:
  - { id: 摘帽通报, title: 摘帽通报, effect: criticise, by: 办公室 }
phases:
  - id: 初评
    title: 初评
    window: 3月
    exit: decision
    decisions:
      - id: 初评结论
        title: 初评结论
        by: 办公室
        options:
          - { id: 达标, next: 长效管理 }
          - { id: 未达标, next: 复评 }
  - id: 复评
    title: 复评
    window: 9月
    exit: decision
    decisions:
      - id: 复评结论
        title: 复评结论
        by: 办公室
        options:
          - { id: 达标, next: 长效管理 }
          - { id: 未达标, next: end }
  - id: 长效管理
    title: 长效管理
    inspections:
      - { id: 抽检, title: 不定期抽检, by: 办公室, rectifyWithin: 30天, reinspect: false, maxRounds: 1, onFinding: { actions: [摘帽通报] } }
`;

const SCENARIO = `kind: scenario
id: 首轮达标
title: 首轮达标
process: 达标长效
seed: 11
organisation: { units: 20, membersPerUnit: 0 }
behaviour:
  default:
    tasks: { delay: { kind: fixed, mean: 2 }, neverProbability: 0 }
    complaintsPerMemberPerMonth: 0
    findingsPerUnitPerMonth: 1
    rectification: { onTime: 1, late: 0, failsReinspection: 0 }
decisions:
  初评结论: { options: { 达标: 1 }, delay: { kind: fixed, mean: 5 } }
`;

const shanghai = (iso: string) => Date.parse(`${iso}+08:00`);

describe('given an inspection in 长效管理, a phase without a window every unit enters when it passes (6 March)', () => {
  it('when the year is simulated, then findings come from 6 March to the end, not only after 复评’s window', async () => {
    const definitions = validateParsedFiles([parseProcessText(CAMPAIGN, 'campaign.yaml')]);
    expect(definitions.diagnostics.filter((d) => d.code !== 'DSL_SCHEMA_COMMENT')).toEqual([]);
    const loaded = validateScenarioText(SCENARIO, 'scenario.yaml');
    expect(loaded.diagnostics).toEqual([]);
    const notices: number[] = [];
    const result = await simulate({
      definitions,
      processId: '达标长效',
      scenario: loaded.scenario as ScenarioFile,
      onEffect: (e) => {
        if (e.action === '摘帽通报') notices.push(e.at);
      },
    });
    // Every unit passes on 6 March (entered 1 March, decided 5 days later) and is inspected from then on.
    const passed = shanghai('2024-03-06T00:00:00');
    expect(notices.length).toBeGreaterThan(0);
    expect(notices).toHaveLength(result.events.sent['finding.recorded'] ?? 0);
    expect(notices.every((at) => at >= passed && at < shanghai('2025-01-01T00:00:00'))).toBe(true);
    // 20 units × 7 months (March to September) at 1 a month: about 140 findings before 复评's window
    // ends; planned only from 1 October there were none.
    expect(notices.filter((at) => at < shanghai('2024-10-01T00:00:00')).length).toBeGreaterThan(40);
    // Refused only: a second finding during a round (ENGINE_INSPECTION_STATE), and a rectification of
    // a late-December finding reported in the day the run goes on past the end (ENGINE_CAMPAIGN_ENDED).
    expect(Object.keys(result.events.rejected).filter((code) => code !== 'ENGINE_INSPECTION_STATE' && code !== 'ENGINE_CAMPAIGN_ENDED')).toEqual([]);
  });
});
