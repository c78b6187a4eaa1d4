import { describe, expect, it } from 'vitest';
import { createEngine, createMemoryStore, VirtualClock } from '@luoshi/engine';
import { readLiveCampaign, simulate, simulateFrom, SIMULATION_CAMPAIGN_ID, type SentEvent } from '@luoshi/sim';
import { checkedInputs } from './support/checked-inputs.js';
import { minimalScenario } from './support/minimal-campaign.js';
import { STANDING_CAMPAIGN, STANDING_PROCESS } from './support/standing-close-campaign.js';

/*
 * 从当前状态续推 × 终止活动: a live campaign part of which the office closed is continued by the
 * simulator. The standing mechanism of the closing tests over an office and 4 units (u01–u04), each
 * doing every task 2 days after it opens, is simulated on a store to 1 June 2024, 00:00, when June's
 * 月报 opens; the office then closes u01 (its June report still open), and the rest of 2024 is
 * continued from there. A closed unit takes no more events: the run must send it none, as it sends
 * none to a unit it saw close during the run; it planned the closed unit's open work and had it refused.
 */

const scenario = minimalScenario({
  id: '续推终止',
  seed: 11,
  units: 4,
  behaviour: `
    tasks: { delay: { kind: fixed, mean: 2 }, neverProbability: 0 }
    scores: { default: { kind: normal, mean: 80, sd: 10 } }`,
});

describe('given the standing mechanism simulated to 1 June 2024 and u01 closed by the office then', () => {
  it('when the rest of 2024 is continued from there, then nothing is sent to u01, the engine refuses nothing, and the other units go on', async () => {
    const inputs = checkedInputs(STANDING_CAMPAIGN, scenario, STANDING_PROCESS);
    const store = createMemoryStore();
    const cut = Date.parse('2024-06-01T00:00:00+08:00');
    await simulate({ ...inputs, store, until: cut });
    await store.setCampaignClock(SIMULATION_CAMPAIGN_ID, cut);
    const engine = createEngine({ store, clock: new VirtualClock(cut) });
    await engine.deploy(inputs.definitions);
    const closing = await engine.closeCampaign(SIMULATION_CAMPAIGN_ID, { actor: '县委办主任', reason: 'u01撤并', unit: 'u01' });
    expect(closing.closed.map((c) => c.unitId)).toEqual(['u01']);
    // June's report is open in u01's records, closed with the unit: work the run could plan.
    expect((await engine.tasks(`${SIMULATION_CAMPAIGN_ID}/u01`)).filter((t) => t.status === 'open').map((t) => t.key)).toContain('月报#5');

    const sent: SentEvent[] = [];
    const live = await readLiveCampaign(store, SIMULATION_CAMPAIGN_ID);
    const result = await simulateFrom({ source: live, scenario: inputs.scenario, seed: 7, until: Date.parse('2025-01-01T00:00:00+08:00'), onSent: (s) => sent.push(s) });
    expect(sent.filter((s) => s.instanceId === `${SIMULATION_CAMPAIGN_ID}/u01`)).toEqual([]);
    expect(result.events.rejected).toEqual({});
    // u02 reports June to December: 7 months.
    expect(sent.filter((s) => s.instanceId === `${SIMULATION_CAMPAIGN_ID}/u02` && (s.event as { task?: string }).task === '月报')).toHaveLength(7);
  });
});
