import { describe, expect, it } from 'vitest';
import { runUntil } from '@luoshi/engine';
import { engineWith, shanghai } from './support/harness.js';
import { COHORT_CARDS_CAMPAIGN } from '../../../test/support/cohort-cards-campaign.js';

/**
 * 按月亮牌 × 批次: a unit of a later cohort is 未启动 until its cohort starts — none of its work is open
 * — so it owes no monthly card for the months before. Two units with the same key project (year plan
 * 1,200, carded every month by the share's thresholds), neither ever reporting: 甲 of the first cohort
 * (1 January, with the campaign), 乙 of the second (1 July). Worked by hand from monthly-cards.ts'
 * rule: a month begun before the item opened, or at its very instant, is owed no card.
 */
const CAMPAIGN = COHORT_CARDS_CAMPAIGN;

const ORGANISATION = {
  id: '市投资办',
  units: [
    { id: '甲', cohort: '一批', items: [{ id: '甲项目', kind: '重点项目', target: 1200 }] },
    { id: '乙', cohort: '二批', items: [{ id: '乙项目', kind: '重点项目', target: 1200 }] },
  ],
};

describe('given two units carded every month, 甲 of the first cohort and 乙 of the second (1 July), neither reporting', () => {
  it('when the year runs to 1 September, then 甲 is red from 1 March, and 乙 has no card until 1 September, its first month all worked (July) owing none at its very start', async () => {
    const h = await engineWith(CAMPAIGN, { start: '2024-01-01T00:00:00' });
    await h.engine.startCampaign({ process: h.processId, organisation: ORGANISATION, campaignId: 'c' });
    const reds = async (item: string) => (await h.engine.items('c')).find((i) => i.item === item)?.reds ?? 0;

    // 1 July: 甲 carded at 1 March, 1 April, 1 May, 1 June and 1 July (0 against 2/12 … 6/12 of 1,200, each short by all of it → red); 乙 not yet started.
    await runUntil(h.engine, h.clock, shanghai('2024-07-01T00:00:00'));
    expect(await reds('甲项目')).toBe(5);
    expect(await reds('乙项目')).toBe(0);
    expect((await h.engine.state('c/乙')).started).toBe(true);
    // 1 August: July began at 乙's very start, as January at 甲's: no card.
    await runUntil(h.engine, h.clock, shanghai('2024-08-31T23:59:00'));
    expect(await reds('乙项目')).toBe(0);
    // 1 September: August, worked all through, unreported: 0 against 8/12 of 1,200 = 800 → red.
    await runUntil(h.engine, h.clock, shanghai('2024-09-01T00:00:00'));
    expect(await reds('乙项目')).toBe(1);
    expect(await reds('甲项目')).toBe(7);
  });
});
