import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { LuoshiError } from '@luoshi/dsl';
import { simError } from './errors/sim-error.js';
import { checkRunsAndSeed, checkThreads, checkUntil, workerThreads } from './scenario/scenario-limits.js';
import { createPrng } from './random/prng.js';
import { simulate, type SimulateOptions } from './simulate.js';
import type { SimulationResult } from './simulation-result.js';
import { aggregate } from './aggregate.js';
import type { MonteCarloResult } from './monte-carlo-result.js';

/** What `monteCarlo` needs: what `simulate` needs (without its per-run seed and callbacks) and how many runs. */
export interface MonteCarloOptions extends Omit<SimulateOptions, 'seed' | 'onEffect' | 'onProgress'> {
  /** How many runs (at least 1). */
  readonly runs: number;
  /** The seed every run's seed is derived from (`deriveSeeds`); defaults to `scenario.seed`. */
  readonly seed?: number;
  /**
   * Worker threads, a whole number from 1 (else a `RangeError`); default
   * `min(runs, os.availableParallelism())`; 1 runs everything on this thread. At most
   * `SCENARIO_LIMITS.threads` (64) are started, however many are asked.
   */
  readonly threads?: number;
  /**
   * Called as the runs go by with how many are done, a run under way counting by the share of its
   * year simulated (so one long run moves a bar too): increasing, about a hundred calls a run, the
   * last one `(runs, runs)`. Runs finish in completion order, not run order.
   */
  readonly onProgress?: (done: number, runs: number) => void;
}

// The shapes of the aggregate and the aggregation have modules of their own; they are still
// reached from here, where callers have always found them.
export { aggregate, spread } from './aggregate.js';
export type * from './monte-carlo-result.js';

/** The seeds of `runs` runs derived from one seed with the seeded generator: the same seed, the same list. */
export function deriveSeeds(seed: number, runs: number): number[] {
  const prng = createPrng(seed);
  return Array.from({ length: runs }, () => Math.floor(prng.next() * 4294967296));
}

/** The worker script: plain JavaScript beside `dist/` and `src/`, importing the built package. */
const WORKER_URL = new URL('../worker/simulate-worker.js', import.meta.url);
/** Young generation per simulation thread, in MB (Node's default semi-space is 16 MB). */
const YOUNG_GENERATION_MB = 64;

/**
 * Runs `simulate` `runs` times with seeds derived from `seed` (`deriveSeeds`), on worker threads
 * unless `threads` is 1, and aggregates the results (`MonteCarloResult`). Results are combined in
 * run order, so the thread count never changes the output. Throws what `simulate` throws (a
 * `LuoshiError`, rebuilt with its code and messages when it came from a worker; SIM_BAD_UNTIL before
 * any run). A `store` keeps the
 * run on this thread and allows one run only (`SIM_STORE_ONE_RUN`).
 */
export async function monteCarlo(options: MonteCarloOptions): Promise<MonteCarloResult> {
  const { results, seed, seeds } = await monteCarloRuns(options);
  return aggregate(results, seed, seeds);
}

/** Every run of a Monte Carlo, in run order, before aggregation (`monteCarloRuns`). */
export interface MonteCarloRuns {
  readonly seed: number;
  readonly seeds: readonly number[];
  readonly results: readonly SimulationResult[];
}

/**
 * What `monteCarlo` runs, without aggregating: each run's own result in run order, for analyses
 * that pair runs across scenarios (`compareScenarios`). Same checks and throws as `monteCarlo`.
 */
export async function monteCarloRuns(options: MonteCarloOptions): Promise<MonteCarloRuns> {
  const { runs } = options;
  const seed = options.seed ?? options.scenario.seed;
  // Before the seeds are derived: 1e9 runs would ask for gigabytes before the first one.
  checkRunsAndSeed(runs, seed);
  // Here too, not only in each run: a NaN would otherwise reach every worker.
  checkUntil(options.until);
  // A store holds one campaign `sim`: a second run would collide with the first.
  if (options.store && runs !== 1) throw simError('SIM_STORE_ONE_RUN', { runs });
  const seeds = deriveSeeds(seed, runs);
  const asked = options.threads ?? availableParallelism();
  checkThreads(asked);
  const threads = options.store ? 1 : workerThreads(runs, asked);
  const { runs: _runs, threads: _threads, onProgress, seed: _seed, ...simulateOptions } = options;
  const results =
    threads === 1
      ? await runHere(seeds, onProgress, (seed, share) => simulate({ ...simulateOptions, seed, ...(share ? { onProgress: share } : {}) }))
      : await runOnWorkers(workerDataOf(options), seeds, threads, onProgress);
  return { seed, seeds, results };
}

