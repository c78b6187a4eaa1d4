import type { OrganisationUnit } from '@luoshi/engine';
import type { ScenarioFile } from '../model/scenario.js';
import { simError } from '../errors/sim-error.js';
import { checkComparedScenarios, checkRunsAndSeed, checkThreads } from '../scenario/scenario-limits.js';
import { aggregate, monteCarloRuns, type MonteCarloOptions, type MonteCarloResult } from '../monte-carlo.js';
import type { SimulationResult } from '../simulation-result.js';
import { round4 } from '../stable-order.js';
import { pairedDifference, type PairedDifference } from './paired-interval.js';

/** One scenario of a comparison: the file and, when it names an `organisationFile`, the organisation the loader read. */
export interface ComparedScenario {
  readonly scenario: ScenarioFile;
  readonly organisation?: OrganisationUnit;
}

/** What `compareScenarios` needs: what `monteCarlo` needs, with two or more scenarios in place of one. */
export interface CompareScenariosOptions extends Omit<MonteCarloOptions, 'scenario' | 'organisation' | 'store' | 'onProgress'> {
  /** The first is the baseline every other scenario is compared with. */
  readonly scenarios: readonly ComparedScenario[];
  /** The seed the runs derive from, the same for every scenario; default the baseline's `seed`. */
  readonly seed?: number;
  /** Runs done over all scenarios (a run under way counting by its share) out of `runs × scenarios`. */
  readonly onProgress?: (done: number, total: number) => void;
}

/** Which kind of figure a metric is, as the single-scenario summary groups them. */
export type MetricGroup = (typeof GROUPS)[number];

/** The groups in the order the summary prints them. */
export const GROUPS = ['deadlines', 'overdueByPhase', 'ladders', 'flags', 'effects', 'items', 'extensions', 'commended', 'questioned', 'rankings', 'grades', 'lights'] as const;

/** One metric across the scenarios. */
export interface MetricComparison {
  /**
   * The metric's path in the run result, group first, e.g. `['deadlines', 'plan', 'onTime']`,
   * `['rankings', 'r', 'bottom', 'u1']` (1 in a run the subject was in the bottom band, so the
   * mean is the share of runs), `['lights', '2026-03', 'red']` (units red at that month end).
   */
  readonly key: readonly string[];
  /** Per scenario in the order given: the mean over the runs that have the metric (4 decimals; 0 when none has). */
  readonly means: readonly number[];
  /** Per scenario: the paired difference to the baseline; null for the baseline itself. */
  readonly differences: readonly (PairedDifference | null)[];
}

/**
 * 情景对比 — several scenarios run under common random numbers (run i of every scenario uses the
 * same seed), every figure of the summary per scenario, and its paired difference to the first.
 */
export interface ScenarioComparison {
  readonly processId: string;
  readonly seed: number;
  readonly runs: number;
  readonly seeds: readonly number[];
  /** Scenario ids in the order given; the first is the baseline. */
  readonly scenarios: readonly string[];
  /** Grouped in `GROUPS` order. */
  readonly metrics: readonly MetricComparison[];
  /** Each scenario's own Monte Carlo result, as `monteCarlo` would give it for the same seed. */
  readonly results: readonly MonteCarloResult[];
}

/**
 * Runs every scenario `runs` times with the same seeds and compares them metric by metric with the
 * first (`ScenarioComparison`). Scenarios run one after the other, each on `threads` workers.
 * Throws what `monteCarlo` throws, and before any run what `checkComparedScenarios` throws
 * (SIM_TOO_FEW_SCENARIOS, SIM_TOO_MANY_SCENARIOS, SIM_DUPLICATE_SCENARIO_ID) and SIM_BAD_THREADS.
 */
export async function compareScenarios(options: CompareScenariosOptions): Promise<ScenarioComparison> {
  const { scenarios, onProgress, ...shared } = options;
  const baseline = scenarios[0];
  checkComparedScenarios(scenarios);
  if (baseline === undefined) throw simError('SIM_TOO_FEW_SCENARIOS', { count: 0 });
  // Before the first scenario's runs, not after them: a bad count would otherwise surface only then.
  if (options.threads !== undefined) checkThreads(options.threads);
  const seed = options.seed ?? baseline.scenario.seed;
  checkRunsAndSeed(options.runs, seed);
  const total = Math.floor(options.runs) * scenarios.length;
  const perScenario: (readonly SimulationResult[])[] = [];
  let seeds: readonly number[] = [];
  for (const [index, compared] of scenarios.entries()) {
    const before = index * Math.floor(options.runs);
    const runs = await monteCarloRuns({
      ...shared,
      scenario: compared.scenario,
      ...(compared.organisation ? { organisation: compared.organisation } : {}),
      seed,
      ...(onProgress ? { onProgress: (done: number) => onProgress(before + done, total) } : {}),
    });
    seeds = runs.seeds;
    perScenario.push(runs.results);
  }
  return comparisonOf(options.processId, seed, seeds, scenarios.map((s) => s.scenario.id), perScenario);
}

