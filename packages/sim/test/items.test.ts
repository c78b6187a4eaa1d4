import { describe, expect, it } from 'vitest';
import { monteCarlo, renderReport, simulate } from '@luoshi/sim';
import { checkedInputs } from '../../../test/support/checked-inputs.js';
import { ITEMS_CAMPAIGN, itemsScenario } from '../../../test/support/items-campaign.js';

/**
 * 督办事项 in the simulator (issue 19): items open per unit at the scenario's rate, are resolved after
 * `resolveDays`, and pass their check with `passRate`; the result counts them. With passRate 1 every
 * item checked is struck off and none escalates; with passRate 0 none is struck off and every item
 * checked once is escalated (escalateAfter 1: 县级 → 市级).
 */
const inputs = (passRate: number) => checkedInputs(ITEMS_CAMPAIGN, itemsScenario(passRate), '问题销号');

describe('items in a simulation (督办事项)', () => {
  it('when every check passes, then items are opened, all sent opened items are counted, most are struck off and none escalates', async () => {
    const result = await simulate(inputs(1));
    const items = result.items;
    expect(items).toBeDefined();
    // Two a month for a year in each of three units: about 72; a Poisson count well above 20.
    expect(items?.opened).toBeGreaterThan(20);
    expect(items?.opened).toBe(result.events.sent['item.opened']);
    expect(items?.escalated).toBe(0);
    expect(items?.closed).toBe(result.events.sent['item.closed']);
    expect((items?.closed ?? 0) + (items?.open ?? 0)).toBe(items?.opened);
    expect(items?.closed).toBeGreaterThan((items?.opened ?? 0) / 2);
  });

  it('when every check fails, then nothing is struck off and every item checked is escalated to 市级', async () => {
    const result = await simulate(inputs(0));
    expect(result.items?.closed).toBe(0);
    expect(result.events.sent['item.closed'] ?? 0).toBe(0);
    expect(result.items?.escalated).toBeGreaterThan(0);
    expect(result.events.rejected).toEqual({});
    const summary = await monteCarlo({ ...inputs(0), runs: 2 });
    expect(summary.items?.closed).toMatchObject({ mean: 0 });
    const html = renderReport(summary, { lang: 'zh' });
    expect(html).toContain('<h2>督办事项</h2>');
    expect(html).toContain('升级挂牌督办');
  });
});
