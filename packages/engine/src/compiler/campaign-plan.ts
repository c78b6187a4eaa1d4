import type {
  ConditionNode,
  Decision,
  DueSpec,
  DurationSpec,
  EscalationLadder,
  EventKind,
  ExitRule,
  MissedPolicy,
  SubjectKind,
} from '@luoshi/dsl';
import type { CampaignCalendar } from '../calendar/campaign-calendar.js';

/**
 * The executable form of one deployed campaign version: every date resolved against the campaign
 * calendar where it can be, every condition parsed, every id indexed. Pure data, built once per
 * version and shared by all instances of it.
 */
export interface CampaignPlan {
  readonly processId: string;
  readonly version: number;
  readonly title: string;
  readonly zone: string;
  readonly year: number;
  /** The campaign's calendar: working days, durations, recurrences in its zone. */
  readonly calendar: CampaignCalendar;
  readonly start: number;
  /** The campaign end; for a standing mechanism, the end of the span it is laid out over (`STANDING_HORIZON_YEARS`). */
  readonly end: number;
  /** 长效机制 — no end date: runs until closed by a decision; `end` is only how far it is laid out. */
  readonly standing: boolean;
  /**
   * 活动年度 — the starts of the campaign periods: the campaign start, then each anniversary of it
   * before the end (a campaign from 1 February runs February to February). A flag that lasts a
   * year lapses, and a ladder counting per year starts again, at these boundaries.
   */
  readonly periods: readonly number[];
  /**
   * 周期 — a cycled campaign's cycles (`cycle: 每年 | 每半年`), in order: each one's label (the year
   * it starts in, `2025`; for half-years its month, `2025-07`) and start. Its phases, items,
   * inspections and uses are laid out once per cycle, a later cycle's named `id.label`
   * (`cycles.ts`). Absent in a campaign without cycles.
   */
  readonly cycles?: readonly { readonly label: string; readonly start: number }[];
  readonly phases: readonly PhasePlan[];
  readonly phaseById: ReadonlyMap<string, PhasePlan>;
  /** 全程常态任务 — the items of the whole campaign (its own `recurring`), opened at the start whatever the phase. */
  readonly campaignItemIds: readonly string[];
  readonly items: ReadonlyMap<string, ItemPlan>;
  readonly inspections: ReadonlyMap<string, InspectionPlan>;
  readonly uses: ReadonlyMap<string, UsePlan>;
  readonly ladders: ReadonlyMap<string, LadderPlan>;
  readonly consequences: readonly ConsequencePlan[];
  readonly rankings: readonly RankingPlan[];
  /** 等次评定 — gradings by score, with pass marks, vetoes and re-assessment. */
  readonly gradings: readonly GradingPlan[];
  /** 批次 — cohorts by id, each with the instant its units start (the start of its day). */
  readonly cohorts: ReadonlyMap<string, CohortPlan>;
  readonly actions: ReadonlyMap<string, ActionPlan>;
  /** Flags by id; `lasts`: until the end of the campaign period it was set in (`year`, the default), or the whole campaign. */
  readonly flags: ReadonlyMap<string, { readonly id: string; readonly title: string; readonly lasts: 'year' | 'campaign' }>;
  readonly roles: ReadonlyMap<string, { readonly id: string; readonly title: string; readonly level: RoleLevel }>;
  /** 红黄绿灯 — the campaign's traffic lights; absent: it has none (see `runtime/lights.ts`). */
  readonly lights?: LightsPlan;
  /** 督办事项 — the kinds of item tracked to closure, by id; absent: the campaign has none (`runtime/tracked-items.ts`). */
  readonly trackedKinds?: ReadonlyMap<string, TrackedKindPlan>;
  /**
   * 按月亮牌 — the months of the campaign years, in order, when a kind of item is carded every month
   * (`every: 每月`); absent otherwise (`runtime/monthly-cards.ts`).
   */
  readonly cardMonths?: readonly CardMonth[];
  /** 申请延期 — who decides extension requests and their bounds; absent: the campaign allows none (`runtime/extensions.ts`). */
  readonly extensions?: ExtensionsPlan;
}

