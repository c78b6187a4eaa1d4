import type { Id, RecurrenceExpression, Title } from './common.js';

/**
 * 督办事项 — a kind of item tracked to closure (销号): 问题, 整改任务, 重点项目. An item of this kind
 * is opened for a unit (by the office, after a finding, an inspection or a host event), carries an
 * owner, a due day and optionally a numeric target, gets progress reports, is reported resolved by
 * the unit, is verified by the office — passed, it may be closed and struck off (销号); failed, it
 * is reopened — and may be escalated (挂牌督办) one level after `escalateAfter` failed checks.
 * 督办事项：交办到单位，明确责任人和时限，报进度，办结后由督查部门核验，核验通过销号，未通过重新打开；
 * 复查未通过达到次数的升级挂牌督办。
 */
export interface TrackedItemKind {
  id: Id;
  title: Title;
  /**
   * 督办部门 — the office role that opens, verifies and closes items of this kind (the unit reports
   * progress and resolution without a role). Default: any sender.
   */
  by?: Id;
  /**
   * 挂牌督办层级 — the levels an item is supervised at, lowest first: [县级, 市级, 省级]. An item
   * starts at the first; each escalation moves it one up, never past the last.
   * @minItems 2
   * @maxItems 8
   */
  levels?: string[];
  /**
   * 复查未通过升级 — after this many failed checks (核验未通过) an item is escalated one level
   * (挂牌督办), an effect `item-escalated` for the host. Needs `levels`; default 1.
   * @TJS-type integer
   * @minimum 1
   * @maximum 100
   */
  escalateAfter?: number;
  /**
   * 连续红牌升级 — an item with a target is assessed at each progress report against the pro-rata
   * share of its target (D6: at or above → green; below by no more than half → yellow; by more → red),
   * and the office may label any item (`item.assessed`); this many red cards in a row (a red by its due
   * day counts too) escalate it one level at the assessment that makes the count. Needs `levels`.
   * @TJS-type integer
   * @minimum 1
   * @maximum 100
   */
  escalateAfterReds?: number;
  /**
   * 月度任务亮牌 (D6 片区亮牌: "完成月度任务的亮绿牌，未完成的亮黄牌，连续两个月未完成的亮红牌") — an item
   * with a target is judged met or missed at each progress report against the pro-rata share of its
   * target (any shortfall is a miss) instead of by the share's thresholds: met → green; missed → yellow;
   * this many misses in a row → red, until a report meets the share again.
   * @TJS-type integer
   * @minimum 2
   * @maximum 12
   */
  redAfterMisses?: number;
  /**
   * 按月亮牌 (D6: "每月根据1月1日至上月末累计完成投资情况亮牌") — the kind's cards are given every month,
   * whether or not the unit reported: `每月` (monthly), the months of the campaign year. At each month's
   * turn, an open item with a target that got no progress report in the month just ended (and was open
   * before it began) is judged on its cumulative progress as it stands against the pro-rata share at the
   * month's end — by the share's thresholds, or met/missed with `redAfterMisses` — a card like a report's.
   * A month with a report is carded by the report, as without this key. Only `每月` is accepted
   * (DSL_ITEM_EVERY_NOT_MONTHLY); not with `from`, whose items have no target (DSL_ITEM_EVERY_NO_TARGET).
   */
  every?: RecurrenceExpression;
  /**
   * 由检查发现交办 — an inspection (its id) whose findings each open an item of this kind for the
   * unit: 检查发现问题 → 交办整改. The item is named `<inspection>-<n>` (the nth finding) and due when
   * the finding's rectification is due.
   */
  from?: Id;
  /**
   * 每单位上限 — at most this many items of this kind per unit (the stored state is kept bounded);
   * default and maximum 500 (reference.md#limits).
   * @TJS-type integer
   * @minimum 1
   * @maximum 500
   */
  limit?: number;
  /** 原文 — the sentence of the directive this models. */
  quote?: string;
  /** 说明 — a note. */
  note?: string;
}
