import type { DateExpression, Expression, Id, SubjectKind, Title } from './common.js';
import type { ScoreDeduction } from './lights.js';
import type { Trigger } from './vocabulary.js';

/**
 * 问责阶梯 — an escalation ladder: per rule, per subject, per period, the Nth counted occurrence
 * triggers the Nth rung. "一次查实诫勉谈话、两次查实通报批评、三次查实交流换岗".
 */
export interface EscalationLadder {
  id: Id;
  title: Title;
  /** 英文标题 — an English title (optional). */
  titleEn?: string;
  /** 计数事件 — what counts one occurrence; outcomes may also count towards a ladder by id. */
  on?: Trigger;
  /** 对象 — counted per member (default) or per unit. */
  subject?: SubjectKind;
  /** 计数周期 — counters start again every campaign year (default: from the campaign start to its anniversary, e.g. February to February) or run for the whole campaign. */
  period?: 'year' | 'campaign';
  /**
   * 梯级 — rung 1, 2, 3… in order.
   * @minItems 1
   */
  rungs: Rung[];
  /** 原文 — the sentence of the directive this models. */
  quote?: string;
  /** 说明 — a note, e.g. why a default was chosen where the directive is silent. */
  note?: string;
}

/** 梯级 — one rung of a ladder. */
export interface Rung {
  /**
   * 次数 — the occurrence that reaches this rung: 1, 2, 3…
   * @TJS-type integer
   * @minimum 1
   */
  level: number;
  /** 措施 — action ids taken on reaching it. */
  actions?: Id[];
  /** 标记 — flag ids set on reaching it. */
  flags?: Id[];
}

/**
 * 规则后果 — a consequence: when an event happens (and a condition holds), set flags and take
 * actions. "凡抽查被通报的单位和个人,不能参加年度评先评优,个人年度工作绩效为不称职".
 */
export interface Consequence {
  id: Id;
  title: Title;
  /** 英文标题 — an English title (optional). */
  titleEn?: string;
  /** 触发 — the event. */
  on: Trigger;
  /** 对象 — whom it applies to. Default: the event's subject. */
  subject?: SubjectKind;
  /** 标记 — flags to set. */
  flags?: Id[];
  /** 措施 — actions to take. */
  actions?: Id[];
  /** 扣分 — points off the subject's score in an evaluation ("扣年度考核1分"). */
  deduct?: ScoreDeduction;
  /** 原文 — the sentence of the directive this models. */
  quote?: string;
  /** 说明 — a note, e.g. why a default was chosen where the directive is silent. */
  note?: string;
}

/**
 * 评比排名 — scores aggregated with weights and ranked at a date: top N commended (十佳),
 * bottom N questioned (末位质询).
 */
export interface Ranking {
  id: Id;
  title: Title;
  /** 英文标题 — an English title (optional). */
  titleEn?: string;
  /** 排名对象 — units or members. */
  subject: SubjectKind;
  /** 排名日期 — when the ranking is made, e.g. "年底". A month-day without a year ranks on that day of every year of the campaign (a campaign 2024–2026 ranks three times); a date with its year ranks once. In a cycled campaign (`cycle`) it ranks once a cycle, its date moved on with the cycle, on that cycle's scores. */
  at: DateExpression;
  /**
   * 权重 — evaluation id → weight. The score is the weighted mean of the subject's scores.
   * Example: { 自评: 0.1, 互评: 0.2, 抽查评议: 0.2, 社会评议: 0.2, 群众测评: 0.3 }
   */
  weights: { [evaluation: string]: number };
  /** 参评资格 — only subjects for which this holds are ranked, e.g. "not flags.取消评先评优". */
  eligible?: Expression;
  /** 前列 — the best N. */
  top?: RankingBand;
  /** 末位 — the worst N. */
  bottom?: RankingBand;
  /** 原文 — the sentence of the directive this models. */
  quote?: string;
  /** 说明 — a note, e.g. why a default was chosen where the directive is silent. */
  note?: string;
}