/** 申请延期 — the role that decides, at most `maxTimes` approved per task, each at most `maxDelay` past the current due. */
export interface ExtensionsPlan {
  readonly decidedBy: string;
  readonly maxTimes: number;
  /** The longest delay, parsed, and as the file wrote it (for messages). */
  readonly maxDelay?: { readonly spec: DurationSpec; readonly text: string };
}

/** 督办事项 — a kind of tracked item: who verifies it, its levels (挂牌督办), when it escalates, how many a unit may hold. */
export interface TrackedKindPlan {
  readonly id: string;
  readonly title: string;
  readonly by?: string;
  /** Lowest first; empty: items of this kind are not escalated. */
  readonly levels: readonly string[];
  /** Failed checks per escalation (with levels). */
  readonly escalateAfter: number;
  /** Red assessments in a row per escalation (with levels); absent: reds do not escalate. */
  readonly escalateAfterReds?: number;
  /** 月度任务亮牌 — misses in a row that make a red (met → green, missed → yellow); absent: the share's thresholds. */
  readonly redAfterMisses?: number;
  /** 由检查发现交办 — the inspection whose findings open an item of this kind. */
  readonly from?: string;
  readonly limit: number;
  /** 按月亮牌 — an item not reported in a month is carded at the month's turn (`every: 每月`); absent: cards come only with reports. */
  readonly monthly?: true;
}

/**
 * 按月亮牌 — one month of a campaign period (活动年度), as the pro-rata reckoning counts them
 * (`proRataMonths`): the nth month runs from the period's start plus n − 1 months to its start plus n.
 */
export interface CardMonth {
  /** When the month begins. */
  readonly start: number;
  /** Its turn: when it ends and its cards fall due (the next month's start). */
  readonly end: number;
  /** The pro-rata share of the year's target at its end: months of its period gone by at the turn, over the period's months. */
  readonly share: number;
  /** The start of its campaign period: progress reported before it is another year's (cumulative from 1 January). */
  readonly period: number;
}

/** 红黄绿灯 — when a task turns yellow, whether done shows blue, and the urging (催办). */
export interface LightsPlan {
  readonly yellowBefore: DurationSpec;
  readonly blue: boolean;
  readonly urge?: UrgePlan;
}

/** 催办 — urging notices on a task from yellow or overdue, every `every`, at most `times`. */
export interface UrgePlan {
  readonly from: 'yellow' | 'overdue';
  readonly every: DurationSpec;
  readonly times: number;
  readonly action?: string;
}

/** 扣分 — points off a subject's score in an evaluation. */
export interface DeductionPlan {
  readonly evaluation: string;
  readonly points: number;
}

/** 批次 — a cohort of units that start together (第一批试点, 第二批): until `start` they are 未启动. */
export interface CohortPlan {
  readonly id: string;
  readonly title: string;
  readonly start: number;
}

/** Where a role sits in the organisation. */
export type RoleLevel = 'office' | 'unit' | 'branch' | 'member';

/** A phase (阶段) with its resolved window and the stage it contains. */
export interface PhasePlan {
  readonly id: string;
  readonly title: string;
  readonly index: number;
  /** Resolved window; the phase ends at `end` when it exits on window end. */
  readonly start: number;
  readonly end: number;
  /**
   * 时段开始 — when the phase's own window opens, for a phase that has one: a unit that enters the
   * phase earlier (a decision's branch, a phase left early) waits for it, its work unopened.
   */
  readonly opens?: number;
  readonly exit: ExitRule;
  /** The next phase id, or "end". */
  readonly next: string;
  readonly decisions: readonly Decision[];
  readonly stage: StagePlan;
  /** Every work item id inside the phase, including its workstreams and sub-processes. */
  readonly itemIds: readonly string[];
  /** 周期 — the label of the later cycle this phase belongs to; absent in the first cycle, and without cycles. */
  readonly cycle?: string;
}

