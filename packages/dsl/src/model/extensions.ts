import type { DurationExpression, Id } from './common.js';

/**
 * 申请延期 — extension requests: a unit that cannot finish a task by its due day asks, before that
 * day, for a later one with a reason (`extension.requested`, by the task's owner role); the role
 * `decidedBy` approves or refuses (`extension.decided`). Approval moves the task's due day (its
 * reminder, light and urging follow the new one) and the task shows 已延期; a refusal leaves it as
 * it was. Without this key a campaign allows no extension: the events are refused.
 * 任务确需延期的，应在期限届满前提出申请，说明理由，经批准后按新的期限办理；未经批准的按原期限考核。
 */
export interface Extensions {
  /** 审批角色 — the role that approves or refuses requests (督查室, 办公室). */
  decidedBy: Id;
  /**
   * 延期次数上限 — at most this many approved extensions per task ("原则上只能延期一次"); default no limit
   * below the engine's own (reference.md#limits).
   * @TJS-type integer
   * @minimum 1
   * @maximum 20
   */
  maxTimes?: number;
  /**
   * 单次最长延期 — a request may ask for a due day at most this long after the current one
   * ("延期不超过10个工作日"): counted on the calendar from the current due time. Default: no limit.
   */
  maxDelay?: DurationExpression;
  /** 原文 — the sentence of the directive this models. */
  quote?: string;
  /** 说明 — a note, e.g. why a default was chosen where the directive is silent. */
  note?: string;
}
