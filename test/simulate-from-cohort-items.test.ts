import { describe, expect, it } from 'vitest';
import { createEngine, createMemoryStore, runUntil, VirtualClock } from '@luoshi/engine';
import { readLiveCampaign, simulateFrom, type SentEvent } from '@luoshi/sim';
import { checkedInputs } from './support/checked-inputs.js';
import { COHORT_CARDS_CAMPAIGN } from './support/cohort-cards-campaign.js';
import { minimalScenario } from './support/minimal-campaign.js';

/*
 * 按月亮牌 × 批次 in a continued run: a live campaign whose organisation lists each unit's key project
 * (year plan 1,200, carded every month), 甲 of the first cohort (1 January) and 乙 of the second
 * (1 July, 未启动 until then), is continued from 1 February with every unit reporting its progress
 * on plan at each month's start. The campaign is "c": the month-end sample of its items asked for a
 * campaign "sim" and the run failed (ENGINE_CAMPAIGN_NOT_FOUND) — every campaign with items continued
 * from a database did. A unit that has not started does nothing: the run sends 乙 no report before
 * 1 July (it sent one every month, each carded).
 */

const CAMPAIGN = COHORT_CARDS_CAMPAIGN;

const SCENARIO = minimalScenario({
  id: '按计划报送',
  seed: 3,
  units: 2,
  behaviour: `
    tasks: { delay: { kind: fixed, mean: 1 }, neverProbability: 0 }
    items: { openedPerUnitPerMonth: 0, resolveDays: 100000, passRate: 1, target: { kind: fixed, mean: 1200 }, progress: { kind: fixed, mean: 1 } }`,
});

const ORGANISATION = {
  id: '市投资办',
  units: [
    { id: '甲', cohort: '一批', items: [{ id: '甲项目', kind: '重点项目', target: 1200 }] },
    { id: '乙', cohort: '二批', items: [{ id: '乙项目', kind: '重点项目', target: 1200 }] },
  ],
};

/** The month (1–12) of 2024 an instant falls in, in Shanghai. */
const monthOf = (at: number) => new Date(at + 8 * 3_600_000).getUTCMonth() + 1;

describe('given a live campaign of two cohorts with listed key projects, continued from 1 February 2024', () => {
  it('when every unit reports on plan at each month start, then the run goes (a campaign not named "sim" whose items are sampled at month ends), 乙 (second cohort, 1 July) reports from July only, and 甲 from March', async () => {
    const inputs = checkedInputs(CAMPAIGN, SCENARIO, '分批亮牌');
    const store = createMemoryStore();
    const cut = Date.parse('2024-02-01T00:00:00+08:00');
    const clock = new VirtualClock(Date.parse('2024-01-01T00:00:00+08:00'));
    const engine = createEngine({ store, clock });
    await engine.deploy(inputs.definitions);
    await engine.startCampaign({ process: '分批亮牌', organisation: ORGANISATION, campaignId: 'c' });
    await runUntil(engine, clock, cut);
    await store.setCampaignClock('c', cut);

    const sent: SentEvent[] = [];
    const result = await simulateFrom({ source: await readLiveCampaign(store, 'c'), scenario: inputs.scenario, until: Date.parse('2024-09-15T00:00:00+08:00'), onSent: (s) => sent.push(s) });
    const reports = (unitId: string) => sent.filter((s) => s.instanceId === `c/${unitId}` && s.event.type === 'item.progress').map((s) => monthOf(s.at));
    // At each month start after the cut (1 February itself is the history's), March to September: 7 reports.
    expect(reports('甲')).toEqual([3, 4, 5, 6, 7, 8, 9]);
    // 乙 starts on 1 July: its reports of July, August and September.
    expect(reports('乙')).toEqual([7, 8, 9]);
    expect(result.events.rejected).toEqual({});
  });
});
