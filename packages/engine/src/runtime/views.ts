import type { InspectionRecord, TaskStatus, TrackedItemStatus } from './instance-context.js';
import type { Light, LightCounts } from './lights.js';

/** What a host sees of one instance. */
export interface InstanceState {
  readonly instanceId: string;
  readonly campaignId: string;
  readonly unitId: string;
  readonly unitPath: string;
  /** The current phase id, or `ended` once its phases are over (closed only when `ended` is true). */
  readonly phase: string;
  /** The whole statechart state value: phase, workstream regions, sub-processes. */
  readonly value: unknown;
  /** 检查整改 — each inspection loop of the unit by inspection id: `clear`, `rectifying`, `reinspecting` or `exhausted`. */
  readonly inspections: Readonly<Record<string, InspectionRecord['s']>>;
  /** 已启动 — false while the unit is 未启动 (not started): its cohort (批次) starts at `startsAt`, and none of its work is open. */
  readonly started: boolean;
  /** 批次 — the unit's cohort, when the organisation gives it one. */
  readonly cohort?: string;
  /** 启动时间 — while not started: when its cohort starts. */
  readonly startsAt?: number;
  /** 等次 — the unit's grade in each grading that has graded it (absent until one has; members' grades are in `subjects`). */
  readonly grades?: Readonly<Record<string, string>>;
  /** 灯色 — the unit's light (红黄绿灯: the worst of its tasks' and, where its items are lit, its items'), in a campaign with `lights`. */
  readonly light?: Light;
  /** 灯色统计 — its tasks (its own and its members', every occurrence) by light, in a campaign with `lights`. */
  readonly lights?: LightCounts;
  /** 督办事项灯色统计 — its items (those with a light) by light, in a campaign with `lights` and `items`. */
  readonly itemLights?: LightCounts;
  /**
   * 收尾 — while its phases are over (`phase` is `ended`) but work due after them is still open or
   * overdue: when the campaign ends, and the instance closes at the latest (sooner once that work is done).
   */
  readonly closesAt?: number;
  /** 已结束 — closed: its phases are over and no work keeps it open; it accepts no more events. */
  readonly ended: boolean;
  /** 终止 — when the office closed the campaign for this unit (`Engine.closeCampaign`), and why; absent otherwise. */
  readonly closed?: { readonly at: number; readonly reason: string };
  readonly revision: number;
  readonly overdue: number;
  readonly escalated: number;
}

/** 督办事项 — one item tracked to closure, as a host reads it (`Engine.items`). */
export interface TrackedItemView {
  readonly unitId: string;
  readonly instanceId: string;
  /** The id the host gave it when opening it. */
  readonly item: string;
  /** Its kind (the campaign's `items`), with the kind's title. */
  readonly kind: string;
  readonly kindTitle: string;
  /** open (办理中, also after a failed check), resolved (已办结待核验), verified (已核验待销号), closed (已销号). */
  readonly status: TrackedItemStatus;
  readonly statusZh: string;
  /** 责任人 */
  readonly owner?: string;
  /** 时限 — the end of its due day. */
  readonly dueAt?: number;
  /** 目标 and 进度 — its numeric target and the cumulative progress last reported. */
  readonly target?: number;
  readonly done?: number;
  /** 挂牌督办 — the level it is supervised at, when its kind has levels. */
  readonly level?: string;
  /**
   * 亮牌 — its light: the last assessment (against the pro-rata share of its target, or the office's
   * label), or, in an instance whose items are lit, the worse of that and its due-day light (green,
   * yellow, red once overdue); blue or green once closed; absent with neither.
   */
  readonly light?: Light;
  /** 核验未通过 — failed checks so far. */
  readonly failedChecks: number;
  /** 黄牌、红牌 — the yellow and red cards it has had (absent before the first). */
  readonly yellows?: number;
  readonly reds?: number;
  readonly openedAt: number;
  /** 销号 — when it was struck off. */
  readonly closedAt?: number;
}

