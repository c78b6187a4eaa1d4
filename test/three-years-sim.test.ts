import { describe, expect, it } from 'vitest';
import { createEngine, createMemoryStore, VirtualClock, type Store } from '@luoshi/engine';
import { simulate, SIMULATION_CAMPAIGN_ID, type ScenarioFile } from '@luoshi/sim';
import { LuoshiError } from '@luoshi/dsl';
import { shanghai } from './support/campaign-harness.js';
import { STANDING, threeYearsDefinitions } from './support/three-years.js';

/*
 * 三年行动 simulated (issue 18, "Done when"): the plain form over 2024–2026 gives every unit 12
 * quarterly occurrences, 3 assessments and 3 rankings in the simulator too. A standing mechanism
 * (长效机制, no end date) is simulated for the years asked (3 by default).
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

describe('given a standing mechanism (长效机制, no end date) from 2024 simulated', () => {
  const standing = { ...scenario, id: 'standing', process: '长效机制' };

  it('when no years are given, then three years are simulated: 6 half-yearly reports, 3 assessments and 3 rankings per unit', async () => {
    const store = createMemoryStore();
    const result = await simulate({ definitions: threeYearsDefinitions(STANDING), processId: '长效机制', scenario: standing, store: keptOpen(store) });
    expect(result.period.end).toBe(new Date(shanghai('2027-01-01T00:00:00')).toISOString());
    // The run covers the three years and the instant they end, when the next half-year's report opens.
    const reports = result.deadlines['半年报告'];
    expect(reports && reports.onTime + reports.late + reports.overdue).toBe(6 * UNITS);
    expect(reports?.open).toBe(UNITS);
    expect(result.monthly).toHaveLength(36);
    // The timeline shows the three years run, not the fifty the mechanism is laid out over.
    expect(result.timeline.phases).toEqual([{ id: '常态长效', title: '常态长效', start: result.period.start, end: result.period.end }]);
    expect(result.timeline.deadlines.find((d) => d.item === '半年报告')).toMatchObject({ occurrences: 7, due: new Date(shanghai('2027-07-01T00:00:00')).toISOString() });
    const engine = createEngine({ store, clock: new VirtualClock(shanghai('2027-01-02T00:00:00')) });
    for (const unit of (await engine.instances(SIMULATION_CAMPAIGN_ID)).filter((i) => i.unitId !== 'office')) {
      const rankings = (await engine.history(unit.instanceId)).filter((h) => h.type === 'ranking.placed').map((h) => h.at);
      expect(rankings).toEqual(['2025-01-01', '2026-01-01', '2027-01-01'].map((d) => shanghai(`${d}T00:00:00`)));
      expect(unit.phase).toBe('常态长效');
    }
    await store.close();
  });

  it('when years: 5 is given, then five years are simulated (10 half-yearly reports due per unit); 0, 2.5 or 51 years are SIM_BAD_YEARS', async () => {
    const result = await simulate({ definitions: threeYearsDefinitions(STANDING), processId: '长效机制', scenario: standing, years: 5 });
    expect(result.period.end).toBe(new Date(shanghai('2029-01-01T00:00:00')).toISOString());
    const reports = result.deadlines['半年报告'];
    expect(reports && reports.onTime + reports.late + reports.overdue).toBe(10 * UNITS);
    for (const years of [0, 2.5, 51]) {
      const refused = await simulate({ definitions: threeYearsDefinitions(STANDING), processId: '长效机制', scenario: standing, years }).then(
        () => 'ran',
        (e: unknown) => (e instanceof LuoshiError ? e.code : String(e)),
      );
      expect(refused).toBe('SIM_BAD_YEARS');
    }
  });
});
