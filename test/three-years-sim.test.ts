import { describe, expect, it } from 'vitest';
import { createEngine, createMemoryStore, VirtualClock, type Store } from '@luoshi/engine';
import { simulate, SIMULATION_CAMPAIGN_ID, type ScenarioFile } from '@luoshi/sim';
import { shanghai } from './support/campaign-harness.js';
import { threeYearsDefinitions } from './support/three-years.js';

/*
 * 三年行动 simulated (issue 18, "Done when"): the plain form over 2024–2026 gives every unit 12
 * quarterly occurrences, 3 assessments and 3 rankings in the simulator too.
 */
const UNITS = 6;
const scenario: ScenarioFile = {
  kind: 'scenario',
  id: 'three-years',
  process: '三年行动',
  seed: 7,
  organisation: { units: UNITS, membersPerUnit: 1 },
  behaviour: {
    default: {
      tasks: { delay: { kind: 'uniform', min: 0, max: 20 }, neverProbability: 0 },
      complaintsPerMemberPerMonth: 0,
      scores: { default: { kind: 'normal', mean: 80, sd: 5 } },
      findingsPerUnitPerMonth: 0,
      rectification: { onTime: 1, late: 0, failsReinspection: 0 },
    },
  },
};

/** The run's store, kept open after the simulator closes it, so the test can read the histories. */
function keptOpen(store: Store): Store {
  return new Proxy(store, {
    get(target, property) {
      if (property === 'close') return () => Promise.resolve();
      const value: unknown = Reflect.get(target, property);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

describe('given 三年行动 (2024–2026) simulated', () => {
  it('when the three years run, then every unit has 12 quarterly occurrences, 3 assessments and 3 rankings', async () => {
    const store = createMemoryStore();
    const result = await simulate({ definitions: threeYearsDefinitions(), processId: '三年行动', scenario, store: keptOpen(store) });
    expect(result.period.end).toBe(new Date(shanghai('2027-01-01T00:00:00')).toISOString());
    expect(result.deadlines['季度报告']?.total).toBe(12 * UNITS);
    expect(result.deadlines['年度考核']?.total).toBe(3 * UNITS);
    expect(result.rankings['年度排名']?.ranked).toBe(UNITS);

    const engine = createEngine({ store, clock: new VirtualClock(shanghai('2027-01-02T00:00:00')) });
    const units = (await engine.instances(SIMULATION_CAMPAIGN_ID)).filter((i) => i.unitId !== 'office');
    expect(units).toHaveLength(UNITS);
    for (const unit of units) {
      const tasks = await engine.tasks(unit.instanceId);
      expect(tasks.filter((t) => t.item === '季度报告')).toHaveLength(12);
      expect(tasks.filter((t) => t.item === '年度考核')).toHaveLength(3);
      const rankings = (await engine.history(unit.instanceId)).filter((h) => h.type === 'ranking.placed').map((h) => h.at);
      expect(rankings).toEqual(['2025-01-01', '2026-01-01', '2027-01-01'].map((d) => shanghai(`${d}T00:00:00`)));
    }
    await store.close();
  });
});
