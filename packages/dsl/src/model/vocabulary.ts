import type { Expression, Id, SubjectKind, Title } from './common.js';

/** 角色 — an office or post that owns tasks or receives reports: 支部, 市民政局党办, 领导小组办公室. */
export interface Role {
  id: Id;
  title: Title;
  /** English title (optional). */
  titleEn?: string;
  /** 层级 — where the role sits: the leading office, each unit, each branch, or each member. */
  level?: 'office' | 'unit' | 'branch' | 'member';
}

/**
 * 标记 — a flag on a subject's record that later rules read: 取消评先评优, 绩效不称职, 十佳单位.
 */
export interface Flag {
  id: Id;
  title: Title;
  /** 英文标题 — an English title (optional). */
  titleEn?: string;
  /** 适用对象 — whose record carries it. Default: both. */
  subject?: SubjectKind;
  /** 有效期 — how long it lasts: until the campaign year it was set in ends (default; the campaign year runs from the campaign start to its anniversary) or the whole campaign. */
  lasts?: 'year' | 'campaign';
}

/**
 * 措施 — a named action the engine hands to the host as an effect: 诫勉谈话, 通报批评, 交流换岗,
 * 表彰, 质询, 提醒.
 */
export interface Action {
  id: Id;
  title: Title;
  /** 英文标题 — an English title (optional). */
  titleEn?: string;
  /**
   * 效果类别 — the kind of effect, so hosts can route it: notify (通知), remind (提醒),
   * admonish (诫勉谈话), criticise (通报批评), transfer (交流换岗), commend (表彰),
   * question (质询), disqualify (取消资格), publicise (曝光).
   */
  effect: 'notify' | 'remind' | 'admonish' | 'criticise' | 'transfer' | 'commend' | 'question' | 'disqualify' | 'publicise';
  /** 执行者 — the role that carries it out (a role id): every effect of the action names it (`by`), so the host can route it there. */
  by?: Id;
}

/**
 * 事件类型 — events the engine receives from the host or raises itself, which ladders and
 * consequences listen to.
 * complaint-verified 举报投诉查实 · finding-recorded 发现问题 · notified 被通报 ·
 * task-overdue 任务逾期 (红灯) · task-yellow 亮黄灯 · reinspection-failed 复验未通过 · score-given 评分 · decision-taken 作出决定 ·
 * item-yellow 督办事项亮黄牌 · item-red 督办事项亮红牌 (the item's unit is the rule's subject; the
 * item, its kind and its counts of yellows and reds are the event's: `event.item`, `event.kind`,
 * `event.yellows`, `event.yellowsInRow`, `event.reds`, `event.redsInRow`).
 */
export type EventKind =
  | 'complaint-verified'
  | 'finding-recorded'
  | 'notified'
  | 'task-overdue'
  | 'task-yellow'
  | 'item-yellow'
  | 'item-red'
  | 'reinspection-failed'
  | 'score-given'
  | 'decision-taken';

/** 触发条件 — an event kind and an optional condition on it. */
export interface Trigger {
  /** 事件 — the event kind. */
  event: EventKind;
  /**
   * 事件字段 — extra facts the host sends with this event (its `fields`), which the condition may
   * read as `event.<字段>`: "fields: [来源]" lets "event.来源 == '群众举报'" be written. A condition
   * may read only declared fields and those the engine fills (event.task, event.inspection,
   * event.evaluation, event.score, event.decision, event.option, depending on the event).
   */
  fields?: Id[];
  /** 条件 — only events for which this holds count. */
  when?: Expression;
}
