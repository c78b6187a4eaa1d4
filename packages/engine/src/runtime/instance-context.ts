import { setOwn } from './own-keys.js';
import type { ScoreSums } from './score-sums.js';
import type { TaskTable } from './task-table.js';

/**
 * The records one unit's instance keeps in its statechart context: its tasks and their members'
 * tasks, inspection loops, ladder counters, flags, scores and ranks. Plain JSON, so the persisted
 * XState snapshot is the whole state of the instance.
 */
export interface InstanceContext {
  readonly campaignId: string;
  readonly unit: string;
  /** Whether this instance is the issuing office (the root of the organisation). */
  readonly office: boolean;
  /** Whether this instance carries unit-level work (every unit but an office with units under it). */
  readonly unitWork: boolean;
  readonly members: readonly string[];
  readonly startedAt: number;
  /** Phase id → when this instance entered it (for a phase entered before its window: when the window opened). */
  readonly entered: Readonly<Record<string, number>>;
  /**
   * 等待时段 — while the instance is in a phase whose window has not opened yet (a branch taken
   * early): when it opens; its `opens` timer opens the phase's work then. Absent, or undefined once
   * opened (XState merges a context assigned to it, so a field is cleared, not deleted; JSON drops it).
   */
  readonly opensAt?: number | undefined;
  /** 批次 — the unit's cohort (第一批试点, 第二批), when the organisation gives it one. */
  readonly cohort?: string;
  /**
   * 周期 — in a cycled campaign, the label of the cycle whose phases the instance has entered, once
   * it is a later one (`2025`); absent in the first cycle, and in every campaign without cycles, so
   * their snapshots are as before. Host events name work in this cycle unless they name another.
   */
  readonly cycle?: string;
  /**
   * 未启动 — while the unit's cohort has not started: when it starts. Its phase waits for it (`opensAt`);
   * cleared (set undefined) when the unit starts, so `subject.started` is whether it is absent.
   */
  readonly startsAt?: number | undefined;
  /** 层层分解 — how many units above this one do unit-level work (absent: the top level). */
  readonly levelsAbove?: number;
  /** 上级完成 — tasks with `cascadeWithin` the parent unit has done, by id, with when; absent until one is. */
  readonly parentDone?: Readonly<Record<string, number>>;
  /** Task records by subject slot, each subject's by `item` or `item#n` (see `task-table.ts`). */
  readonly tasks: TaskTable;
  /** Recurring item id → index of its next occurrence. */
  readonly recur: Readonly<Record<string, number>>;
  /** Inspection loops by `inspection` (the unit) or `inspection@member`. */
  readonly insp: Readonly<Record<string, InspectionRecord>>;
  /** Ladder id → counter by subject slot (see `subjectSlot`; null: never counted). */
  readonly ladders: Readonly<Record<string, readonly (LadderCounter | null)[]>>;
  /** Flag ids set, by subject slot (null: none). */
  readonly flags: readonly (readonly string[] | null)[];
  /**
   * The campaign period (index into `CampaignPlan.periods`) the flags that last a year were set in:
   * they lapse when the next period starts (consequences.ts `lapseFlags`). Absent while none is set,
   * and in a campaign of one period, where nothing lapses.
   */
  readonly flagPeriod?: number | undefined;
  /** Evaluation id → sums and counts by subject slot (see `score-sums.ts`). */
  readonly scores: Readonly<Record<string, ScoreSums>>;
  /** 扣分 — evaluation id → points deducted by subject slot (see `score-sums.ts`); absent until a deduction. */
  readonly deducted?: Readonly<Record<string, readonly number[]>>;
  /** Ranking id → rank (1 = best) by subject slot (null: not placed). */
  readonly ranks: Readonly<Record<string, readonly (number | null)[]>>;
  /**
   * 等次 — grading id → grade by subject slot (null: not graded); absent until a subject is graded
   * (snapshots before gradings existed have none).
   */
  readonly grades?: Readonly<Record<string, readonly (string | null)[]>>;
  /** The option taken for each decision. */
  readonly decisions: Readonly<Record<string, string>>;
  /** See `InstanceInput.scoresPerOccurrence`. */
  readonly scoresPerOccurrence?: true;
  /** See `InstanceInput.partsInSequence`. */
  readonly partsInSequence?: true;
  /**
   * 环节 — per use of a sub-process in `mode: sequence` that has started, how many of its parts are
   * open (sequence-parts.ts); absent until one starts.
   */
  readonly parts?: Readonly<Record<string, number>>;
  /**
   * 收尾 — while the instance's phases are over (`ended`) but work due after them is still open or
   * overdue: when the campaign ends, and it closes at the latest (`wrap-up.ts`). Absent, or
   * undefined once closed; an instance is ended (closed) when its phases are over and this is absent.
   */
  readonly closesAt?: number | undefined;
  /**
   * 他处完成 — tasks held by another instance (the office's) that tasks here are counted from, by id,
   * with when they were done there; absent until one is (snapshots before it have none).
   */
  readonly elsewhere?: Readonly<Record<string, number>>;
  /**
   * 督办事项 — the unit's items tracked to closure, by the id the host gave them (`tracked-items.ts`);
   * absent until the first is opened, so snapshots of campaigns without items are as before.
   */
  readonly tracked?: Readonly<Record<string, TrackedItemRecord>>;
  /** See `InstanceInput.itemLights`. */
  readonly itemLights?: true;
  /** See `InstanceInput.monthCards`. */
  readonly monthCards?: true;
  /**
   * 按月亮牌 — the turn (end) of the last month whose cards were given (`monthly-cards.ts`); absent
   * before the first, when the months from the instance's start are still to come.
   */
  readonly cardedTo?: number;
  /** See `InstanceInput.startSkipsEndedPhase`. */
  readonly startSkipsEndedPhase?: true;
  /** See `InstanceInput.leftUnranked`. */
  readonly leftUnranked?: true;
  /** See `InstanceInput.leftUngraded`. */
  readonly leftUngraded?: true;
  /**
   * 退出活动 — when a decision ended the unit's campaign (`next: end`: struck off, withdrawn, passed
   * early), in an instance started with `leftUnranked` or `leftUngraded`; rankings after it do not
   * place the unit (with `leftUnranked`), dated gradings after it do not grade it (with
   * `leftUngraded`). Absent while the unit is in the campaign, and when its phases ended by their
   * own course.
   */
  readonly left?: number;
  /**
   * 终止 — when and why the office closed the campaign for this unit (`campaign.closed`,
   * `campaign-closing.ts`); absent while it was not, and in every instance whose campaign ended
   * otherwise, so their snapshots are as before.
   */
  readonly closed?: ClosedRecord;
}

