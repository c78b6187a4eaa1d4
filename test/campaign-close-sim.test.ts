import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '@luoshi/engine';
import { simulate } from '@luoshi/sim';
import { checkedInputs } from './support/checked-inputs.js';
import { minimalScenario } from './support/minimal-campaign.js';
import { STANDING_CAMPAIGN, STANDING_PROCESS } from './support/standing-close-campaign.js';

/*
 * 终止活动 in a simulation: a scenario's `closeAt` has the office close the standing mechanism on a
 * day, so a planner can ask "what if we stop it mid-year". The mechanism of the engine's tests
 * (monthly 月报 due 25 days after each month opens, 整改方案 due 9月30日, 年度排名 on 12月25日 flagging
 * the last unit 末位 for the year) over an office and 4 units, each doing every task 2 days after it
 * opens, simulated for 2 years (2024 and 2025).
 */

const scenario = (closeAt?: string) =>
  minimalScenario({
    id: '中途终止',
    seed: 11,
    units: 4,
    ...(closeAt === undefined ? {} : { top: `closeAt: '${closeAt}'` }),
    behaviour: `
      tasks: { delay: { kind: fixed, mean: 2 }, neverProbability: 0 }
      scores: { default: { kind: normal, mean: 80, sd: 10 } }`,
  });

const run = (closeAt?: string, store?: boolean) => simulate({ ...checkedInputs(STANDING_CAMPAIGN, scenario(closeAt), STANDING_PROCESS), years: 2, ...(store ? { store: createMemoryStore() } : {}) });

describe('given the standing mechanism simulated for 2 years over 4 units', () => {
  it('when the scenario closes it on 1 July 2024, then each unit has only January to June\'s reports (4 × 6 = 24, not 4 × 25 = 100), no ranking flags anyone, and each of the 5 instances is told', async () => {
    const open = await run();
    // Without the closing: 24 months and January 2026's, which opens at the instant the 2 years end (the run covers it): 4 × 25.
    expect(open.deadlines['月报']?.total).toBe(100);
    expect(open.flags['末位']).toBe(1);
    expect(open.effects['notify'] ?? 0).toBe(0);

    const closed = await run('2024-07-01');
    expect(closed.deadlines['月报']).toMatchObject({ total: 24, onTime: 24, overdue: 0, open: 0 });
    // 整改方案 was done on 3 January, before the closing: the closing leaves done work as it is.
    expect(closed.deadlines['整改方案']).toMatchObject({ total: 4, onTime: 4 });
    expect(closed.flags['末位']).toBe(0);
    // One notice per instance closed (the office's and the 4 units'), caused by the closing.
    expect(closed.effects['notify']).toBe(5);
    // Nothing was sent to a closed unit: the engine refused nothing.
    expect(closed.events.rejected).toEqual({});
  });

  it('when the same closing runs on the durable engine (a store), then the result is the in-process driver\'s', async () => {
    expect(await run('2024-07-01', true)).toEqual(await run('2024-07-01'));
  });

  it('when the scenario closes it on a day the run never reaches, then the run is refused with SIM_BAD_CLOSE_AT', async () => {
    await expect(run('2027-03-01')).rejects.toMatchObject({ code: 'SIM_BAD_CLOSE_AT' });
    await expect(run('2023-12-31')).rejects.toMatchObject({ code: 'SIM_BAD_CLOSE_AT' });
  });
});