/** What to tell `onProgress` as runs report their shares and finish: only ever more than before. */
function progressOf(onProgress: MonteCarloOptions['onProgress'], runs: number) {
  const shares = new Map<number, number>();
  let finished = 0;
  let told = 0;
  const tell = () => {
    let done = finished;
    for (const share of shares.values()) done += share;
    if (done <= told) return;
    told = done;
    onProgress?.(done, runs);
  };
  return {
    share(index: number, share: number): void {
      shares.set(index, share);
      tell();
    },
    finished(index: number): void {
      shares.delete(index);
      finished++;
      tell();
    },
  };
}

/** One run with its seed, telling `share` (when given) how far it has gone. */
export type OneRun = (seed: number, share: ((share: number) => void) | undefined) => Promise<SimulationResult>;

/** Every run on this thread, one after another. */
export async function runHere(seeds: readonly number[], onProgress: MonteCarloOptions['onProgress'], one: OneRun): Promise<SimulationResult[]> {
  const progress = progressOf(onProgress, seeds.length);
  const results: SimulationResult[] = [];
  for (const [index, seed] of seeds.entries()) {
    results.push(await one(seed, onProgress ? (share: number) => progress.share(index, share) : undefined));
    progress.finished(index);
  }
  return results;
}

/** What a worker needs for `simulate` (see worker/simulate-worker.js). */
function workerDataOf(options: MonteCarloOptions): Record<string, unknown> {
  return {
    definitions: options.definitions,
    processId: options.processId,
    scenario: options.scenario,
    ...(options.organisation ? { organisation: options.organisation } : {}),
    ...(options.years === undefined ? {} : { years: options.years }),
    ...(options.until === undefined ? {} : { until: options.until }),
  };
}

/** A message from the worker: how far a run has gone, one run's result, or why it failed. */
type WorkerReply =
  | { readonly index: number; readonly share: number }
  | { readonly index: number; readonly result: SimulationResult }
  | { readonly index: number; readonly error: { readonly message: string; readonly code?: string; readonly messages?: { en: string; zh: string }; readonly details?: Record<string, unknown> } };

/**
 * Runs spread over worker threads, each given `options` once (a `simulate` run's, or with `source`
 * a `simulateFrom` run's) and then one seed at a time.
 */
export async function runOnWorkers(options: Record<string, unknown>, seeds: readonly number[], threads: number, onProgress: MonteCarloOptions['onProgress']): Promise<SimulationResult[]> {
  const results: (SimulationResult | undefined)[] = new Array(seeds.length);
  // Shares are posted only when someone listens: a message per hundredth of every run is not free.
  const workerData = { ...options, progress: onProgress !== undefined };
  const progress = progressOf(onProgress, seeds.length);
  let next = 0;
  let done = 0;
  const workers: Worker[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      let failed = false;
      const fail = (error: unknown) => {
        if (failed) return;
        failed = true;
        reject(error);
      };
      const feed = (worker: Worker) => {
        if (next < seeds.length) {
          const index = next++;
          worker.postMessage({ index, seed: seeds[index] });
        }
      };
      for (let t = 0; t < threads; t++) {
        // A larger young generation: a run allocates short-lived records by the gigabyte, and the
        // default semi-space makes the scavenger run (and promote) far more often than needed.
        const worker = new Worker(WORKER_URL, { workerData, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } });
        workers.push(worker);
        worker.on('message', (reply: WorkerReply) => {
          if (failed) return;
          if ('error' in reply) {
            const e = reply.error;
            fail(e.code && e.messages ? new LuoshiError(e.code, e.messages, { details: e.details ?? {} }) : new Error(e.message));
            return;
          }
          if ('share' in reply) {
            progress.share(reply.index, reply.share);
            return;
          }
          results[reply.index] = reply.result;
          done++;
          progress.finished(reply.index);
          if (done === seeds.length) resolve();
          else feed(worker);
        });
        worker.on('error', fail);
        worker.on('exit', (code) => {
          if (done < seeds.length) fail(new Error(`simulation worker exited with code ${code} before all runs were done`));
        });
        feed(worker);
      }
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return results as SimulationResult[];
}
