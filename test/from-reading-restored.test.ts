import { beforeAll, describe, expect, it } from 'vitest';
import { validateProcessPaths } from '@luoshi/dsl';
import { createMemoryStore, restoredUnits, type UnitState } from '@luoshi/engine';
import { compiledCacheFor, loadScenarioFile, readLiveCampaign, simulate, simulateFrom, SIMULATION_CAMPAIGN_ID, type LiveCampaign, type ScenarioFile } from '@luoshi/sim';

/*
 * 各单位恢复 — a campaign read is restored once, in the read, and every run continued from the reading
 * starts from those very states: seed 002 under its baseline (73 units × 5 members) kept on a memory
 * store to 1 July 2010. A run never changes a state it starts from (each step makes the next), so two
 * runs on one seed from one reading give one result, the restored states are as they were before the
 * runs, and a reading that did not restore (as `scenario fit` reads) runs to the same result.
 */
const root = new URL('../', import.meta.url).pathname;
const PROCESS = '机关作风建设年';
const MID = Date.parse('2010-07-01T00:00:00+08:00');

let scenario: ScenarioFile;
let live: LiveCampaign;
let unrestored: LiveCampaign;

/** What a restored state holds, as text: its value, records, revision, time and counts. */
function stateText(states: readonly UnitState[]): string {
  return JSON.stringify(states.map((s) => [s.meta, s.snapshot.value, s.snapshot.context, s.revision, s.time, s.phase, s.ended, s.overdue, s.escalated]));
}

beforeAll(async () => {
  const definitions = validateProcessPaths([`${root}processes`]);
  const loaded = loadScenarioFile(`${root}examples/scenarios/002-baseline.yaml`);
  if (!loaded.ok || !loaded.scenario) throw new Error('scenario');
  scenario = loaded.scenario;
  const store = createMemoryStore();
  await simulate({ definitions, processId: PROCESS, scenario, store, until: MID });
  await store.setCampaignClock(SIMULATION_CAMPAIGN_ID, MID);
  live = await readLiveCampaign(store, SIMULATION_CAMPAIGN_ID);
  unrestored = await readLiveCampaign(store, SIMULATION_CAMPAIGN_ID, { restore: false });
}, 120_000);

describe('given a campaign read where it stands on 1 July (各单位恢复)', () => {
  it('when the read restored its units, then asking again gives the same states, one per instance, at their stored revisions', () => {
    const compiled = compiledCacheFor(live.stored).of(live.stored.definition);
    const restored = restoredUnits(live.stored, compiled);
    expect(restoredUnits(live.stored, compiled)).toBe(restored);
    expect(restored.states.map((s) => s.meta.id)).toEqual(live.stored.instances.map((i) => i.id));
    expect(restored.states.map((s) => s.revision)).toEqual(live.stored.instances.map((i) => i.revision));
    // Its timers, every one, in due order.
    expect(restored.timers).toHaveLength(live.stored.timers.length);
    for (let i = 1; i < restored.timers.length; i++) expect((restored.timers[i] as { dueAt: number }).dueAt).toBeGreaterThanOrEqual((restored.timers[i - 1] as { dueAt: number }).dueAt);
  });

  it('when the rest is simulated twice on one seed, then both runs give one result and the restored states are unchanged', async () => {
    const compiled = compiledCacheFor(live.stored).of(live.stored.definition);
    const before = stateText(restoredUnits(live.stored, compiled).states);
    const first = await simulateFrom({ source: live, scenario, seed: 7 });
    const second = await simulateFrom({ source: live, scenario, seed: 7 });
    expect(second).toEqual(first);
    expect(stateText(restoredUnits(live.stored, compiled).states)).toBe(before);
    // The runs did go on past the cut: tasks were done after 1 July.
    expect(first.events.sent['task.completed'] ?? 0).toBeGreaterThan(live.sent.get('task.completed') ?? 0);
  }, 120_000);

  it('when the reading did not restore (as a fit reads), then a run restores it and comes to the same result', async () => {
    const fromRestored = await simulateFrom({ source: live, scenario, seed: 11 });
    const fromUnrestored = await simulateFrom({ source: unrestored, scenario, seed: 11 });
    expect(fromUnrestored).toEqual(fromRestored);
  }, 120_000);
});
