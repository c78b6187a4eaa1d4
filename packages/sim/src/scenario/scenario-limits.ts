import { DSL_LIMITS } from '@luoshi/dsl';
import { ORGANISATION_LIMITS, type OrganisationUnit } from '@luoshi/engine';
import type { ScenarioFile } from '../model/scenario.js';
import { simError } from '../errors/sim-error.js';
import { sameJson } from './same-json.js';

/**
 * 情景与运行的上限 — what a scenario file and a run may ask for, each checked before the work it
 * would cost (docs/simulation.md, "Limits"): a scenario comes from outside like a process file, and
 * three lines of YAML could otherwise ask for a billion people or a billion runs.
 */
export const SCENARIO_LIMITS = Object.freeze({
  /** A scenario or organisation file, in bytes: the process files' limit, checked before reading. */
  fileBytes: DSL_LIMITS.fileBytes,
  /** A scenario's id: it names the scenario in the terminal, in CSV rows and in workbook cells. */
  idLength: 100,
  /**
   * People a generated organisation may hold (units × membersPerUnit, and the intermediate units'
   * members): 10,000 units × 30 members ran a year in 1.57 GB (benchmarks.md), so this is about
   * what fits in a few gigabytes.
   */
  members: 500_000,
  /** Units a generated organisation may hold, intermediate units included: the engine's own limit. */
  units: ORGANISATION_LIMITS.units,
  /** Runs of one Monte Carlo or of each compared scenario: every run's result is kept until the end. */
  runs: 10_000,
  /** Scenarios one comparison may run side by side. */
  scenarios: 20,
  /**
   * Worker threads one Monte Carlo starts, however many are asked: each loads the simulator and the
   * campaign (tens of MB), and results do not depend on the count (byte-identical JSON).
   */
  threads: 64,
  /** The largest seed: seeds are taken modulo 2³², so a larger one would alias a smaller one. */
  seed: 4_294_967_295,
});

/** Checks a run count and a seed as every Monte Carlo takes them: SIM_BAD_RUNS, SIM_BAD_SEED. */
export function checkRunsAndSeed(runs: number, seed: number): void {
  if (!(Number.isInteger(runs) && runs >= 1 && runs <= SCENARIO_LIMITS.runs)) throw simError('SIM_BAD_RUNS', { runs: String(runs), max: SCENARIO_LIMITS.runs });
  if (!(Number.isInteger(seed) && seed >= 0 && seed <= SCENARIO_LIMITS.seed)) throw simError('SIM_BAD_SEED', { seed: String(seed), max: SCENARIO_LIMITS.seed });
}

/**
 * Checks where a run is asked to stop (`until`): an instant in milliseconds, else SIM_BAD_UNTIL.
 * NaN ended a run nowhere: `next > until` is never true, so once the last timer had fired the run's
 * loop went on for ever, in microtasks no timeout reaches (a worker hung the same way). Infinity is
 * no stop, as leaving `until` out is.
 */
export function checkUntil(until: number | undefined): void {
  if (until !== undefined && (typeof until !== 'number' || Number.isNaN(until))) throw simError('SIM_BAD_UNTIL', { until: String(until) });
}

/**
 * Checks the worker threads a Monte Carlo is asked for: a whole number from 1, else SIM_BAD_THREADS
 * (a NaN would start no worker and wait forever, 0 or 1.5 has no meaning). A larger whole number is
 * not refused: results do not depend on the count, so `workerThreads` starts at most the limit.
 */
export function checkThreads(asked: number): void {
  if (!(Number.isInteger(asked) && asked >= 1)) throw simError('SIM_BAD_THREADS', { threads: String(asked), max: SCENARIO_LIMITS.threads });
}

/**
 * The worker threads a Monte Carlo of `runs` runs uses when `asked` for (already checked by
 * `checkThreads`): never more than the runs, nor than `SCENARIO_LIMITS.threads`.
 */
export function workerThreads(runs: number, asked: number): number {
  return Math.min(runs, asked, SCENARIO_LIMITS.threads);
}

/**
 * How deep two compared scenarios are walked: a scenario file's nesting (DSL_LIMITS.nestingDepth)
 * around an organisation tree's (ORGANISATION_LIMITS.jsonDepth), and the pair that holds them.
 * Anything deeper was not read from a file, and is taken for a different scenario.
 */
const COMPARED_DEPTH = DSL_LIMITS.nestingDepth + ORGANISATION_LIMITS.jsonDepth + 1;

/**
 * Checks the scenarios of one comparison before any run: at least two (SIM_TOO_FEW_SCENARIOS), at
 * most `SCENARIO_LIMITS.scenarios` (SIM_TOO_MANY_SCENARIOS), and one id for one scenario
 * (SIM_DUPLICATE_SCENARIO_ID): the id heads a column of the comparison and names rows of the CSV
 * and the workbook, so two different scenarios under one id could not be told apart. The same
 * scenario given twice (equal as JSON whatever the order of its keys, organisation included:
 * `sameJson`) is the check that a scenario compared with itself differs by exactly 0, and is allowed. `names` say where each came from (the CLI gives
 * the files); without them the message names positions, `#1`, `#2`…
 */
export function checkComparedScenarios(scenarios: readonly { readonly scenario: ScenarioFile; readonly organisation?: OrganisationUnit }[], names?: readonly string[]): void {
  if (scenarios.length < 2) throw simError('SIM_TOO_FEW_SCENARIOS', { count: scenarios.length });
  if (scenarios.length > SCENARIO_LIMITS.scenarios) throw simError('SIM_TOO_MANY_SCENARIOS', { count: scenarios.length, max: SCENARIO_LIMITS.scenarios });
  // A Map keyed by the id: ids come from files (a "__proto__" id is a plain key here).
  const seen = new Map<string, number>();
  const same = (a: (typeof scenarios)[number] | undefined, b: (typeof scenarios)[number]) => a !== undefined && sameJson([a.scenario, a.organisation], [b.scenario, b.organisation], COMPARED_DEPTH);
  for (const [index, compared] of scenarios.entries()) {
    const { id } = compared.scenario;
    const first = seen.get(id);
    if (first === undefined) seen.set(id, index);
    else if (!same(scenarios[first], compared)) throw simError('SIM_DUPLICATE_SCENARIO_ID', { id, first: names?.[first] ?? `#${first + 1}`, second: names?.[index] ?? `#${index + 1}` });
  }
}
