import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { LuoshiError } from '@luoshi/dsl';
import { simError } from './errors/sim-error.js';
import { checkRunsAndSeed } from './scenario/scenario-limits.js';
import { createPrng } from './random/prng.js';
import { simulate, type SimulateOptions } from './simulate.js';
import type { LightMonth, LightsResult } from './light-board.js';
import type { SimulationResult } from './simulation-result.js';
import type { ExtensionCounts } from './extension-flow.js';
import { round4, sortKeys } from './stable-order.js';
import { ownValue, setOwn } from './own-keys.js';

/** What `monteCarlo` needs: what `simulate` needs (without its per-run seed and callbacks) and how many runs. */
export interface MonteCarloOptions extends Omit<SimulateOptions, 'seed' | 'onEffect' | 'onProgress'> {
  /** How many runs (at least 1). */
  readonly runs: number;
  /** The seed every run's seed is derived from (`deriveSeeds`); defaults to `scenario.seed`. */
  readonly seed?: number;
  /**
   * Worker threads, a whole number from 1 (else a `RangeError`); default
   * `min(runs, os.availableParallelism())`; 1 runs everything on this thread.
   */
  readonly threads?: number;
  /**
   * Called as the runs go by with how many are done, a run under way counting by the share of its
   * year simulated (so one long run moves a bar too): increasing, about a hundred calls a run, the
   * last one `(runs, runs)`. Runs finish in completion order, not run order.
   */
  readonly onProgress?: (done: number, runs: number) => void;
}

/** A metric over the runs: the mean (4 decimals) and the nearest-rank 5th and 95th percentiles. */
export interface Spread {
  readonly mean: number;
  readonly p5: number;
  readonly p95: number;
}

/** A deadline (item) over the runs. */
export interface DeadlineSpread {
  readonly title: string;
  readonly phase: string;
  /** In how many runs the item opened at least one task; `onTimeRate` is over these runs only. */
  readonly runs: number;
  readonly total: Spread;
  readonly onTime: Spread;
  readonly late: Spread;
  readonly overdue: Spread;
  readonly open: Spread;
  readonly onTimeRate: Spread;
}

/** A ranking over the runs: how many were ranked, and per subject how often it was in each band. */
export interface RankingSpread {
  readonly subject: 'unit' | 'member';
  readonly ranked: Spread;
  /** Subject → share of runs (0–1, 4 decimals) it landed in the bottom band; subjects never there are left out. */
  readonly bottom: Readonly<Record<string, number>>;
  /** Subject → share of runs it landed in the top band. */
  readonly top: Readonly<Record<string, number>>;
  /** Subject → its year-end rank over the runs it was ranked in. */
  readonly ranks: Readonly<Record<string, RankDistribution>>;
}

/** Where one subject ended in a ranking over the runs. */
export interface RankDistribution extends Spread {
  /** Ten shares of all runs (0–1, 4 decimals): how often it ended in each tenth of the ranking, best first (`floor((rank - 1) * 10 / ranked)`). */
  readonly deciles: readonly number[];
}

/** One month over the runs (`SimulationResult.monthly`), matched by position. */
export interface MonthSpread {
  readonly month: string;
  readonly at: string;
  /** Phase id (or `ended`) → units in it at the month's start. */
  readonly phases: Readonly<Record<string, Spread>>;
  /** Ladder id → rungs climbed during the month. */
  readonly ladderClimbs: Readonly<Record<string, Spread>>;
  /** Effect kind → effects delivered during the month. */
  readonly effects: Readonly<Record<string, Spread>>;
  /** Flag → subjects holding it at the month's start, in a campaign with flags (not for a continued campaign's past months). */
  readonly flags?: Readonly<Record<string, Spread>>;
  /** 督办事项 opened, closed and escalated during the month, in a campaign with items. */
  readonly items?: Readonly<Record<string, Spread>>;
}

/** 月末亮灯 over the runs: units and tasks by light at one month end, each count a spread. */
export interface LightMonthSpread {
  readonly month: string;
  readonly at: string;
  readonly units: Readonly<Record<string, Spread>>;
  readonly tasks: Readonly<Record<string, Spread>>;
  /** 督办事项 by light, in a campaign with items. */
  readonly items?: Readonly<Record<string, Spread>>;
}

/** 申请延期 over the runs: each count a spread, the engine's refusals by code. */
export interface ExtensionCountsSpread {
  readonly requested: Spread;
  readonly granted: Spread;
  readonly refused: Spread;
  readonly rejected: Readonly<Record<string, Spread>>;
}

/** 申请延期 over the runs, in total and per month (by position). */
export interface ExtensionsSpread extends ExtensionCountsSpread {
  readonly months: readonly (ExtensionCountsSpread & { readonly month: string })[];
}

