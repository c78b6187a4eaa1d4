import type { ExtensionsResult } from './extension-flow.js';
import type { ItemsResult } from './item-flow.js';
import type { LightsResult } from './light-board.js';

/** How the tasks of one item (a deadline) ended, over every unit or member that had it. */
export interface DeadlineOutcome {
  readonly title: string;
  readonly phase: string;
  /** Tasks that opened (every occurrence of a recurring duty counts). */
  readonly total: number;
  /** Done by the deadline. */
  readonly onTime: number;
  /** Done after the deadline. */
  readonly late: number;
  /** Still overdue when the campaign ended. */
  readonly overdue: number;
  /** Still open (not yet due) when the campaign ended. */
  readonly open: number;
  /** `onTime / total`, rounded to 4 decimals (1 when nothing opened). */
  readonly onTimeRate: number;
  /**
   * Days late summed over the late completions (completion − the due in force, in days, 4 decimals);
   * tasks never done add nothing here (they are `overdue`). Absent from results written before it.
   */
  readonly daysLate?: number;
}

/** 各单位任务 — a unit's tasks (its own and its members', every occurrence) by how they stood at the end. */
export interface UnitTaskCounts {
  /** Done by the due. */
  readonly onTime: number;
  /** Done after the due. */
  readonly late: number;
  /** Never done by the end, past the due (逾期未完成). */
  readonly overdue: number;
  /** Open and not yet due at the end. */
  readonly open: number;
}

/**
 * 各单位结果 — what became of one unit (the office left out) in one run: its tasks and its members',
 * what they held at the end, what they received. Bounded per unit — a few counts, and one entry per
 * flag, effect kind, ladder, grading and light that concerns it — never per task or per month.
 */
export interface UnitOutcome {
  readonly tasks: UnitTaskCounts;
  /** Days late of its late completions (completion − due, in days, 4 decimals): the sum and the largest; 0 and 0 with none. */
  readonly daysLate: { readonly sum: number; readonly max: number };
  /** Flag → subjects (the unit and its members) holding it at the end; flags nobody holds are left out. */
  readonly flags: Readonly<Record<string, number>>;
  /** Effect kind → effects delivered to the unit or its members during the run (诫勉, 通报, 表彰 …). */
  readonly effects: Readonly<Record<string, number>>;
  /** Ladder id → the highest rung the unit or one of its members climbed; ladders never climbed are left out. */
  readonly ladders: Readonly<Record<string, number>>;
  /** 等次 — grading id → the unit's own grade at the end, in a process with gradings (gradings that did not grade it are left out). */
  readonly grades?: Readonly<Record<string, string>>;
  /** 督办事项 — light → its items with that light at the end, in a process with items (items without a light are left out). */
  readonly items?: Readonly<Record<string, number>>;
}

/** One place in a ranking at the end of the year. */
export interface StandingOutcome {
  /** The unit id, or `unit/member` for a member. */
  readonly subject: string;
  readonly rank: number;
  /** The weighted score, rounded to 4 decimals. */
  readonly score: number;
  readonly band?: 'top' | 'bottom';
}

/** The outcome of one ranking (评比排名). */
export interface RankingOutcome {
  readonly subject: 'unit' | 'member';
  /** How many subjects were eligible and ranked. */
  readonly ranked: number;
  readonly top: readonly string[];
  readonly bottom: readonly string[];
  readonly standings: readonly StandingOutcome[];
}

/** A phase (阶段) of the campaign with its resolved window (ISO 8601, UTC; `end` exclusive). */
export interface TimelinePhase {
  readonly id: string;
  readonly title: string;
  readonly start: string;
  readonly end: string;
}

/** A deadline (时限) of the plan: the item and when it is due. */
export interface TimelineDeadline {
  readonly item: string;
  readonly title: string;
  readonly phase: string;
  /** The due instant (ISO 8601, UTC): a fixed date, or the end of the item's stage when it depends on the run; for a recurring duty, its last occurrence. */
  readonly due: string;
  /** For a recurring duty (常态任务): how many occurrences the plan holds. */
  readonly occurrences?: number;
}

/** The campaign's plan as compiled for the run: the same in every run of a scenario. */
export interface Timeline {
  /** The campaign's title (活动名称). */
  readonly campaign: string;
  /** The campaign's time zone, e.g. `Asia/Shanghai`. */
  readonly zone: string;
  /** In plan order. */
  readonly phases: readonly TimelinePhase[];
  /** Ordered by due time, then item id. */
  readonly deadlines: readonly TimelineDeadline[];
}

