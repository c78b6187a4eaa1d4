import type { DateExpression, Id, Title } from './common.js';

/**
 * 批次 — a cohort of units that start the campaign at the same time: 第一批试点, 第二批, 全面推开;
 * or one per year when each unit applies in a year of its choice ("成熟一个、验收一个"). A unit names
 * its cohort in the organisation file (`cohort: 第二批`). Until its cohort starts the unit is
 * 未启动 (not started): none of its work opens, while campaign-wide rules (consequences, ladders,
 * rankings' `eligible`) still read it through `subject.cohort` and `subject.started`. When the
 * cohort starts, the unit's current phase opens, counted from that day. A unit without a cohort
 * starts with the campaign.
 */
export interface Cohort {
  id: Id;
  title: Title;
  /** 英文标题 — an English title (optional). */
  titleEn?: string;
  /** 启动时间 — when the cohort's units start, e.g. "9月1日", "2025-01-01", "次年3月1日" where the campaign reads it. */
  start: DateExpression;
  /** 原文 — the sentence of the directive this models. */
  quote?: string;
  /** 说明 — a note, e.g. why a default was chosen where the directive is silent. */
  note?: string;
}