/**
 * The aggregate of many runs of one scenario: every numeric metric of `SimulationResult` as a
 * `Spread`. A metric missing from a run (an event code that did not occur) counts as 0 there.
 * Plain JSON with sorted keys: the same inputs, seed and runs give the same bytes whatever the
 * number of threads.
 */
export interface MonteCarloResult {
  readonly scenario: string;
  readonly processId: string;
  readonly seed: number;
  readonly runs: number;
  /** The seed of each run, in run order. */
  readonly seeds: readonly number[];
  readonly period: SimulationResult['period'];
  readonly organisation: SimulationResult['organisation'];
  readonly events: { readonly sent: Readonly<Record<string, Spread>>; readonly rejected: Readonly<Record<string, Spread>> };
  readonly deadlines: Readonly<Record<string, DeadlineSpread>>;
  readonly overdueByPhase: Readonly<Record<string, Spread>>;
  readonly ladders: Readonly<Record<string, Readonly<Record<string, Spread>>>>;
  readonly flags: Readonly<Record<string, Spread>>;
  readonly effects: Readonly<Record<string, Spread>>;
  /** How many subjects were commended and questioned per run. */
  readonly commended: Spread;
  readonly questioned: Spread;
  readonly rankings: Readonly<Record<string, RankingSpread>>;
  /** 等次 — per grading id, grade → subjects holding it at the end, over the runs (mean, p5, p95); only for a process with gradings. */
  readonly grades?: Readonly<Record<string, Readonly<Record<string, Spread>>>>;
  /** The plan's phase windows and deadlines (the same in every run). */
  readonly timeline: SimulationResult['timeline'];
  /** The monthly series, each count a spread over the runs. */
  readonly monthly: readonly MonthSpread[];
  /**
   * 红黄绿灯 — in a campaign with `lights`: each month end's counts by light over the runs, and the
   * first run's three-colour board (三色图, its seed `seeds[0]`): a board is one run's, not an average.
   */
  readonly lights?: { readonly months: readonly LightMonthSpread[]; readonly board: LightsResult['board'] };
  /** 督办事项 — items opened, closed, escalated and open at the end, over the runs; only for a process with items. */
  readonly items?: Readonly<Record<string, Spread>>;
  /** 申请延期 — requests accepted, granted, refused by the office and by the engine (by code), over the runs; only for a process with extensions. */
  readonly extensions?: ExtensionsSpread;
}

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
 * `LuoshiError`, rebuilt with its code and messages when it came from a worker). A `store` keeps the
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
  // A store holds one campaign `sim`: a second run would collide with the first.
  if (options.store && runs !== 1) throw simError('SIM_STORE_ONE_RUN', { runs });
  const seeds = deriveSeeds(seed, runs);
  const asked = options.threads ?? availableParallelism();
  // A NaN here would start no worker and wait forever.
  if (!(Number.isInteger(asked) && asked >= 1)) throw new RangeError(`threads must be a whole number from 1, got ${options.threads}`);
  const threads = options.store ? 1 : Math.min(runs, asked);
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