/** One month of a run, sampled at its start (in the campaign's zone; the first sample is the campaign start). */
export interface MonthSample {
  /** `YYYY-MM` in the campaign's zone. */
  readonly month: string;
  /** The sampling instant (ISO 8601, UTC). */
  readonly at: string;
  /** Phase id (or `ended`) → units in it at `at` (from `engine.rollup`, the office excluded). */
  readonly phases: Readonly<Record<string, number>>;
  /** Ladder id → rungs climbed during the month (distinct subject and rung, from the delivered `ladder:` effects). */
  readonly ladderClimbs: Readonly<Record<string, number>>;
  /** Effect kind → effects delivered during the month (诫勉, 通报, 表彰 …), dated by the effect. */
  readonly effects: Readonly<Record<string, number>>;
  /**
   * In a campaign that declares flags: flag → subjects holding it at `at` (sampled with the phases).
   * For the months a continued campaign (`simulateFrom`) had begun before the run, rebuilt from its
   * history when it was read (`LiveCampaign.monthFlags`), the same as a run from the start had them.
   */
  readonly flags?: Readonly<Record<string, number>>;
  /**
   * 督办事项 — in a campaign with `items`: items opened, struck off (销号) and escalated (挂牌督办)
   * during the month (items listed at the start count in the first).
   */
  readonly items?: { readonly opened: number; readonly closed: number; readonly escalated: number };
}

/**
 * What one simulated run produced: plain JSON with keys in a stable (sorted) order, so the same
 * inputs and seed serialise to the same bytes.
 */
export interface SimulationResult {
  readonly scenario: string;
  readonly processId: string;
  readonly seed: number;
  /** The campaign's start and end (ISO 8601, UTC). */
  readonly period: { readonly start: string; readonly end: string };
  /**
   * 从当前状态续推 — a run that continued a live campaign (`simulateFrom`): the campaign's id and the
   * instant it stood at when it was read (ISO 8601, UTC). Before it, every figure is the recorded
   * history, the same in every run; absent for a run from the start.
   */
  readonly continuedFrom?: { readonly campaign: string; readonly at: string };
  readonly organisation: { readonly units: number; readonly members: number };
  /** Host events sent, by type, and the ones the engine refused, by error code. */
  readonly events: { readonly sent: Readonly<Record<string, number>>; readonly rejected: Readonly<Record<string, number>> };
  /** Per item id. */
  readonly deadlines: Readonly<Record<string, DeadlineOutcome>>;
  /**
   * 各单位结果 — unit id → what became of it (`UnitOutcome`); the office is left out. Its rank, score
   * and band are its standing in `rankings`. Absent from results written before it.
   */
  readonly units?: Readonly<Record<string, UnitOutcome>>;
  /** Per phase: tasks that went overdue (done late or never done). */
  readonly overdueByPhase: Readonly<Record<string, number>>;
  /** Per ladder: rung level → subjects that reached at least that rung. */
  readonly ladders: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** Per flag: subjects carrying it at the end. */
  readonly flags: Readonly<Record<string, number>>;
  /** Delivered effects by kind (notify, remind, admonish, criticise, transfer, commend, question…). */
  readonly effects: Readonly<Record<string, number>>;
  /** Subjects commended (表彰) and questioned (质询): unit ids and `unit/member` ids. */
  readonly commended: readonly string[];
  readonly questioned: readonly string[];
  /** Per ranking id. */
  readonly rankings: Readonly<Record<string, RankingOutcome>>;
  /**
   * 等次 — per grading id, grade → subjects holding it at the end (every band, zeros included; a
   * subject never graded is in none). Present only when the process has gradings.
   */
  readonly grades?: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** The phase windows and deadlines of the compiled plan. */
  readonly timeline: Timeline;
  /** One sample per month of the campaign, in time order. */
  readonly monthly: readonly MonthSample[];
  /** 红黄绿灯 — in a campaign with `lights`: units and tasks by light at each month end, and each unit's light then (三色图). */
  readonly lights?: LightsResult;
  /** 督办事项 — in a campaign with `items`: items opened, closed (销号), escalated and still open at the end. */
  readonly items?: ItemsResult;
  /**
   * 申请延期 — in a campaign with `extensions`: requests accepted, granted and refused by the office,
   * and those the engine refused by code, in total and per month.
   */
  readonly extensions?: ExtensionsResult;
}
