import { comparisonOf, type ScenarioComparison } from '../compare/compare-scenarios.js';
import type { ScenarioFile } from '../model/scenario.js';
import type { SimulationResult } from '../simulation-result.js';
import { monteCarloFromRuns, type MonteCarloFromOptions } from './monte-carlo-from.js';
import { simError } from '../errors/sim-error.js';
import { checkComparedScenarios, checkRunsAndSeed, checkThreads } from '../scenario/scenario-limits.js';

/** What `compareScenariosFrom` needs: what `monteCarloFrom` needs, with two or more scenarios in place of one. */
export interface CompareScenariosFromOptions extends Omit<MonteCarloFromOptions, 'scenario' | 'onProgress'> {
  /** The first is the baseline every other scenario is compared with; their organisations are not used (the campaign has its own). */
  readonly scenarios: readonly ScenarioFile[];
  /** The seed the runs derive from, the same for every scenario; default the baseline's `seed`. */
  readonly seed?: number;
  /** Runs done over all scenarios (a run under way counting by its share) out of `runs × scenarios`. */
  readonly onProgress?: (done: number, total: number) => void;
}

/**
 * 续推情景对比 — "what changes if we do B instead of A from here": every scenario continues the one
 * campaign read (`readLiveCampaign`, read once) `runs` times on the same seeds (common random
 * numbers: run i of every scenario draws from the same streams), and every figure is compared with
 * the first scenario's as `compareScenarios` compares runs from the start. What happened before the
 * cut is the recorded history in every run of every scenario, so it differs by exactly 0; what comes
 * after moves with the scenarios. Scenarios run one after the other, each on `threads` workers.
 * Throws what `monteCarloFrom` throws, and before any run what `checkComparedScenarios` throws
 * (SIM_TOO_FEW_SCENARIOS, SIM_TOO_MANY_SCENARIOS, SIM_DUPLICATE_SCENARIO_ID) and SIM_BAD_THREADS.
 */
export async function compareScenariosFrom(options: CompareScenariosFromOptions): Promise<ScenarioComparison> {
  const { scenarios, onProgress, ...shared } = options;
  const baseline = scenarios[0];
  checkComparedScenarios(scenarios.map((scenario) => ({ scenario })));
  if (baseline === undefined) throw simError('SIM_TOO_FEW_SCENARIOS', { count: 0 });
  if (options.threads !== undefined) checkThreads(options.threads);
  const seed = options.seed ?? baseline.seed;
  checkRunsAndSeed(options.runs, seed);
  const total = Math.floor(options.runs) * scenarios.length;
  const perScenario: (readonly SimulationResult[])[] = [];
  let seeds: readonly number[] = [];
  for (const [index, scenario] of scenarios.entries()) {
    const before = index * Math.floor(options.runs);
    const runs = await monteCarloFromRuns({
      ...shared,
      scenario,
      seed,
      ...(onProgress ? { onProgress: (done: number) => onProgress(before + done, total) } : {}),
    });
    seeds = runs.seeds;
    perScenario.push(runs.results);
  }
  return comparisonOf(options.source.stored.campaign.processId, seed, seeds, scenarios.map((s) => s.id), perScenario);
}
