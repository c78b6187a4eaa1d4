import { describe, expect, it } from 'vitest';
import { applyScript, openHarness, organisation, sampleScript, shanghai, tempDatabase, type Harness } from './support/campaign-harness.js';

const START = '2010-04-01T00:00:00';
const MIDYEAR = shanghai('2010-07-01T00:00:00');

async function histories(h: Harness, campaignId: string) {
  const out: Record<string, unknown[]> = {};
  for (const i of await h.engine.instances(campaignId)) out[i.unitId] = await h.engine.history(i.instanceId);
  return out;
}

describe('given seed 002 run through its year with the sample script', () => {
  it('when the engine is thrown away at mid-year and a new one opens the same SQLite file, then the year ends exactly as an uninterrupted run', async () => {
    const script = sampleScript();
    const before = script.filter((s) => shanghai(s.at) < MIDYEAR);
    const after = script.slice(before.length);

    const whole = await openHarness(tempDatabase(), START);
    await whole.engine.startCampaign({ process: '机关作风建设年', organisation: organisation(24, 5), campaignId: 'r' });
    await applyScript(whole, 'r', script);
    await whole.runTo('2011-01-02T00:00:00');
    const expected = await histories(whole, 'r');
    const expectedEffects = whole.effects.map((e) => e.id).sort();
    await whole.close();

    const file = tempDatabase();
    const first = await openHarness(file, START);
    await first.engine.startCampaign({ process: '机关作风建设年', organisation: organisation(24, 5), campaignId: 'r' });
    await applyScript(first, 'r', before);
    await first.runTo('2010-07-01T00:00:00');
    const stoppedAt = first.clock.now();
    await first.close();

    const second = await openHarness(file, stoppedAt);
    await applyScript(second, 'r', after, before.length);
    await second.runTo('2011-01-02T00:00:00');
    const actual = await histories(second, 'r');
    await second.close();

    expect(Object.keys(actual)).toHaveLength(25);
    expect(actual).toEqual(expected);
    const delivered = [...first.effects, ...second.effects].map((e) => e.id).sort();
    expect(new Set(delivered).size).toBe(delivered.length);
    expect(delivered).toEqual(expectedEffects);
  });
});