/** One task of a unit or of one of its members. */
export interface TaskView {
  readonly key: string;
  readonly item: string;
  readonly title: string;
  readonly kind: 'task' | 'recurring' | 'evaluation' | 'inspection';
  readonly phase: string;
  /** The role that must do it. */
  readonly owner: string;
  readonly reportTo?: string;
  readonly member?: string;
  readonly status: TaskStatus;
  /** 灯色 — its light, in a campaign with `lights` (none while waiting). */
  readonly light?: Light;
  /** 黄灯次数 — how many times it has turned yellow, when it has. */
  readonly yellows?: number;
  /** 催办次数 — how many urging notices it has had, when it has. */
  readonly urged?: number;
  readonly dueAt?: number;
  readonly completedAt?: number;
  readonly completedBy?: string;
  readonly occurrence?: number;
  /**
   * 周期 — in a cycled campaign, the label of the cycle the task belongs to (`2025`; absent for the
   * campaign's own duties). `item` is then the plan's name: `自查` in the first cycle, `自查.2025`
   * in a later one; an event may name either, or the written id with `cycle`.
   */
  readonly cycle?: string;
  /** 已延期 — how many extensions have been approved (申请延期), when any has. */
  readonly extended?: number;
  /** 延期申请 — the due time a pending extension request asks for, while one is pending. */
  readonly extensionAsked?: number;
}

/** 待审批延期申请 — one pending extension request, for the office's inbox (`Engine.extensions`). */
export interface ExtensionRequestView {
  readonly instanceId: string;
  readonly unitId: string;
  /** The task's key, as in `TaskView.key`. */
  readonly key: string;
  readonly task: string;
  readonly title: string;
  readonly member?: string;
  /** The current due time. */
  readonly dueAt?: number;
  /** The due time asked for (the end of the day asked for). */
  readonly untilAt: number;
  readonly reason: string;
  /** Extensions approved on the task before this request. */
  readonly extended: number;
}

/** The record of one subject (the unit, or a member) of an instance. */
export interface SubjectView {
  /** `unit`, or the member id. */
  readonly subject: string;
  readonly kind: 'unit' | 'member';
  /** Ladder id → rung reached (the count of occurrences this period). */
  readonly ladders: Readonly<Record<string, number>>;
  readonly flags: readonly string[];
  /** Evaluation id → mean score. */
  readonly scores: Readonly<Record<string, number>>;
  /** Ranking id → rank. */
  readonly ranks: Readonly<Record<string, number>>;
  /** 等次 — grading id → the grade given (优秀, 合格…); a grading that has not graded the subject is absent. */
  readonly grades: Readonly<Record<string, string>>;
}

/** A roll-up of a unit and everything under it (一级抓一级). */
export interface Rollup {
  readonly campaignId: string;
  readonly unitId: string;
  readonly units: number;
  /** Phase id (or `ended`) → number of units in it. */
  readonly phases: Readonly<Record<string, number>>;
  /** Overdue tasks in all those units. */
  readonly overdueTasks: number;
  /** Units with at least one overdue task. */
  readonly overdueUnits: number;
  /** Subjects that have climbed at least one ladder rung. */
  readonly escalated: number;
  readonly ended: number;
  /** 红黄绿灯 — in a campaign with `lights`: the units by their light, their tasks by theirs, and (with `items`) their items by theirs. */
  readonly lights?: { readonly units: LightCounts; readonly tasks: LightCounts; readonly items?: LightCounts };
}

/** Tasks counted by status. */
export interface TaskStatusCounts {
  readonly waiting: number;
  readonly open: number;
  readonly overdue: number;
  readonly done: number;
  readonly late: number;
}

/**
 * What a campaign has come to at and under a unit (落实情况): each item's tasks by status, how many
 * subjects stand at or past each rung of each ladder, how many carry each flag. Counts only, read
 * from every instance at once: the per-unit views (`tasks`, `subjects`) for a whole campaign are a
 * hundred thousand objects at a thousand units.
 */
