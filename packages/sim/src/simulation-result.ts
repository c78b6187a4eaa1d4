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
  readonly organisation: { readonly units: number; readonly members: number };
  /** Host events sent, by type, and the ones the engine refused, by error code. */
  readonly events: { readonly sent: Readonly<Record<string, number>>; readonly rejected: Readonly<Record<string, number>> };
  /** Per item id. */
  readonly deadlines: Readonly<Record<string, DeadlineOutcome>>;
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
}