/** 名次段 — the best or worst N of a ranking and what they get. */
export interface RankingBand {
  /**
   * 名额 — how many.
   * @TJS-type integer
   * @minimum 1
   */
  count: number;
  /** 条件 — only those in the band for whom this also holds ("且被确定为重点整改"). */
  when?: Expression;
  /** 措施 — action ids. */
  actions?: Id[];
  /** 标记 — flag ids. */
  flags?: Id[];
}

/**
 * 等次评定 — grades by score (优秀 ≥ 90, 良好 ≥ 80, 合格 ≥ 60, 不合格 below; or pass/fail at one 合格线):
 * each subject's weighted evaluation means, as a ranking weighs them, fall in one band, which may
 * carry actions and flags. Graded at a date (`at`), or, without one, as soon as every weighted
 * evaluation has a score for the subject, and again whenever a later score changes the band. A veto
 * flag (一票否决) caps the grade; a later spot check (`recheck`, 摘帽) can take a pass away.
 */
export interface Grading {
  id: Id;
  title: Title;
  /** 英文标题 — an English title (optional). */
  titleEn?: string;
  /** 评定对象 — units or members. */
  subject: SubjectKind;
  /**
   * 评定日期 — when the grades are given, e.g. "年底": a month-day without a year grades on that day of
   * every year of the campaign, a date with its year once. Without it, a subject is graded as soon as
   * every weighted evaluation has a score for it, and graded again when a later score moves its band.
   */
  at?: DateExpression;
  /**
   * 权重 — evaluation id → weight. The score is the weighted mean of the subject's mean scores, as in
   * a ranking (an evaluation not scored counts 0 at a date).
   */
  weights: { [evaluation: string]: number };
  /**
   * 等次 — the bands, each from its `min` (分数下限, inclusive) up to its `below` (exclusive) or, without
   * one, up to the next band's `min`. Exactly one band has no `min` (the lowest, open below; or it
   * starts at 0 or lower) and the highest has no `below`; bands may neither overlap nor leave a gap.
   * @minItems 2
   */
  bands: GradeBand[];
  /** 一票否决 — flags that cap the grade whatever the score. */
  veto?: GradeVeto;
  /**
   * 复核抽查 (摘帽) — evaluations that re-assess a subject already graded: its score, put in the bands,
   * lowers the grade when it falls in a lower band (a spot check can take a pass away, never give one).
   * The lost band's flags are removed, the new band's outcome applied, and a `grade-changed` effect
   * names the change (from → to).
   */
  recheck?: Id[];
  /** 原文 — the sentence of the directive this models. */
  quote?: string;
  /** 说明 — a note, e.g. why a default was chosen where the directive is silent. */
  note?: string;
}

/** 等次段 — one grade and the scores that earn it: "良好（80分至89分）". */
export interface GradeBand {
  /** 等次 — the grade's name: 优秀, 良好, 合格, 不合格. Conditions compare `grades.<评定>` with it. */
  grade: Id;
  /** 分数下限 — the lowest score in the band (≥). Absent: the lowest band, open below. */
  min?: number;
  /** 分数上限 — scores in the band are below this (<). Absent: up to the next band's `min`, or open above. */
  below?: number;
  /** 措施 — action ids taken when a subject is given this grade. */
  actions?: Id[];
  /** 标记 — flag ids set on a subject given this grade (removed when a re-assessment takes it away). */
  flags?: Id[];
}

/** 一票否决 — "发生重大安全事故的，实行一票否决": any of these flags caps the grade at `cap`. */
export interface GradeVeto {
  /**
   * 否决标记 — flag ids: a subject carrying any of them when graded gets at most `cap`.
   * @minItems 1
   */
  flags: Id[];
  /** 封顶等次 — the grade (a band's `grade`) a vetoed subject gets at most, e.g. 不合格. */
  cap: Id;
}
