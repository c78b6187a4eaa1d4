import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readLiveCampaign, simulateFrom, SIMULATION_CAMPAIGN_ID } from '@luoshi/sim';
import { createKyselyStore } from '@luoshi/store-kysely';
import { continuing, recordUntil, scenarioOf } from './support/from-campaign.js';

/*
 * 各单位结果 of a continued campaign (从当前状态续推): what happened before the cut counts for each
 * unit as what happens after it. The small campaign of support/from-campaign.ts recorded up to
 * 15 April 2024: the 4 慢 units (u01–u04) never did 报送方案 (due when 15 February ends, 16 February
 * 00:00), so each was flagged 通报 and criticised once on 16 February; the 8 快 units did it on time.
 * Continued with every task done 5 days after the cut or its opening: the 慢 units do 报送方案 on
 * 20 April 00:00, 64 days late (16 February → 1 March 14 days in 2024, → 1 April 31, → 20 April 19),
 * and every unit does 半年总结 (opens 1 May, due 20 June) on 6 May, on time.
 */
const CUT = Date.parse('2024-04-15T00:00:00+08:00');

describe('given a campaign continued from 15 April', () => {
  it('when every remaining task is done 5 days on, then each unit holds the history and the rest: 慢 units 64 days late, flagged and criticised before the cut', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'luoshi-units-from-')), 'live.sqlite');
    await recordUntil(file, CUT);
    const reader = await createKyselyStore({ sqlite: file, readOnly: true });
    const live = await readLiveCampaign(reader, SIMULATION_CAMPAIGN_ID).finally(() => reader.close());
    const result = await simulateFrom({ source: live, scenario: scenarioOf(continuing('全做', 0)) });
    const units = result.units ?? {};
    expect(Object.keys(units)).toHaveLength(12);
    for (const unit of ['u01', 'u02', 'u03', 'u04']) {
      expect(units[unit], unit).toEqual({
        tasks: { onTime: 1, late: 1, overdue: 0, open: 0 },
        daysLate: { sum: 64, max: 64 },
        flags: { 通报: 1 },
        effects: { criticise: 1 },
        ladders: {},
      });
    }
    for (const unit of ['u05', 'u08', 'u12']) {
      expect(units[unit], unit).toEqual({ tasks: { onTime: 2, late: 0, overdue: 0, open: 0 }, daysLate: { sum: 0, max: 0 }, flags: {}, effects: {}, ladders: {} });
    }
    expect(result.deadlines['报送方案']?.daysLate).toBe(4 * 64);
  }, 60_000);
});
