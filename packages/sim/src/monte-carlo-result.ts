import type { SimulationResult } from './simulation-result.js';
import type { LightsResult } from './light-board.js';

/*
 * 汇总结果 — what many runs of one scenario come to: the shapes `aggregate` (aggregate.ts) makes of
 * the runs' results, as `SimulationResult` is the shape of one run's.
 */

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
  /** Days late summed over the item's late completions, per run (from results that record it). */
  readonly daysLate?: Spread;
  /** The mean days late of one late completion, over every run's late completions (0 with none). */
  readonly daysLatePerLate?: number;
  /** The mean days late of one task, late completions' days over every task of the item that opened in any run (a task on time or never done adds 0). */
  readonly daysLatePerTask?: number;
}

/** An effect kind as one unit received it over the runs. */
export interface UnitEffectSpread {
  /** Share of runs (0–1, 4 decimals) in which it or one of its members received at least one. */
  readonly chance: number;
  /** How many it and its members received, per run. */
  readonly count: Spread;
}

/**
 * 各单位汇总 — one unit over the runs (from each run's `SimulationResult.units`). Counts are spreads
 * over the runs the unit was in; chances are shares of those runs (0–1, 4 decimals). Its rank and
 * its chances of each ranking band are in `rankings`.
 */
export interface UnitSpread {
  /** In how many runs the unit was (every run, over one organisation). */
  readonly runs: number;
  /** Its tasks (its own and its members', every occurrence) done on time, done late, never done by the end, and not yet due at the end, per run. */
  readonly onTime: Spread;
  readonly late: Spread;
  readonly overdue: Spread;
  readonly open: Spread;
  /** Share of runs in which at least one of its tasks was never done by the end (逾期未完成). */
  readonly overdueChance: number;
  /** Share of runs in which at least one of its tasks went past its due undone: done late or never done (逾期). */
  readonly missedChance: number;
  /** Days late summed over its late completions, per run. */
  readonly daysLate: Spread;
  /** Its longest delay among its late completions, per run (0 in a run without one). */
  readonly maxDaysLate: Spread;
  /** Flag → share of runs it ended holding it (it or one of its members); flags never held are left out. */
  readonly flags: Readonly<Record<string, number>>;
  /** Effect kind → how often and how many it received; kinds never received are left out. */
  readonly effects: Readonly<Record<string, UnitEffectSpread>>;
  /** Ladder id → rung level → share of runs it or one of its members climbed at least that rung; ladders never climbed are left out. */
  readonly ladders: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** 等次 — grading id → grade → share of runs it ended with that grade (its own), in a process with gradings. */
  readonly grades?: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** Ranking of units → its weighted score at the end, over the runs it was ranked in; rankings that never ranked it are left out. */
  readonly scores: Readonly<Record<string, Spread>>;
  /** 督办事项 — light → its items with that light at the end, per run, in a process with items. */
  readonly items?: Readonly<Record<string, Spread>>;
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
  /** Flag → subjects holding it at the month's start, in a campaign with flags. */
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
  /** The campaign continued and where it stood, for runs continued from a live campaign (the same in every run). */
  readonly continuedFrom?: SimulationResult['continuedFrom'];
  readonly organisation: SimulationResult['organisation'];
  readonly events: { readonly sent: Readonly<Record<string, Spread>>; readonly rejected: Readonly<Record<string, Spread>> };
  readonly deadlines: Readonly<Record<string, DeadlineSpread>>;
  /** 各单位汇总 — unit id → the unit over the runs (the office left out); from results that record units. */
  readonly units?: Readonly<Record<string, UnitSpread>>;
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