/** A container of work: a phase, a workstream (工作线) or a sub-process part (环节). */
export interface StagePlan {
  readonly id: string;
  readonly title: string;
  /** Items directly in this stage (not in nested stages). */
  readonly itemIds: readonly string[];
  readonly workstreams: readonly StagePlan[];
  readonly uses: readonly UsePlan[];
}

/** A use of a sub-process (引用子流程) at one place of the campaign. */
export interface UsePlan {
  /** Local id: the child actor's id. */
  readonly id: string;
  readonly subprocess: string;
  readonly title: string;
  readonly mode: 'parallel' | 'sequence';
  readonly parts: readonly StagePlan[];
  /** Body items of the sub-process outside its parts. */
  readonly body: StagePlan;
  /** Every item id inside, nested uses included. */
  readonly itemIds: readonly string[];
}

/** A condition as written and as parsed. */
export interface ConditionPlan {
  readonly text: string;
  readonly node: ConditionNode;
}

/** What an outcome (后果) does. */
export interface OutcomePlan {
  readonly when?: ConditionPlan;
  readonly actions: readonly string[];
  readonly flags: readonly string[];
  readonly ladder?: string;
  /** 扣分 — points off the subject's score. */
  readonly deduct?: DeductionPlan;
}

/**
 * One piece of work each subject must do: a task, a recurring duty, an evaluation's score, or an
 * occurrence of a periodic inspection (定期检查: `every:` on an inspection, carried out by its `by`).
 */
export interface ItemPlan {
  readonly id: string;
  readonly title: string;
  readonly kind: 'task' | 'recurring' | 'evaluation' | 'inspection';
  /** The role that does it (an evaluation: the role that scores; an inspection: the inspector). */
  readonly owner: string;
  /** Which instances carry it: the office (root unit) or every unit. */
  readonly holder: 'office' | 'unit';
  /** Done once per member of the unit, rather than once per unit. */
  readonly perMember: boolean;
  readonly required: boolean;
  readonly reportTo?: string;
  /** The phase it belongs to; for an item of the whole campaign, the campaign's id. */
  readonly phase: string;
  /** An item of the whole campaign (全程): it runs across every phase, its recurrence bounded by the campaign. */
  readonly campaignWide?: true;
  /** Undefined: due when the enclosing stage ends (`stageEnd`). */
  readonly due?: DueSpec;
  /** Absolute due time when `due` does not depend on the run (a date), else undefined. */
  readonly dueAt?: number;
  readonly stageEnd: number;
  readonly remindBefore?: DurationSpec;
  /** 层层分解 — below the top level, due this long after the parent unit did this task (see `cascades.ts`). */
  readonly cascadeWithin?: DurationSpec;
  readonly onOverdue?: OutcomePlan;
  readonly recurrence?: RecurrencePlan;
  readonly scale?: { readonly min: number; readonly max: number };
  /** 周期 — the label of the later cycle this item belongs to (its id is `written.label`); absent in the first cycle. */
  readonly cycle?: string;
}

/** The calendar of a recurring duty (常态任务): occurrence starts and their due times. */
export interface RecurrencePlan {
  readonly every: string;
  readonly starts: readonly number[];
  readonly dues: readonly number[];
  readonly missed: MissedPolicy;
}

/** An inspection loop (检查整改). */
export interface InspectionPlan {
  readonly id: string;
  readonly title: string;
  readonly by: string;
  readonly subject: SubjectKind;
  /**
   * The phases that declare it (in a workstream or a sub-process used there): findings are
   * recorded only while the unit is in one of them and its window is open.
   */
  readonly phases: readonly string[];
  readonly rectifyWithin: DurationSpec;
  readonly reinspect: boolean;
  readonly maxRounds: number;
  readonly onFinding?: OutcomePlan;
  readonly onFailed?: OutcomePlan;
  readonly onExhausted?: OutcomePlan;
}

