import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LuoshiError } from '@luoshi/dsl';
import { readLiveCampaign, simulateFrom, SIMULATION_CAMPAIGN_ID, type LiveCampaign } from '@luoshi/sim';
import { createKyselyStore } from '@luoshi/store-kysely';
import { continuing, FROM_CAMPAIGN, fromDefinitions, recordUntil, scenarioOf } from './support/from-campaign.js';

/*
 * SIM_UNTIL_PASSED names two instants, the `until` asked for and where the campaign stands. A
 * planner reads them as the campaign's calendar does, in its own time zone (as the CLI shows its
 * clock and reads `--until`), not in UTC: 1 March 00:00 in Shanghai is 29 February 16:00 UTC.
 */

async function refusal(timezone: string | undefined, cut: string, until: string): Promise<LuoshiError> {
  const file = join(mkdtempSync(join(tmpdir(), 'luoshi-until-zone-')), 'live.sqlite');
  const text = timezone === undefined ? FROM_CAMPAIGN : FROM_CAMPAIGN.replace('start: 2024-01-01', `timezone: ${timezone}\nstart: 2024-01-01`);
  await recordUntil(file, Date.parse(cut), fromDefinitions(text));
  const store = await createKyselyStore({ sqlite: file });
  let live: LiveCampaign;
  try {
    live = await readLiveCampaign(store, SIMULATION_CAMPAIGN_ID, { now: Date.parse(cut) });
  } finally {
    await store.close();
  }
  const error = await simulateFrom({ source: live, scenario: scenarioOf(continuing('后续', 0)), until: Date.parse(until) }).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof LuoshiError)) throw new Error(`expected a LuoshiError, got ${String(error)}`);
  return error;
}

describe('given a live campaign standing at 1 March 00:00 of its own zone, asked to run until 15 February 12:00', () => {
  it('when the campaign is in Asia/Shanghai (the default), then SIM_UNTIL_PASSED prints both times as Shanghai reads them, not 2024-02-29T16:00:00.000Z', async () => {
    const error = await refusal(undefined, '2024-03-01T00:00:00+08:00', '2024-02-15T12:00:00+08:00');
    expect(error.code).toBe('SIM_UNTIL_PASSED');
    expect(error.localized('en')).toBe('cannot simulate until 2024-02-15 12:00:00: the campaign "sim" already stands at 2024-03-01 00:00:00 (times in Asia/Shanghai); give a time after it');
    expect(error.localized('zh')).toBe('无法模拟至 2024-02-15 12:00:00：活动「sim」已到 2024-03-01 00:00:00（Asia/Shanghai 时间），请给出此后的时间');
  }, 60_000);

  it('when the campaign is in Europe/Berlin, then both times are Berlin\'s (UTC+1 in winter: 1 March 00:00 there is 29 February 23:00 UTC)', async () => {
    const error = await refusal('Europe/Berlin', '2024-03-01T00:00:00+01:00', '2024-02-15T12:00:00+01:00');
    expect(error.localized('en')).toBe('cannot simulate until 2024-02-15 12:00:00: the campaign "sim" already stands at 2024-03-01 00:00:00 (times in Europe/Berlin); give a time after it');
  }, 60_000);
});
