/*
 * Common random numbers (共同随机数), measured: seed 000's baseline (12 units × 2 members) compared
 * over 12 runs with variants that change one assumption, and the mean width of the paired 95%
 * intervals of each deadline's on-time and never-done counts. Narrower is better: the same change
 * measured with less noise. Run on two builds to compare them (the figures in docs/simulation.md
 * were taken before and after per-task random streams):
 *
 *   npm run bench:crn
 */
import { validateProcessPaths } from '@luoshi/dsl';
import { compareScenarios, loadScenarioFile, type ScenarioFile } from '@luoshi/sim';
import { ROOT } from './lib/seed-campaign.js';

const RUNS = 12;
const definitions = validateProcessPaths([`${ROOT}processes`]);
const loaded = loadScenarioFile(`${ROOT}examples/scenarios/000-baseline.yaml`);
if (!loaded.scenario?.organisation) throw new Error('examples/scenarios/000-baseline.yaml does not load');
const base: ScenarioFile = { ...loaded.scenario, organisation: { ...loaded.scenario.organisation, units: 12, membersPerUnit: 2 } };
const withTasks = (tasks: ScenarioFile['behaviour']['default']['tasks']): ScenarioFile => ({ ...base, id: 'variant', behaviour: { ...base.behaviour, default: { ...base.behaviour.default, tasks } } });
const variants: Record<string, ScenarioFile> = {
  // The same draws, only their values shift.
  delayMean5to6: withTasks({ ...base.behaviour.default.tasks, delay: { kind: 'normal', mean: 6, sd: 3 } }),
  // A draw made or skipped: one stream falls out of step at the first task that differs.
  neverProbability002to010: withTasks({ ...base.behaviour.default.tasks, neverProbability: 0.1 }),
  // One kind of unit only (the 2 窗口单位): every other unit's work is the same in both.
  windowsNever002to030: {
    ...base,
    id: 'variant',
    behaviour: { ...base.behaviour, kinds: { ...base.behaviour.kinds, 窗口单位: { ...base.behaviour.kinds?.['窗口单位'], tasks: { ...base.behaviour.default.tasks, neverProbability: 0.3 } } } },
  },
};

const out: Record<string, { onTimeWidth: number; overdueWidth: number; deadlines: number }> = {};
for (const [name, variant] of Object.entries(variants)) {
  const c = await compareScenarios({ definitions, processId: '三型机关动员月', scenarios: [{ scenario: base }, { scenario: variant }], runs: RUNS, seed: 5, threads: 2 });
  const width = (field: string) => {
    const ws = c.metrics
      .filter((m) => m.key[0] === 'deadlines' && m.key[2] === field)
      .map((m) => m.differences[1])
      .flatMap((d) => (d && d.low !== null && d.high !== null ? [d.high - d.low] : []));
    return { mean: ws.reduce((a, b) => a + b, 0) / Math.max(1, ws.length), n: ws.length };
  };
  const onTime = width('onTime');
  out[name] = { onTimeWidth: Math.round(onTime.mean * 1000) / 1000, overdueWidth: Math.round(width('overdue').mean * 1000) / 1000, deadlines: onTime.n };
  process.stdout.write(`${name}: on-time intervals ${out[name]?.onTimeWidth} tasks wide on average over ${onTime.n} deadlines, never-done ${out[name]?.overdueWidth}\n`);
}
process.stdout.write(`${JSON.stringify({ runs: RUNS, units: 12, membersPerUnit: 2, ...out })}\n`);
