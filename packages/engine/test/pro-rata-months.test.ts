import { describe, expect, it } from 'vitest';
import { proRataMonths } from '../src/index.js';
import { proRataShare } from '../src/runtime/item-lights.js';
import { minimalCampaign, unit } from '../../../test/support/minimal-campaign.js';
import { planOf, shanghai } from './support/records.js';

/*
 * 序时进度 — the whole months of a campaign year gone by, the one reckoning behind an item's pro-rata
 * share in the engine (its light) and in the simulator (its progress reports). A campaign from
 * 1 April 2024 to 31 March 2026 has two campaign years, each from 1 April, of 12 months.
 */
const TWO_YEARS = planOf(
  minimalCampaign({
    id: '两年行动',
    roles: [unit('单位', '各单位')],
    blocks: `
      start: 2024-04-01
      end: 2026-03-31`,
    phases: [{ id: '实施', window: '2024-04-01..2026-03-31', body: `
      tasks:
        - { id: 总结, title: 总结报告, owner: 单位, due: 2026-03-31 }` }],
  }),
);

describe('given a campaign of two campaign years from 1 April 2024', () => {
  it('when asked in the first year, then the months gone are the whole months since 1 April: none at its first instant, 2 on 15 June, 3 from 1 July', () => {
    expect(proRataMonths(TWO_YEARS, shanghai('2024-04-01T00:00:00'))).toEqual({ period: 0, gone: 0, months: 12 });
    expect(proRataMonths(TWO_YEARS, shanghai('2024-06-15T12:00:00'))).toEqual({ period: 0, gone: 2, months: 12 });
    expect(proRataMonths(TWO_YEARS, shanghai('2024-06-30T23:59:59'))).toEqual({ period: 0, gone: 2, months: 12 });
    expect(proRataMonths(TWO_YEARS, shanghai('2024-07-01T00:00:00'))).toEqual({ period: 0, gone: 3, months: 12 });
  });

  it('when asked in the second year, then the count starts again from its anniversary, 1 April 2025', () => {
    expect(proRataMonths(TWO_YEARS, shanghai('2025-03-31T23:59:59'))).toEqual({ period: 0, gone: 11, months: 12 });
    expect(proRataMonths(TWO_YEARS, shanghai('2025-04-01T00:00:00'))).toEqual({ period: 1, gone: 0, months: 12 });
    expect(proRataMonths(TWO_YEARS, shanghai('2026-03-10T09:00:00'))).toEqual({ period: 1, gone: 11, months: 12 });
  });

  it('when asked before the start or after the end, then the months gone stay within 0 and the year’s 12, and the share within 0 and 1', () => {
    expect(proRataMonths(TWO_YEARS, shanghai('2024-01-15T00:00:00'))).toEqual({ period: 0, gone: 0, months: 12 });
    expect(proRataMonths(TWO_YEARS, shanghai('2026-06-01T00:00:00'))).toEqual({ period: 1, gone: 12, months: 12 });
    expect(proRataShare(TWO_YEARS, shanghai('2024-01-15T00:00:00'))).toBe(0);
    expect(proRataShare(TWO_YEARS, shanghai('2026-06-01T00:00:00'))).toBe(1);
  });

  it('when the share of the year’s target is asked, then it is the months gone over the year’s: 3/12 on 1 July 2024, 11/12 on 10 March 2026', () => {
    expect(proRataShare(TWO_YEARS, shanghai('2024-07-01T00:00:00'))).toBe(3 / 12);
    expect(proRataShare(TWO_YEARS, shanghai('2026-03-10T09:00:00'))).toBe(11 / 12);
  });
});
