/** Extra facts an event may carry for conditions (`event.source == '社会评议'`): flat primitives only. */
export type EventFields = Readonly<Record<string, string | number | boolean>>;

/**
 * An event a host sends to a unit's instance. `member` names the person concerned where a rule is
 * per person; `fields` carries extra facts conditions may read.
 */
export type HostEvent =
  /*
   * 周期 — in a cycled campaign an event naming a task, an evaluation or an inspection may name the
   * cycle (`cycle: '2025'`, the label of `CampaignPlan.cycles`) whose work it is: a task of 2024
   * left undone is completed late in 2025 by naming 2024. Without it, the cycle the unit is in.
   * Validation puts the cycle into the name (`自查.2025`) and drops the field.
   */
  /**
   * 任务完成 — a task (or one member's share of it) is done. `period` (报告期) names the occurrence of a
   * recurring duty it is for, by a day inside it (`2024-05` or `2024-05-20`): without it, the current
   * (latest started) occurrence.
   */
  | { readonly type: 'task.completed'; readonly task: string; readonly member?: string; readonly cycle?: string; readonly period?: string; readonly fields?: EventFields }
  /** 报送 — a report is submitted to the role the task reports to (`period` as for `task.completed`). */
  | { readonly type: 'report.submitted'; readonly task: string; readonly member?: string; readonly cycle?: string; readonly period?: string; readonly fields?: EventFields }
  /** 发现问题 — an inspection found a problem: opens a rectification round. */
  | { readonly type: 'finding.recorded'; readonly inspection: string; readonly member?: string; readonly cycle?: string; readonly fields?: EventFields }
  /** 整改完成 — the subject reports the rectification done. */
  | { readonly type: 'rectification.done'; readonly inspection: string; readonly member?: string; readonly cycle?: string; readonly fields?: EventFields }
  /** 复验 — the re-inspection's verdict. */
  | {
      readonly type: 'reinspection.recorded';
      readonly inspection: string;
      readonly passed: boolean;
      readonly member?: string;
      readonly cycle?: string;
      readonly fields?: EventFields;
    }
  /** 举报投诉查实 — a complaint against a member (or the unit) is verified. */
  | { readonly type: 'complaint.verified'; readonly member?: string; readonly fields?: EventFields }
  /** 被通报 — the unit or a member is named in a circulated notice. */
  | { readonly type: 'notified'; readonly member?: string; readonly inspection?: string; readonly fields?: EventFields }
  /** 评分 — an evaluation's score for the unit or a member. */
  | { readonly type: 'score.given'; readonly evaluation: string; readonly score: number; readonly member?: string; readonly cycle?: string; readonly fields?: EventFields }
  /** 作出决定 — a decision that ends a phase. */
  | { readonly type: 'decision.taken'; readonly decision: string; readonly option: string; readonly fields?: EventFields }
  /**
   * 交办 — a tracked item (督办事项) of a kind the campaign declares is opened for the unit, under an
   * id the host gives it, with its owner (责任人), due day (`YYYY-MM-DD`) and numeric target if any.
   */
  | {
      readonly type: 'item.opened';
      readonly item: string;
      readonly kind: string;
      readonly owner?: string;
      readonly due?: string;
      readonly target?: number;
      readonly fields?: EventFields;
    }
  /** 报进度 — progress on an item: `done`, the cumulative amount so far (investment done this year). */
  | { readonly type: 'item.progress'; readonly item: string; readonly done: number; readonly fields?: EventFields }
  /** 办结 — the unit reports the item resolved. */
  | { readonly type: 'item.resolved'; readonly item: string; readonly fields?: EventFields }
  /** 核验 — the office's check of a resolved item: passed, it may be struck off; failed, it is reopened. */
  | { readonly type: 'item.verified'; readonly item: string; readonly passed: boolean; readonly fields?: EventFields }
  /** 销号 — a verified item is closed and struck off. */
  | { readonly type: 'item.closed'; readonly item: string; readonly fields?: EventFields }
  /**
   * 调度亮牌 — the office's label for an item at its (monthly) roll-call: blue (蓝签, on schedule),
   * green, yellow (黄牌) or red (红灯), by the kind's `by` role, while the item is not closed.
   */
  | { readonly type: 'item.assessed'; readonly item: string; readonly light: 'blue' | 'green' | 'yellow' | 'red'; readonly fields?: EventFields }
  /**
   * 申请延期 — the task's owner asks, before its due day, for a new due day `until` (`YYYY-MM-DD`,
   * due at its end) with a reason; `member`, `cycle` and `period` name the task as for `task.completed`.
   */
  | {
      readonly type: 'extension.requested';
      readonly task: string;
      readonly until: string;
      readonly reason: string;
      readonly member?: string;
      readonly cycle?: string;
      readonly period?: string;
      readonly fields?: EventFields;
    }
  /** 延期审批 — the campaign's `extensions.decidedBy` approves (the due day moves) or refuses the pending request. */
  | {
      readonly type: 'extension.decided';
      readonly task: string;
      readonly approved: boolean;
      readonly member?: string;
      readonly cycle?: string;
      readonly period?: string;
      readonly fields?: EventFields;
    };

/** The host event types, for validation messages. */
export const HOST_EVENT_TYPES = [
  'task.completed',
  'report.submitted',
  'finding.recorded',
  'rectification.done',
  'reinspection.recorded',
  'complaint.verified',
  'notified',
  'score.given',
  'decision.taken',
  'item.opened',
  'item.progress',
  'item.resolved',
  'item.verified',
  'item.closed',
  'item.assessed',
  'extension.requested',
  'extension.decided',
] as const satisfies readonly HostEvent['type'][];

/** A ranking's verdict for the subjects of one instance. */
export interface RankingPlace {
  readonly subject: string;
  readonly rank: number;
  readonly band?: 'top' | 'bottom';
}

/** Events the engine itself raises. */
export type EngineEvent =
  | { readonly type: 'timer.fired'; readonly key: string; readonly dueAt: number }
  | { readonly type: 'ranking.placed'; readonly ranking: string; readonly places: readonly RankingPlace[] }
  /** 定期评定 — a dated grading's time has come: the instance grades each of its subjects. */
  | { readonly type: 'grading.due'; readonly grading: string; readonly occurrence?: number }
  /**
   * 他处完成 — a task another instance holds (the office's 全区动员大会) was done at `doneAt`: tasks here
   * counted from it count from then. With `parent`: this unit's parent did a task with `cascadeWithin`
   * (层层分解), and the same task here counts from then.
   */
  | { readonly type: 'anchor.done'; readonly task: string; readonly doneAt: number; readonly parent?: true }
  | CampaignClosedEvent;

/**
 * 终止活动 — the office closes the campaign for this unit in one act (a 长效机制 stopped, a campaign
 * rescinded or superseded: "原…同时废止"), with its reason; `unit` names the unit the office closed
 * it at and under, when not the whole campaign. Sent by `Engine.closeCampaign`, never by a host's
 * event: it ends the instance as a decision's `next: end` does (`campaign-closing.ts`).
 */
export interface CampaignClosedEvent {
  readonly type: 'campaign.closed';
  readonly reason: string;
  readonly unit?: string;
}

/**
 * What the statechart receives: an event with its logical time `at` (ms) and actor. Everything
 * the machine needs is in the event, never read from a clock, so a replay of the history gives
 * the same state.
 */
export type MachineEvent = (HostEvent | EngineEvent) & { readonly at: number; readonly actor?: string };