export interface Outcomes {
  readonly campaignId: string;
  readonly unitId: string;
  /** Item id → its tasks (the unit's and every member's, every occurrence) by status; items with no task yet are absent. */
  readonly items: Readonly<Record<string, TaskStatusCounts>>;
  /** Ladder id → rung level → subjects whose count has reached it (every rung of the plan, zeros included). */
  readonly ladders: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** Flag id → subjects that carry it (every flag of the plan, zeros included). */
  readonly flags: Readonly<Record<string, number>>;
  /** 等次 — grading id → grade → subjects given it (every band of the plan, zeros included; not graded yet: in none). */
  readonly grades: Readonly<Record<string, Readonly<Record<string, number>>>>;
}

/**
 * 各单位结果 — what one unit has come to, counted from its instance's records (`Engine.unitOutcomes`):
 * its tasks and its members' by status, how late its late completions came, the subjects holding
 * each flag, its own grades. A few numbers a unit, however many tasks it has.
 */
export interface UnitOutcomeCounts {
  readonly instanceId: string;
  readonly unitId: string;
  /** Its tasks and its members' (every occurrence) by status. */
  readonly tasks: TaskStatusCounts;
  /** Milliseconds its late completions came after their due (the due in force when done): summed, and the largest; 0 with none. */
  readonly late: { readonly sum: number; readonly max: number };
  /** Item id → milliseconds late summed over that item's late completions here; items with none are absent. */
  readonly lateByItem: Readonly<Record<string, number>>;
  /** Flag id → subjects here (the unit and its members) that carry it; flags no one here carries are absent. */
  readonly flags: Readonly<Record<string, number>>;
  /** 等次 — grading id → the unit's own grade; gradings that have not graded it are absent. */
  readonly grades: Readonly<Record<string, string>>;
}

/** One entry of an instance's history. */
export interface HistoryEntry {
  readonly revision: number;
  readonly type: string;
  readonly event: unknown;
  readonly actor: string | null;
  readonly cause: string;
  readonly at: number;
  readonly state: unknown;
  readonly idempotencyKey: string | null;
}

/** What `send` did. */
export interface SendResult {
  readonly instanceId: string;
  readonly revision: number;
  /** True when the idempotency key had been applied before: nothing changed. */
  readonly duplicate: boolean;
  readonly phase: string;
  readonly effects: number;
}

/** A change the engine committed, for subscribers (UIs, adapters). */
export interface EngineChange {
  readonly campaignId: string;
  readonly instanceId: string;
  readonly revision: number;
  readonly type: string;
  readonly phase: string;
  readonly at: number;
  /**
   * Keys of the task records this change wrote (opened, completed, overdue, reminded), so a
   * subscriber can read just those (`Engine.tasks` with `keys`); empty when it wrote none. Always
   * given: every change is one step's, and the step notes every key it writes (both engines, every
   * cause: a host event, a decision, a timer, a ranking or grading told to the instance).
   */
  readonly tasks: readonly string[];
  /**
   * Those of `tasks` that became outstanding (open or overdue, and neither before): new work for
   * someone, e.g. to notify or, in a simulation, to plan; empty for most events.
   */
  readonly opened: readonly string[];
}

/** A deployed process version. */
export interface DeployedProcess {
  readonly processId: string;
  readonly version: number;
  /** False when identical content was already deployed as this version. */
  readonly created: boolean;
}

/** 终止活动 — what one `closeCampaign` did. */
export interface ClosedCampaign {
  readonly campaignId: string;
  /** The unit the campaign was closed at and under (the organisation's root when the whole campaign was). */
  readonly unitId: string;
  /** When it was closed (ms). */
  readonly at: number;
  /** The instances this call closed, by unit path (a repeat under the same idempotency key lists the first call's, `duplicate`). */
  readonly closed: readonly { readonly instanceId: string; readonly unitId: string; readonly revision: number }[];
  /** Instances at and under the unit that had ended before (by their phases, a decision, an earlier closing): left as they were. */
  readonly alreadyEnded: number;
  /** Whether the whole campaign was closed: then its own timers (rankings, dated gradings) went too. */
  readonly whole: boolean;
  /** Whether this was a repeat of a closing already applied under the same idempotency key. */
  readonly duplicate: boolean;
}

/** A started campaign. */
export interface StartedCampaign {
  readonly campaignId: string;
  readonly processId: string;
  readonly version: number;
  readonly instances: readonly { readonly instanceId: string; readonly unitId: string }[];
}
