import { describe, expect, it } from 'vitest';
import { monteCarlo, simulate } from '@luoshi/sim';
import { checkedDefinitions, checkedScenario } from '../../../test/support/checked-inputs.js';
import { overdueNoticeCampaign } from '../../../test/support/from-campaign.js';
import { minimalScenario } from '../../../test/support/minimal-campaign.js';

/*
 * Flags and effects per month (issue 21: "flags and effects per month"). A campaign of 2024-01-01 to
 * 2024-06-30 whose one task is due on 31 March; a unit that leaves it undone is overdue when 31 March
 * ends (1 April 00:00), and the consequence then flags it 通报 and delivers one 通报批评 (criticise).
 * With every unit leaving it undone, by hand: four units flagged at the start of April, May and June
 * and none before; four criticise effects, all in April; none in any other month.
 */
const CAMPAIGN = overdueNoticeCampaign('月度标记', [{ id: '实施', window: '1月至6月', body: `
  tasks:
    - { id: 报送方案, title: 报送实施方案, owner: 单位, due: 3月31日 }` }]);

const scenario = (neverProbability: number): string =>
  minimalScenario({
    id: '全部逾期',
    seed: 3,
    top: `
      title: 全部逾期
      process: 月度标记`,
    units: 4,
    behaviour: `tasks: { delay: { kind: fixed, mean: 2 }, neverProbability: ${neverProbability} }`,
  });

const definitions = () => checkedDefinitions(CAMPAIGN);
const scenarioFile = (neverProbability: number) => checkedScenario(scenario(neverProbability));

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