/** 终止记录 — the office's closing of a unit's campaign: when, and the reason it gave. */
export interface ClosedRecord {
  readonly at: number;
  readonly reason: string;
}

/** 督办事项状态 — open (交办, or reopened after a failed check), resolved (办结待核), verified (核验通过), closed (销号). */
export type TrackedItemStatus = 'open' | 'resolved' | 'verified' | 'closed';

/** One tracked item of a unit: short keys, as a task's, since every byte is stored per event. */
export interface TrackedItemRecord {
  /** Its kind (an id of the campaign's `items`). */
  readonly k: string;
  readonly s: TrackedItemStatus;
  /** When it was opened. */
  readonly at: number;
  /** 责任人 — its owner, as the host named them. */
  readonly o?: string;
  /** 时限 — when it is due (the end of its due day). */
  readonly due?: number;
  /** 目标 — its numeric target (the year's planned investment). */
  readonly t?: number;
  /** 进度 — the progress last reported, cumulative (investment done so far). */
  readonly p?: number;
  /** Failed checks (核验未通过) so far; absent before the first. */
  readonly f?: number;
  /** 挂牌督办 — its level, an index into its kind's `levels`; absent at the first. */
  readonly lv?: number;
  /** 销号 — when it was closed. */
  readonly end?: number;
  /**
   * 亮牌 — its label as last assessed: `y` yellow or `r` red against its target (`item-lights.ts`),
   * or as the office judged it (`item.assessed`: `b` blue, `g` green, `y`, `r`); absent: green with a
   * target, none without.
   */
  readonly l?: 'b' | 'g' | 'y' | 'r';
  /** Consecutive red cards (连续亮红牌), for `escalateAfterReds` and `event.redsInRow`; absent when the last was not red. */
  readonly nr?: number;
  /** 时限灯 — `y` from its yellow time, `r` once overdue, while open (`item-cards.ts`); absent: neither yet. */
  readonly dl?: 'y' | 'r';
  /** Yellow cards so far (同一事项第N次黄牌); absent before the first. */
  readonly ny?: number;
  /** Consecutive yellow cards (连续两次黄牌); absent when the last card was not yellow. */
  readonly yr?: number;
  /** Red cards so far; absent before the first. */
  readonly rt?: number;
  /** 月度任务 — consecutive missed months (`redAfterMisses`); absent when the last report met the share. */
  readonly nm?: number;
  /** 按月亮牌 — when its progress was last reported, kept for a kind carded every month (`monthCards`); absent before the first report. */
  readonly pa?: number;
}

