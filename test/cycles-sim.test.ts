import { describe, expect, it } from 'vitest';
import { createEngine, createMemoryStore, VirtualClock, type Store } from '@luoshi/engine';
import { simulate, SIMULATION_CAMPAIGN_ID, type ScenarioFile } from '@luoshi/sim';
import { shanghai } from './support/campaign-harness.js';
import { STANDING_CYCLE, YEARLY_CYCLE } from './support/cycles.js';
import { threeYearsDefinitions } from './support/three-years.js';

/*
 * 周期 simulated (issue 18, "Cycles"): the simulator runs a cycled campaign through the engine's own
 * step, so each cycle's tasks are drawn as the engine opens them. The yearly cycle over 2024–2026
 * gives each unit 3 部署 tasks, 3 自查 reports and 3 assessments, and 3 rankings; a standing
 * mechanism with a yearly cycle simulated for 3 years gives 3 of each, the 4th year's not yet due.
 * The scenario's score for 年度考核 scores every cycle's (年度考核.2025 too).
 */
const UNITS = 4;
const scenario: ScenarioFile = {
  kind: 'scenario',
  id: 'cycles',
  process: '年度循环',
  seed: 11,
  organisation: { units: UNITS, membersPerUnit: 1 },
  behaviour: {
    default: {
      tasks: { delay: { kind: 'uniform', min: 0, max: 5 }, neverProbability: 0 },
      complaintsPerMemberPerMonth: 0,
      // Every score exactly 66 for 年度考核 (a default of 90 would show if a later cycle's fell back to it).
      scores: { default: { kind: 'fixed', mean: 90 }, evaluations: { 年度考核: { kind: 'fixed', mean: 66 } } },
      findingsPerUnitPerMonth: 0,
      rectification: { onTime: 1, late: 0, failsReinspection: 0 },
    },
  },
};

function keptOpen(store: Store): Store {
  return new Proxy(store, {
    get(target, property) {
      if (property === 'close') return () => Promise.resolve();
      const value: unknown = Reflect.get(target, property);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

describe('given a yearly cycle over 2024–2026 simulated', () => {
  it('when it runs, then every unit has 3 of each phase\'s tasks, one per cycle, every assessment scored as the scenario says, and 3 rankings', async () => {
    const store = createMemoryStore();
    const result = await simulate({ definitions: threeYearsDefinitions(YEARLY_CYCLE), processId: '年度循环', scenario, store: keptOpen(store) });
    for (const id of ['部署会议', '自查报告', '年度考核']) {
      expect([id, `${id}.2025`, `${id}.2026`].map((key) => result.deadlines[key]?.total)).toEqual([UNITS, UNITS, UNITS]);
    }
    expect(result.rankings['年度排名']?.ranked).toBe(UNITS);
    const engine = createEngine({ store, clock: new VirtualClock(shanghai('2027-01-02T00:00:00')) });
    for (const unit of (await engine.instances(SIMULATION_CAMPAIGN_ID)).filter((i) => i.unitId !== 'office')) {
      const tasks = await engine.tasks(unit.instanceId);
      expect(tasks.filter((t) => t.item.startsWith('自查报告')).map((t) => t.cycle)).toEqual(['2024', '2025', '2026']);
      const subject = (await engine.subjects(unit.instanceId))[0];
      expect([subject?.scores['年度考核'], subject?.scores['年度考核.2025'], subject?.scores['年度考核.2026']]).toEqual([66, 66, 66]);
      const rankings = (await engine.history(unit.instanceId)).filter((h) => h.type === 'ranking.placed').map((h) => h.at);
      expect(rankings).toEqual(['2025-01-01', '2026-01-01', '2027-01-01'].map((d) => shanghai(`${d}T00:00:00`)));
    }
    await store.close();
  });
});

describe('given a standing mechanism with a yearly cycle simulated', () => {
  it('when 3 years are simulated, then each unit has 3 部署 tasks, 9 quarterly reports and 3 assessments, and is in the fourth year\'s 部署', async () => {
    const store = createMemoryStore();
    const standing = { ...scenario, id: 'standing-cycle', process: '长效循环' };
    const result = await simulate({ definitions: threeYearsDefinitions(STANDING_CYCLE), processId: '长效循环', scenario: standing, years: 3, store: keptOpen(store) });
    expect(result.period.end).toBe(new Date(shanghai('2027-01-01T00:00:00')).toISOString());
    const engine = createEngine({ store, clock: new VirtualClock(shanghai('2027-01-01T00:00:00')) });
    for (const unit of (await engine.instances(SIMULATION_CAMPAIGN_ID)).filter((i) => i.unitId !== 'office')) {
      const tasks = await engine.tasks(unit.instanceId);
      const cycles = (id: string) => tasks.filter((t) => t.item.startsWith(id) && (t.dueAt ?? 0) < shanghai('2027-01-01T00:00:00')).map((t) => t.cycle);
      expect(cycles('部署会议')).toEqual(['2024', '2025', '2026']);
      // 每季度 from each year's 1 February: February, May, August.
      expect(cycles('季度报告')).toEqual(['2024', '2024', '2024', '2025', '2025', '2025', '2026', '2026', '2026']);
      expect(cycles('年度考核')).toEqual(['2024', '2025', '2026']);
      expect(unit.phase).toBe('部署.2027');
    }
    await store.close();
  });
});