/** The runs' results as one `MonteCarloResult` (what `monteCarlo` returns for them). */
export function aggregate(results: readonly SimulationResult[], seed: number, seeds: readonly number[]): MonteCarloResult {
  const first = results[0] as SimulationResult;
  const n = results.length;
  const records = (pick: (r: SimulationResult) => Readonly<Record<string, number>>): Record<string, Spread> => {
    const keys = new Set(results.flatMap((r) => Object.keys(pick(r))));
    return Object.fromEntries([...keys].map((k) => [k, spread(results.map((r) => ownValue(pick(r), k) ?? 0))]));
  };

  const deadlines: Record<string, DeadlineSpread> = {};
  for (const item of new Set(results.flatMap((r) => Object.keys(r.deadlines)))) {
    const present = results.flatMap((r) => ownValue(r.deadlines, item) ?? []);
    const of = (field: 'total' | 'onTime' | 'late' | 'overdue' | 'open') => spread(results.map((r) => ownValue(r.deadlines, item)?.[field] ?? 0));
    const head = present[0];
    setOwn(deadlines, item, {
      title: head?.title ?? item,
      phase: head?.phase ?? '',
      runs: present.length,
      total: of('total'),
      onTime: of('onTime'),
      late: of('late'),
      overdue: of('overdue'),
      open: of('open'),
      onTimeRate: spread(present.map((d) => d.onTimeRate)),
    });
  }

  const ladders: Record<string, Record<string, Spread>> = {};
  for (const ladder of new Set(results.flatMap((r) => Object.keys(r.ladders)))) setOwn(ladders, ladder, records((r) => ownValue(r.ladders, ladder) ?? {}));

  const rankings: Record<string, RankingSpread> = {};
  for (const id of new Set(results.flatMap((r) => Object.keys(r.rankings)))) {
    const present = results.flatMap((r) => ownValue(r.rankings, id) ?? []);
    const share = (band: 'top' | 'bottom') => {
      const counts = new Map<string, number>();
      for (const r of present) for (const s of r[band]) counts.set(s, (counts.get(s) ?? 0) + 1);
      return Object.fromEntries([...counts].map(([s, c]) => [s, round4(c / n)]));
    };
    const placed = new Map<string, { ranks: number[]; deciles: number[] }>();
    for (const r of present) {
      for (const s of r.standings) {
        const p = placed.get(s.subject) ?? { ranks: [], deciles: new Array<number>(10).fill(0) };
        p.ranks.push(s.rank);
        const tenth = Math.min(9, Math.max(0, Math.floor(((s.rank - 1) * 10) / Math.max(1, r.ranked))));
        p.deciles[tenth] = (p.deciles[tenth] ?? 0) + 1;
        placed.set(s.subject, p);
      }
    }
    setOwn(rankings, id, {
      subject: present[0]?.subject ?? 'unit',
      ranked: spread(results.map((r) => ownValue(r.rankings, id)?.ranked ?? 0)),
      bottom: share('bottom'),
      top: share('top'),
      ranks: Object.fromEntries([...placed].map(([s, p]) => [s, { ...spread(p.ranks), deciles: p.deciles.map((c) => round4(c / n)) }])),
    });
  }

  let grades: Record<string, Record<string, Spread>> | undefined;
  if (first.grades !== undefined) {
    grades = {};
    for (const id of Object.keys(first.grades)) setOwn(grades, id, records((r) => ownValue(r.grades, id) ?? {}));
  }

  const monthly: MonthSpread[] = first.monthly.map((m, i) => {
    const at = (pick: (s: SimulationResult['monthly'][number]) => Readonly<Record<string, number>>) =>
      records((r) => {
        const sample = r.monthly[i];
        return sample ? pick(sample) : {};
      });
    const spreads = {
      month: m.month,
      at: m.at,
      phases: at((s) => s.phases),
      ladderClimbs: at((s) => s.ladderClimbs),
      effects: at((s) => s.effects),
      ...(m.flags ? { flags: at((s) => s.flags ?? {}) } : {}),
    };
    return m.items ? { ...spreads, items: at((s) => ({ ...(s.items ?? {}) })) } : spreads;
  });

  const lights = first.lights && {
    months: first.lights.months.map((m, i) => {
      const at = (pick: (s: LightMonth) => Readonly<Record<string, number>>) =>
        records((r) => {
          const sample = r.lights?.months[i];
          return sample ? pick(sample) : {};
        });
      const counts = { month: m.month, at: m.at, units: at((s) => ({ ...s.units })), tasks: at((s) => ({ ...s.tasks })) };
      return m.items ? { ...counts, items: at((s) => ({ ...(s.items ?? {}) })) } : counts;
    }),
    board: first.lights.board,
  };

  // 申请延期: each count over the runs, a refusal code missing from a run counting 0 there.
  const extensionCounts = (pick: (r: SimulationResult) => ExtensionCounts | undefined): ExtensionCountsSpread => ({
    requested: spread(results.map((r) => pick(r)?.requested ?? 0)),
    granted: spread(results.map((r) => pick(r)?.granted ?? 0)),
    refused: spread(results.map((r) => pick(r)?.refused ?? 0)),
    rejected: records((r) => pick(r)?.rejected ?? {}),
  });
  const extensions: ExtensionsSpread | undefined = first.extensions && {
    ...extensionCounts((r) => r.extensions),
    months: first.extensions.months.map((m, i) => ({ month: m.month, ...extensionCounts((r) => r.extensions?.months[i]) })),
  };

  const result: MonteCarloResult = {
    scenario: first.scenario,
    processId: first.processId,
    seed,
    runs: n,
    seeds,
    period: first.period,
    organisation: first.organisation,
    events: { sent: records((r) => r.events.sent), rejected: records((r) => r.events.rejected) },
    deadlines,
    overdueByPhase: records((r) => r.overdueByPhase),
    ladders,
    flags: records((r) => r.flags),
    effects: records((r) => r.effects),
    commended: spread(results.map((r) => r.commended.length)),
    questioned: spread(results.map((r) => r.questioned.length)),
    rankings,
    ...(grades !== undefined ? { grades } : {}),
    timeline: first.timeline,
    monthly,
    ...(lights ? { lights } : {}),
    ...(first.items !== undefined ? { items: records((r) => ({ ...(r.items ?? {}) })) } : {}),
    ...(extensions ? { extensions } : {}),
  };
  return sortKeys(result) as MonteCarloResult;
}

/** Mean and nearest-rank percentiles: p5 and p95 are always values some run produced. */
export function spread(values: readonly number[]): Spread {
  if (values.length === 0) return { mean: 0, p5: 0, p95: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] as number;
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return { mean: round4(mean), p5: rank(0.05), p95: rank(0.95) };
}