/** 督办事项清单 — an item listed at the start (a unit's key projects), as its start input records it. */
export interface ListedItem {
  readonly id: string;
  readonly kind: string;
  readonly owner?: string;
  /** The end of its due day. */
  readonly due?: number;
  readonly target?: number;
}

/** Status of a task: waiting for its anchor, open, overdue, done on time, done late. */
export type TaskStatus = 'waiting' | 'open' | 'overdue' | 'done' | 'late';

/**
 * One task of one subject, stored under its key (`item`, `item#n`, `item@member`, `item#n@member`,
 * see `parseTaskKey`): the key says which item, occurrence and member, so the record does not
 * repeat them — a unit has a record per member and task, and every byte is stored per event.
 */
export interface TaskRecord {
  readonly s: TaskStatus;
  /** Due time (ms); absent while waiting. */
  readonly due?: number;
  /** Pending reminder time; removed once reminded. */
  readonly rem?: number;
  /** Who completed it, and when. */
  readonly by?: string;
  readonly at?: number;
  /** 黄灯 — `y` while the task shows yellow (红黄绿灯, see `lights.ts`: red, green and blue follow from `s`). */
  readonly l?: 'y';
  /** How many times the task has turned yellow (同一任务第N次黄灯); absent before the first. */
  readonly ny?: number;
  /** 催办 — how many urging notices it has had; absent before the first. */
  readonly u?: number;
  /** 催办 — when its next urging notice is due; absent while none is. */
  readonly ua?: number;
  /** 申请延期 — the due time a pending extension request asks for; absent while none is pending (see `extensions.ts`). */
  readonly xr?: number;
  /** 申请延期 — the pending request's reason, for the office's inbox; absent with `xr`. */
  readonly xw?: string;
  /** 已延期 — how many extensions have been approved; absent before the first. */
  readonly xn?: number;
}

/** State of an inspection loop for one subject (检查 → 整改 → 复验). */
export interface InspectionRecord {
  readonly s: 'clear' | 'rectifying' | 'reinspecting' | 'exhausted';
  /** Rectification rounds started so far. */
  readonly round: number;
  /** Rectification deadline while rectifying. */
  readonly due?: number;
  readonly findings: number;
}

/** An escalation ladder counter for one subject in one period. */
export interface LadderCounter {
  readonly n: number;
  /** The period the count belongs to (a year, or "campaign"). */
  readonly p: string;
}