/** An escalation ladder (问责阶梯). */
export interface LadderPlan {
  readonly id: string;
  readonly title: string;
  readonly on?: TriggerPlan;
  readonly subject: SubjectKind;
  readonly period: 'year' | 'campaign';
  readonly rungs: EscalationLadder['rungs'];
}

/** An event kind and optional condition. */
export interface TriggerPlan {
  readonly event: EventKind;
  readonly when?: ConditionPlan;
}

/** A consequence (规则后果). */
export interface ConsequencePlan {
  readonly id: string;
  readonly title: string;
  readonly on: TriggerPlan;
  readonly subject?: SubjectKind;
  readonly flags: readonly string[];
  readonly actions: readonly string[];
  readonly deduct?: DeductionPlan;
}

/** A ranking (评比排名) made at a resolved time. */
export interface RankingPlan {
  readonly id: string;
  readonly title: string;
  readonly subject: SubjectKind;
  /** The first (or only) time it ranks: `dates[0]`. */
  readonly at: number;
  /**
   * Every time it ranks, in order: a month-day without a year (`at: 年底`) recurs on that day of
   * every calendar year up to the campaign end (a campaign over 2024–2026 ranks three times); any
   * other date ranks once. Each has its own timer (`ranking` key with its occurrence).
   */
  readonly dates: readonly number[];
  readonly weights: Readonly<Record<string, number>>;
  /**
   * 周期 — in a cycled campaign, the weights of each date (one date per cycle), on that cycle's
   * evaluations (`考核.2025`): a ranking ranks the cycle that is ending, not the means of all cycles.
   */
  readonly weightsByDate?: readonly Readonly<Record<string, number>>[];
  readonly eligible?: ConditionPlan;
  readonly top?: BandPlan;
  readonly bottom?: BandPlan;
}

/**
 * 等次评定 — a grading: its bands best first, each from its lower bound (−∞ for the lowest).
 * Graded at each of `dates` (a campaign timer, like a ranking's) or, with none, as soon as every
 * weighted evaluation has a score for the subject and again at each later score.
 */
export interface GradingPlan {
  readonly id: string;
  readonly title: string;
  readonly subject: SubjectKind;
  /** Every time it grades, in order (empty: graded on scores). */
  readonly dates: readonly number[];
  /**
   * The weights, one set per cycle in a cycled campaign (on that cycle's evaluations, `考核.2025`),
   * else one: a dated grading reads the set of its date's cycle, a grading on scores the set that
   * weighs the evaluation just scored, so each cycle is graded on its own scores.
   */
  readonly weightSets: readonly Readonly<Record<string, number>>[];
  /** Best first: a grade's index is its band's place here; a higher index is a lower grade. */
  readonly bands: readonly GradeBandPlan[];
  /** 一票否决 — any of `flags` caps the grade at band `cap` (an index into `bands`). */
  readonly veto?: { readonly flags: readonly string[]; readonly cap: number };
  /** 复核抽查 (摘帽) — evaluations (every cycle's) whose later score may lower a grade already given. */
  readonly recheck: readonly string[];
}

/** One band of a grading (等次段). */
export interface GradeBandPlan {
  readonly grade: string;
  /** The lowest score in the band (−Infinity for the lowest band). */
  readonly min: number;
  readonly actions: readonly string[];
  readonly flags: readonly string[];
}

/** A band of a ranking. */
export interface BandPlan {
  readonly count: number;
  readonly when?: ConditionPlan;
  readonly actions: readonly string[];
  readonly flags: readonly string[];
}

/** A named action (措施) and the kind of effect it is. */
export interface ActionPlan {
  readonly id: string;
  readonly title: string;
  readonly effect: string;
  readonly by?: string;
}

