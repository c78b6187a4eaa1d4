import { describe, expect, it } from 'vitest';
import { runUntil } from '@luoshi/engine';
import { engineWith, shanghai } from './support/harness.js';
import { minimalCampaign, office, unit } from '../../../test/support/minimal-campaign.js';

/**
 * 按月亮牌 at the turn's very instant: a progress report sent at 1 March 00:00 belongs to March, and
 * February (unreported) is carded first, whether the report comes before the month-cards timer fires
 * or after it. An area with a year target of 1,200 and `redAfterMisses: 2`, listed at the start (so
 * January owes no card), silent in February, reports 250 at 1 March 00:00. By hand: February's card,
 * 0 against 2/12 of 1,200 = 200, a first miss → yellow; then the report, 250 against the share due
 * then (2/12, 200), met → green; at 1 April March had its report (at its first instant): no card.
 */
const CAMPAIGN = minimalCampaign({
  id: '月初报送',
  roles: [office('投资办'), unit('片区', '各片区')],
  blocks: `
    items:
      - { id: 片区投资任务, title: 片区投资任务, by: 投资办, redAfterMisses: 2, every: 每月 }`,
  phases: [{ id: '亮牌', window: '1月1日至12月31日' }],
});
const ORGANISATION = { id: '市', units: [{ id: '甲区', items: [{ id: '甲区投资', kind: '片区投资任务', target: 1200 }] }] };
const OFFICE = { actor: '王', roles: ['投资办'] };

describe.each([
  ['before the month-cards timer fires', false],
  ['after the month-cards timer fired', true],
])('given an area silent in February that reports 250 at 1 March 00:00, %s', (_when, timerFirst) => {
  it('then February is carded yellow, the report green, and 1 April brings no card for March', async () => {
    const h = await engineWith(CAMPAIGN, { start: '2024-01-01T00:00:00' });
    await h.engine.startCampaign({ process: h.processId, organisation: ORGANISATION, campaignId: 'c' });
    const turn = shanghai('2024-03-01T00:00:00');
    await runUntil(h.engine, h.clock, turn - 1);
    if (timerFirst) await runUntil(h.engine, h.clock, turn);
    else h.clock.advanceTo(turn);
    await h.engine.send('c/甲区', { type: 'item.progress', item: '甲区投资', done: 250 }, OFFICE);
    const view = async () => {
      const item = (await h.engine.items('c'))[0];
      return [item?.light, item?.yellows ?? 0, item?.reds ?? 0];
    };
    expect(await view()).toEqual(['green', 1, 0]);
    await runUntil(h.engine, h.clock, shanghai('2024-04-01T00:00:00'));
    expect(await view()).toEqual(['green', 1, 0]);
  });
});