/** What the engine gives a new instance. */
export interface InstanceInput {
  readonly campaignId: string;
  readonly unit: string;
  readonly office: boolean;
  readonly unitWork: boolean;
  readonly members: readonly string[];
  readonly startedAt: number;
  /**
   * 按期评分 — an evaluation with `every:` is scored once per occurrence. Set for every instance this
   * release starts; absent in the `start` of an instance release 7967bde started, which keeps the
   * meaning it started with (one scoring for the evaluation), so its history replays and its
   * campaign ends as it began.
   */
  readonly scoresPerOccurrence?: true;
  /**
   * 环节依次 — the parts of a sub-process in `mode: sequence` open one after another. Set for every
   * instance this release starts; absent in the `start` of an instance an earlier release started,
   * which opens every part at once, as it did then (its history replays to the same end).
   */
  readonly partsInSequence?: true;
  /** 批次 — the unit's cohort. */
  readonly cohort?: string;
  /** 未启动 — when the unit's cohort starts, if later than the campaign start. */
  readonly startsAt?: number;
  /** 层层分解 — units above it that do unit-level work, when there are any. */
  readonly levelsAbove?: number;
  /**
   * 事项亮灯 — its items are lit by their due days and count in the unit's light (红黄绿灯 on items).
   * Set for instances this release starts in a campaign with both `lights` and `items`; absent in the
   * start of one an earlier release started, whose items keep the meaning they had (lit only against
   * a target, not in the unit's light).
   */
  readonly itemLights?: true;
  /**
   * 按月亮牌 — items of a kind carded every month (`every: 每月`) get their card at each month's turn
   * when no progress report came in the month (`monthly-cards.ts`). Set for instances this release
   * starts in a campaign with such a kind; absent in the start of one an earlier release started,
   * whose items are carded only when reported, as they were.
   */
  readonly monthCards?: true;
  /**
   * 退出不排名 — a unit a decision ends (`next: end`) has left the campaign and later rankings do not
   * place it (`left`). Set for instances this release starts in a campaign with a ranking and an
   * option that ends a unit; absent in the start of one an earlier release started, which is still
   * ranked after it ended, as it was (last, with what it had scored).
   */
  readonly leftUnranked?: true;
  /**
   * 退出不评定 — a unit a decision ends (`next: end`) has left the campaign and later dated gradings
   * (`at`) do not grade it or its members (`left`): no grade, no band's flags or actions. Set for
   * instances this release starts in a campaign with a dated grading and an option that ends a
   * unit; absent in the start of one an earlier release started, which is still graded after it
   * ended, as it was (on what it had scored, missing scores counted 0).
   */
  readonly leftUngraded?: true;
  /**
   * 批次启动 — a unit whose cohort starts as the window of the phase it waits in ends (a cohort of
   * 1 January in a yearly cycle whose 考核 ends on 31 December) opens none of that phase's work: it
   * goes on to the next phase at the same instant. Set for instances this release starts in a
   * campaign with cohorts; absent in the start of one an earlier release started, which opens that
   * phase's work, overdue at once, as it did.
   */
  readonly startSkipsEndedPhase?: true;
  /** 督办事项清单 — items listed at the start (the organisation's key-project list), opened when the instance starts. */
  readonly items?: readonly ListedItem[];
}

/** The empty record set of a new instance; the first phase's entry opens its work. */
export function initialContext(input: InstanceInput): InstanceContext {
  return {
    campaignId: input.campaignId,
    unit: input.unit,
    office: input.office,
    unitWork: input.unitWork,
    members: input.members,
    startedAt: input.startedAt,
    entered: {},
    tasks: [],
    recur: {},
    insp: {},
    ladders: {},
    flags: [],
    scores: {},
    ranks: {},
    decisions: {},
    ...(input.scoresPerOccurrence ? { scoresPerOccurrence: true as const } : {}),
    ...(input.partsInSequence ? { partsInSequence: true as const } : {}),
    ...(input.cohort !== undefined ? { cohort: input.cohort } : {}),
    ...(input.startsAt !== undefined ? { startsAt: input.startsAt } : {}),
    ...(input.levelsAbove !== undefined ? { levelsAbove: input.levelsAbove } : {}),
    ...(input.itemLights ? { itemLights: true as const } : {}),
    ...(input.monthCards ? { monthCards: true as const } : {}),
    ...(input.leftUnranked ? { leftUnranked: true as const } : {}),
    ...(input.leftUngraded ? { leftUngraded: true as const } : {}),
    ...(input.startSkipsEndedPhase ? { startSkipsEndedPhase: true as const } : {}),
    ...(input.items !== undefined && input.items.length > 0 ? { tracked: listedItems(input.items, input.startedAt) } : {}),
  };
}

/** The records of the items listed at the start, opened when the instance starts. */
function listedItems(items: readonly ListedItem[], at: number): Record<string, TrackedItemRecord> {
  const tracked: Record<string, TrackedItemRecord> = {};
  for (const item of items) {
    // Own keys: an item id "__proto__" is a key like any other.
    setOwn(tracked, item.id, { k: item.kind, s: 'open', at, ...(item.owner !== undefined ? { o: item.owner } : {}), ...(item.due !== undefined ? { due: item.due } : {}), ...(item.target !== undefined ? { t: item.target } : {}) });
  }
  return tracked;
}
