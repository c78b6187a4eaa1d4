import { validateProcessPaths } from '@luoshi/dsl';
import { describe, expect, it } from 'vitest';
import { loadScenarioFile, monteCarlo, simulate, type ScenarioFile } from '@luoshi/sim';

const root = new URL('../../../', import.meta.url).pathname;
const definitions = validateProcessPaths([`${root}processes/`]);
const PROCESS = '机关作风建设年';

function scenario(units: number, membersPerUnit: number): ScenarioFile {
  const loaded = loadScenarioFile(`${root}examples/scenarios/002-lax.yaml`);
  if (!loaded.scenario?.organisation) throw new Error(JSON.stringify(loaded.diagnostics));
  return { ...loaded.scenario, organisation: { ...loaded.scenario.organisation, units, membersPerUnit } };
}

const sum = (record: Readonly<Record<string, number>>) => Object.values(record).reduce((a, b) => a + b, 0);

describe('given seed 002 and the lax scenario on a small organisation', () => {
  it('when one run ends, then the result carries the plan timeline and one sample per month of the campaign', async () => {
    const r = await simulate({ definitions, processId: PROCESS, scenario: scenario(8, 3) });
    const { timeline } = r;
    expect(timeline.campaign).toContain('机关作风建设年');
    expect(timeline.zone).toBe('Asia/Shanghai');
    expect(timeline.phases.map((p) => p.id)).toEqual(Object.keys(r.overdueByPhase).sort((a, b) => timeline.phases.findIndex((p) => p.id === a) - timeline.phases.findIndex((p) => p.id === b)));
    expect(timeline.phases[0]?.start).toBe(r.period.start);
    for (const p of timeline.phases) expect(Date.parse(p.start)).toBeLessThan(Date.parse(p.end));
    const dues = timeline.deadlines.map((d) => Date.parse(d.due));
    expect(dues).toEqual([...dues].sort((a, b) => a - b));
    for (const item of Object.keys(r.deadlines)) expect(timeline.deadlines.map((d) => d.item)).toContain(item);

    // 2010-04-01 to 2010-12-31 in Asia/Shanghai: nine months, the first sampled at the start.
    expect(r.monthly.map((m) => m.month)).toEqual(['2010-04', '2010-05', '2010-06', '2010-07', '2010-08', '2010-09', '2010-10', '2010-11', '2010-12']);
    expect(r.monthly[0]?.at).toBe(r.period.start);
    for (const m of r.monthly) expect(sum(m.phases)).toBe(r.organisation.units);
    expect(Object.keys(r.monthly[0]?.phases ?? {})).toEqual([timeline.phases[0]?.id]);
    // Every rung reached is climbed once, in some month.
    const climbed = sum(Object.fromEntries(r.monthly.map((m, i) => [String(i), m.ladderClimbs['举报投诉查实'] ?? 0])));
    expect(climbed).toBeGreaterThan(0);
    expect(climbed).toBe(sum(r.ladders['举报投诉查实'] ?? {}));
  });

  it('when Monte Carlo aggregates, then months, rank spreads and rank deciles come from the runs', async () => {
    const s = scenario(6, 2);
    const result = await monteCarlo({ definitions, processId: PROCESS, scenario: s, runs: 3, seed: 3, threads: 1 });
    const runs = await Promise.all(result.seeds.map((seed) => simulate({ definitions, processId: PROCESS, scenario: s, seed })));
    expect(result.timeline).toEqual(runs[0]?.timeline);
    expect(result.monthly.map((m) => m.month)).toEqual(runs[0]?.monthly.map((m) => m.month));
    for (const [i, m] of result.monthly.entries()) {
      for (const [phase, agg] of Object.entries(m.phases)) {
        const values = runs.map((r) => r.monthly[i]?.phases[phase] ?? 0);
        expect(agg.mean).toBeCloseTo(values.reduce((a, b) => a + b, 0) / values.length, 3);
      }
    }
    for (const [id, ranking] of Object.entries(result.rankings)) {
      for (const [subject, dist] of Object.entries(ranking.ranks)) {
        const ranks = runs.flatMap((r) => r.rankings[id]?.standings.filter((x) => x.subject === subject).map((x) => x.rank) ?? []);
        expect(dist.p5).toBe(Math.min(...ranks));
        expect(dist.p95).toBe(Math.max(...ranks));
        expect(dist.deciles).toHaveLength(10);
        expect(dist.deciles.reduce((a, b) => a + b, 0) * result.runs).toBeCloseTo(ranks.length, 3);
      }
    }
  });
});
