import { parseProcessText, validateParsedFiles } from '@luoshi/dsl';
import { describe, expect, it } from 'vitest';
import { monteCarlo, simulate, validateScenarioText, type ScenarioFile } from '@luoshi/sim';

/*
 * Flags and effects per month (issue 21: "flags and effects per month"). A campaign of 2024-01-01 to
 * 2024-06-30 whose one task is due on 31 March; a unit that leaves it undone is overdue when 31 March
 * ends (1 April 00:00), and the consequence then flags it 通报 and delivers one 通报批评 (criticise).
 * With every unit leaving it undone, by hand: four units flagged at the start of April, May and June
 * and none before; four criticise effects, all in April; none in any other month.
 */
const CAMPAIGN = `
kind: campaign
id: 月度标记
title: 月度标记
source: { title: 测试 }
year: 2024
start: 2024-01-01
end: 2024-06-30
subjects: [unit]
roles:
  - { id: 办公室, title: 办公室, level: office }
  - { id: 单位, title: 各单位, level: unit }
flags:
  - { id: 通报, title: 逾期被通报, subject: unit }
actions:
  - { id: 通报批评, title: 通报批评, effect: criticise }
phases:
  - id: 实施
    title: 实施
    window: 1月至6月
    tasks:
      - { id: 报送方案, title: 报送实施方案, owner: 单位, due: 3月31日 }
consequences:
  - id: 逾期通报
    title: 逾期未报送的单位通报批评
    on: { event: task-overdue }
    subject: unit
    flags: [通报]
    actions: [通报批评]
`;

const scenario = (neverProbability: number): string => `kind: scenario
id: 全部逾期
title: 全部逾期
process: 月度标记
seed: 3
organisation: { units: 4, membersPerUnit: 0 }
behaviour:
  default:
    tasks: { delay: { kind: fixed, mean: 2 }, neverProbability: ${neverProbability} }
`;

function definitions() {
  const result = validateParsedFiles([parseProcessText(CAMPAIGN, 'c.yaml')]);
  if (!result.campaigns.has('月度标记')) throw new Error(JSON.stringify(result.diagnostics));
  return result;
}

function scenarioFile(neverProbability: number): ScenarioFile {
  const checked = validateScenarioText(scenario(neverProbability), 's.yaml');
  if (!checked.scenario) throw new Error(JSON.stringify(checked.diagnostics));
  return checked.scenario;
}

describe('flags and effects per month', () => {
  it('when every unit leaves its task overdue, then 4 are flagged from April on and 4 criticised in April alone', async () => {
    const result = await simulate({ definitions: definitions(), processId: '月度标记', scenario: scenarioFile(1) });
    expect(result.monthly.map((m) => m.month)).toEqual(['2024-01', '2024-02', '2024-03', '2024-04', '2024-05', '2024-06']);
    expect(result.monthly.map((m) => m.flags?.['通报'])).toEqual([0, 0, 0, 4, 4, 4]);
    expect(result.monthly.map((m) => m.effects['criticise'] ?? 0)).toEqual([0, 0, 0, 4, 0, 0]);
    // The months add up to the run's totals.
    expect(result.effects['criticise']).toBe(4);
  });

  it('when every unit reports in time, then no month has a flag or an effect; over runs each month is a spread', async () => {
    const result = await simulate({ definitions: definitions(), processId: '月度标记', scenario: scenarioFile(0) });
    expect(result.monthly.map((m) => m.flags?.['通报'])).toEqual([0, 0, 0, 0, 0, 0]);
    expect(result.monthly.every((m) => Object.keys(m.effects).length === 0)).toBe(true);
    const spread = await monteCarlo({ definitions: definitions(), processId: '月度标记', scenario: scenarioFile(1), runs: 2, threads: 1 });
    expect(spread.monthly[3]?.flags?.['通报']?.mean).toBe(4);
    expect(spread.monthly[3]?.effects['criticise']?.mean).toBe(4);
    expect(spread.monthly[4]?.effects['criticise']).toBeUndefined();
  });
});
