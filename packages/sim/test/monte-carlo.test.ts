import { validateProcessPaths } from '@luoshi/dsl';
import { describe, expect, it } from 'vitest';
import { deriveSeeds, loadScenarioFile, monteCarlo, simulate, spread, type ScenarioFile, type Spread } from '@luoshi/sim';

const root = new URL('../../../', import.meta.url).pathname;
const definitions = validateProcessPaths([`${root}processes/`]);
const PROCESS = '机关作风建设年';

function scenario(name: string, units: number, membersPerUnit: number): ScenarioFile {
  const loaded = loadScenarioFile(`${root}examples/scenarios/002-${name}.yaml`);
  if (!loaded.scenario?.organisation) throw new Error(JSON.stringify(loaded.diagnostics));
  return { ...loaded.scenario, organisation: { ...loaded.scenario.organisation, units, membersPerUnit } };
}

describe('given seed 002 and the lax scenario on a small organisation', () => {
  const s = scenario('lax', 8, 2);
  const RUNS = 4;

  it('when Monte Carlo runs on one thread and on two, then the JSON is byte-identical', async () => {
    const progress: number[] = [];
    const one = JSON.stringify(await monteCarlo({ definitions, processId: PROCESS, scenario: s, runs: RUNS, seed: 7, threads: 1, onProgress: (done) => progress.push(done) }));
    const two = JSON.stringify(await monteCarlo({ definitions, processId: PROCESS, scenario: s, runs: RUNS, seed: 7, threads: 2 }));
    expect(two).toBe(one);
    // One after the other: every run passes through its hundredths and ends on a whole number.
    expect(progress.filter(Number.isInteger)).toEqual([1, 2, 3, 4]);
    expect(progress.length).toBeGreaterThan(RUNS * 10);
    expect(progress.every((done, i) => i === 0 || done > (progress[i - 1] as number))).toBe(true);
    const other = JSON.stringify(await monteCarlo({ definitions, processId: PROCESS, scenario: s, runs: RUNS, seed: 8, threads: 1 }));
    expect(other).not.toBe(one);
  });

  it('when runs go on two workers, then progress counts the runs under way by their shares, rising to the number of runs', async () => {
    const progress: { done: number; runs: number }[] = [];
    await monteCarlo({ definitions, processId: PROCESS, scenario: s, runs: RUNS, seed: 7, threads: 2, onProgress: (done, runs) => progress.push({ done, runs }) });
    expect(progress.every((p) => p.runs === RUNS)).toBe(true);
    const done = progress.map((p) => p.done);
    expect(done.at(-1)).toBe(RUNS);
    expect(done.every((d, i) => i === 0 || d > (done[i - 1] as number))).toBe(true);
    // Before the first run finished, the bar had already moved.
    expect(done.filter((d) => d < 1).length).toBeGreaterThan(10);
  });

  it('when the runs are replayed one by one, then every aggregate lies within their range and p5 ≤ mean ≤ p95', async () => {
    const result = await monteCarlo({ definitions, processId: PROCESS, scenario: s, runs: RUNS, seed: 11, threads: 2 });
    expect(result.seeds).toEqual(deriveSeeds(11, RUNS));
    const runs = await Promise.all(result.seeds.map((seed) => simulate({ definitions, processId: PROCESS, scenario: s, seed })));
    const within = (agg: Spread | undefined, values: number[]) => {
      expect(agg).toBeDefined();
      const { mean, p5, p95 } = agg as Spread;
      const [min, max] = [Math.min(...values), Math.max(...values)];
      for (const x of [mean, p5, p95]) {
        expect(x).toBeGreaterThanOrEqual(min);
        expect(x).toBeLessThanOrEqual(max);
      }
      // With fewer than 20 runs the nearest-rank p5 and p95 are the minimum and maximum.
      expect(p5).toBeLessThanOrEqual(mean);
      expect(mean).toBeLessThanOrEqual(p95);
    };
    for (const [phase, agg] of Object.entries(result.overdueByPhase)) within(agg, runs.map((r) => r.overdueByPhase[phase] ?? 0));
    for (const [item, agg] of Object.entries(result.deadlines)) {
      within(agg.onTimeRate, runs.flatMap((r) => (r.deadlines[item] ? [r.deadlines[item].onTimeRate] : [])));
      within(agg.overdue, runs.map((r) => r.deadlines[item]?.overdue ?? 0));
    }
    for (const [ladder, rungs] of Object.entries(result.ladders)) {
      for (const [rung, agg] of Object.entries(rungs)) within(agg, runs.map((r) => r.ladders[ladder]?.[rung] ?? 0));
    }
    for (const [flag, agg] of Object.entries(result.flags)) within(agg, runs.map((r) => r.flags[flag] ?? 0));
    within(result.questioned, runs.map((r) => r.questioned.length));
    within(result.commended, runs.map((r) => r.commended.length));
    expect(Object.keys(result.ladders['举报投诉查实'] ?? {})).not.toHaveLength(0);
    for (const [id, ranking] of Object.entries(result.rankings)) {
      for (const [subject, share] of Object.entries(ranking.bottom)) {
        expect(share).toBe(runs.filter((r) => r.rankings[id]?.bottom.includes(subject)).length / RUNS);
      }
    }
  });

  it('when threads is not a whole number from 1, then it is refused before anything runs', async () => {
    for (const threads of [0, -1, 1.5, Number.NaN]) {
      await expect(monteCarlo({ definitions, processId: PROCESS, scenario: s, runs: 2, threads })).rejects.toMatchObject({ code: 'SIM_BAD_THREADS' });
    }
  });

  it('when a run cannot start, then the error keeps its code from the worker', async () => {
    await expect(monteCarlo({ definitions, processId: '不存在', scenario: { ...s, process: undefined } as ScenarioFile, runs: 2, threads: 2 })).rejects.toMatchObject({ code: 'SIM_PROCESS_NOT_FOUND' });
  });
});

describe('spread', () => {
  it('takes the mean and nearest-rank percentiles', () => {
    expect(spread([3, 1, 2])).toEqual({ mean: 2, p5: 1, p95: 3 });
    const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(spread(hundred)).toEqual({ mean: 50.5, p5: 5, p95: 95 });
  });
});