/**
 * The comparison of runs already made: `perScenario[k]` the runs of scenario k in seed order (run i
 * of every scenario on `seeds[i]`), the first the baseline. Shared by a comparison from the start
 * (`compareScenarios`) and from a live campaign (`compareScenariosFrom`).
 */
export function comparisonOf(processId: string, seed: number, seeds: readonly number[], scenarioIds: readonly string[], perScenario: readonly (readonly SimulationResult[])[]): ScenarioComparison {
  const metrics = perScenario.map((runs) => runs.map(metricsOf));
  const results = perScenario.map((runs) => aggregate(runs, seed, seeds));
  const keys = new Map<string, readonly string[]>();
  for (const scenario of metrics) for (const run of scenario) for (const k of run.keys()) if (!keys.has(k)) keys.set(k, JSON.parse(k) as string[]);
  // Grouped as the summary prints them; within a group in the order the runs reported them (stable sort).
  const rows: MetricComparison[] = [...keys]
    .sort((a, b) => GROUPS.indexOf(a[1][0] as MetricGroup) - GROUPS.indexOf(b[1][0] as MetricGroup))
    .map(([k, key]) => {
      const series = metrics.map((runs) => runs.map((run) => (run.has(k) ? run.get(k) : absent(key))));
      const base = series[0] ?? [];
      return {
        key,
        means: series.map(meanOf),
        differences: series.map((values, i) => (i === 0 ? null : pairedDifference(base, values))),
      };
    });
  return {
    processId,
    seed,
    runs: seeds.length,
    seeds,
    scenarios: [...scenarioIds],
    metrics: rows,
    results,
  };
}

/** A count missing from a run is 0 there (no such event); a rate or a rank missing is no value. */
function absent(key: readonly string[]): number | undefined {
  const last = key.at(-1);
  if (key[0] === 'deadlines' && last === 'onTimeRate') return undefined;
  if (key[0] === 'rankings' && key[2] === 'rank') return undefined;
  return 0;
}

function meanOf(values: readonly (number | undefined)[]): number {
  const present = values.filter((v): v is number => v !== undefined);
  return present.length === 0 ? 0 : round4(present.reduce((a, b) => a + b, 0) / present.length);
}

/**
 * Every figure the single-scenario summary reports, flat: key path (as JSON, so ids holding dots
 * stay apart) → value in this run.
 */
export function metricsOf(r: SimulationResult): Map<string, number | undefined> {
  const m = new Map<string, number | undefined>();
  const put = (key: readonly string[], value: number | undefined) => m.set(JSON.stringify(key), value);
  for (const [item, d] of Object.entries(r.deadlines)) {
    for (const field of ['total', 'onTime', 'late', 'overdue', 'open', 'onTimeRate'] as const) put(['deadlines', item, field], d[field]);
    // Days late of the late completions, summed (results that record them).
    if (d.daysLate !== undefined) put(['deadlines', item, 'daysLate'], d.daysLate);
  }
  for (const [phase, n] of Object.entries(r.overdueByPhase)) put(['overdueByPhase', phase], n);
  for (const [ladder, rungs] of Object.entries(r.ladders)) for (const [rung, n] of Object.entries(rungs)) put(['ladders', ladder, rung], n);
  for (const [flag, n] of Object.entries(r.flags)) put(['flags', flag], n);
  for (const [kind, n] of Object.entries(r.effects)) put(['effects', kind], n);
  // 督办事项: opened, struck off, escalated, still open at the end.
  if (r.items) for (const field of ['opened', 'closed', 'escalated', 'open'] as const) put(['items', field], r.items[field]);
  // …and by light at the end of the run (the last month end).
  const itemLights = r.lights?.months.at(-1)?.items;
  if (itemLights) for (const [light, n] of Object.entries(itemLights)) put(['items', light], n);
  // 申请延期: accepted, granted, refused by the office, and refused by the engine per code.
  if (r.extensions) {
    for (const field of ['requested', 'granted', 'refused'] as const) put(['extensions', field], r.extensions[field]);
    for (const [code, n] of Object.entries(r.extensions.rejected)) put(['extensions', 'rejected', code], n);
  }
  put(['commended'], r.commended.length);
  put(['questioned'], r.questioned.length);
  for (const [id, ranking] of Object.entries(r.rankings)) {
    put(['rankings', id, 'ranked'], ranking.ranked);
    for (const s of ranking.standings) put(['rankings', id, 'rank', s.subject], s.rank);
    for (const s of ranking.bottom) put(['rankings', id, 'bottom', s], 1);
    for (const s of ranking.top) put(['rankings', id, 'top', s], 1);
  }
  for (const [grading, bands] of Object.entries(r.grades ?? {})) for (const [grade, n] of Object.entries(bands)) put(['grades', grading, grade], n);
  for (const month of r.lights?.months ?? []) for (const [light, n] of Object.entries(month.units)) put(['lights', month.month, light], n);
  return m;
}
