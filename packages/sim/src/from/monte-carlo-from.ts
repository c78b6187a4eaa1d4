import { availableParallelism } from 'node:os';
import { aggregate, deriveSeeds, runHere, runOnWorkers, type MonteCarloResult, type MonteCarloRuns } from '../monte-carlo.js';
import { checkRunsAndSeed, checkThreads, checkUntil, workerThreads } from '../scenario/scenario-limits.js';
import { simulateFrom, type SimulateFromOptions } from './simulate-from.js';

/** What `monteCarloFrom` needs: what `simulateFrom` needs (without its per-run seed and callbacks) and how many runs. */
export interface MonteCarloFromOptions extends Omit<SimulateFromOptions, 'seed' | 'onEffect' | 'onProgress' | 'onSent'> {
  /** How many runs (at least 1). */
  readonly runs: number;
  /** The seed every run's seed is derived from (`deriveSeeds`); defaults to `scenario.seed`. */
  readonly seed?: number;
  /** Worker threads, as `monteCarlo`'s (default `min(runs, os.availableParallelism())`; 1: this thread). */
  readonly threads?: number;
  /** Runs done so far, as `monteCarlo`'s. */
  readonly onProgress?: (done: number, runs: number) => void;
}

/**
 * 续推的蒙特卡洛 — `simulateFrom` `runs` times from the one campaign read, with seeds derived as
 * `monteCarlo` derives them, aggregated the same way (`MonteCarloResult`): what already happened is
 * the same in every run, the rest spreads. Each worker thread is sent the campaign once.
 */
export async function monteCarloFrom(options: MonteCarloFromOptions): Promise<MonteCarloResult> {
  const { results, seed, seeds } = await monteCarloFromRuns(options);
  return aggregate(results, seed, seeds);
}

/**
 * What `monteCarloFrom` runs, without aggregating: each run's own result in run order, for a
 * comparison that pairs runs across scenarios (`compareScenariosFrom`). Same checks and throws.
 */
export async function monteCarloFromRuns(options: MonteCarloFromOptions): Promise<MonteCarloRuns> {
  const { runs } = options;
  const seed = options.seed ?? options.scenario.seed;
  checkRunsAndSeed(runs, seed);
  checkUntil(options.until);
  const seeds = deriveSeeds(seed, runs);
  const asked = options.threads ?? availableParallelism();
  checkThreads(asked);
  const threads = workerThreads(runs, asked);
  const { runs: _runs, threads: _threads, onProgress, seed: _seed, ...fromOptions } = options;
  const results =
    threads === 1
      ? await runHere(seeds, onProgress, (s, share) => simulateFrom({ ...fromOptions, seed: s, ...(share ? { onProgress: share } : {}) }))
      : await runOnWorkers({ ...fromOptions }, seeds, threads, onProgress);
  return { seed, seeds, results };
}
