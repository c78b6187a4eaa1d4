import type {
  DueExpression,
  DurationExpression,
  Expression,
  Id,
  MissedPolicy,
  RecurrenceExpression,
  SubjectKind,
  Title,
  DateExpression,
} from './common.js';

/** Fields every piece of work shares. 各类工作的共同字段。 */
export interface WorkItem {
  id: Id;
  title: Title;
  /** 英文标题 — an English title (optional). */
  titleEn?: string;
  /** 责任主体 — the role that must do it (a role id). */
  owner: Id;
  /** 对象 — done once per unit (default) or once per member. */
  subject?: SubjectKind;
  /** 报送 — the role the result is reported to (报送…备案). */
  reportTo?: Id;
  /** 必须完成 — whether the phase waits for it when it exits on all-required-done. Default true. */
  required?: boolean;
  /** 提前提醒 — remind the owner this long before the due date, e.g. "3个工作日". */
  remindBefore?: DurationExpression;
  /** 逾期处理 — what happens when it is overdue. */
  onOverdue?: Outcome;
  /** 原文 — the sentence of the directive this models. */
  quote?: string;
  /** 说明 — a note, e.g. why a default was chosen where the directive is silent. */
  note?: string;
}

/**
 * 任务 — a one-off task with a due date: "各单位要于10月18日前将…方案报送…办公室".
 */
export interface Task extends WorkItem {
  /** 截止 — when it is due. Without it the task is due when its phase's window ends. It may lie after the window (a phase report due weeks after the phase): the task opens with its phase and stays open after it, overdue only at its due; never before the window opens. After the last phase the instance waits for it (收尾, `closesAt`) until it is done or the campaign ends. */
  due?: DueExpression;
  /**
   * 层层分解 — in a nested organisation, each level below the top does this task this long after its
   * parent unit has done it ("乡镇方案印发后5个工作日内，各村制定本村方案"), counted from the parent's
   * deadline while the parent has not; the top level (the units under the office) keeps `due`.
   * Only for a task of the units (its owner not an office role).
   */
  cascadeWithin?: DurationExpression;
}

/**
 * 常态任务 — a recurring duty: 每月学习, 每季度评比检查, 每半年点评.
 * Each occurrence is a task due one period later unless `dueWithin` says otherwise.
 */
export interface RecurringDuty extends WorkItem {
  /** 周期 — how often. */
  every: RecurrenceExpression;
  /** 起 — first occurrence on or after this day. Default: the start of the enclosing phase. */
  from?: DateExpression;
  /** 止 — no occurrence after this day. Default: the end of the enclosing phase. */
  until?: DateExpression;
  /** 完成时限 — each occurrence is due this long after it starts, its first day counted (`5天` from 1 March: due when 5 March is over). Default: one period. */
  dueWithin?: DurationExpression;
  /**
   * 错过处理 — if the engine was stopped past occurrences: fire-once-late (default) opens only the
   * latest, the earlier ones skipped and never overdue; fire-each opens every missed occurrence with
   * its own deadline (overdue at once when past it); skip opens none.
   */
  missed?: MissedPolicy;
}

/**
 * 评价 — an evaluation that gives each subject a score: 自评, 互评, 群众测评.
 */
export interface Evaluation {
  id: Id;
  title: Title;
  /** 英文标题 — an English title (optional). */
  titleEn?: string;
  /** 评价者 — the role that gives the score. */
  by: Id;
  /** 被评对象 — who is scored. Default unit. */
  subject?: SubjectKind;
  /** 分值范围 — the allowed scores. Default 0 to 100. */
  scale?: ScoreScale;
  /** 截止 — when scores are due. Default: the end of the enclosing window. With `every`, a month-day ("12月20日") is that day in each occurrence's year; default: when the next occurrence starts. */
  due?: DueExpression;
  /** 周期 — for evaluations repeated on a calendar (每季度评比检查, 每年考核): each occurrence is scored, and the mean is over the occurrences scored. */
  every?: RecurrenceExpression;
  /** 原文 — the sentence of the directive this models. */
  quote?: string;
  /** 说明 — a note, e.g. why a default was chosen where the directive is silent. */
  note?: string;
}

/** 分值范围 — a score range. */
export interface ScoreScale {
  /** 最低分 — the lowest score. */
  min: number;
  /** 最高分 — the highest score. */
  max: number;
}

/**
 * 检查整改 — an inspection loop: inspection → finding → rectification notice with a deadline →
 * re-inspection → closed, or repeated and escalated. It runs while the phase that declares it
 * (directly, in a workstream or in a sub-process used there) is active and its window open: a
 * finding at another time is refused (ENGINE_INSPECTION_NOT_ACTIVE). A round started in the phase
 * is followed through after it ends: rectification, re-inspection, its deadline.
 */
export interface Inspection {
  id: Id;
  title: Title;
  /** 英文标题 — an English title (optional). */
  titleEn?: string;
  /** 检查者 — the role that inspects. */
  by: Id;
  /** 被检查对象 — default unit. */
  subject?: SubjectKind;
  /**
   * 定期检查 — how often it inspects (每月, 每季度): each period the inspector owes each subject one
   * inspection (a task `<id>#n`, due when the next period starts), done by recording a finding or,
   * when nothing is found, by completing the task (the clean result); one with neither is overdue.
   * Without it, inspections happen when the host records a finding (不定期).
   */
  every?: RecurrenceExpression;
  /** 整改期限 — how long the subject has to rectify after a notice, e.g. "15个工作日". */
  rectifyWithin: DurationExpression;
  /** 复验 — whether rectification is re-inspected. Default true. */
  reinspect?: boolean;
  /**
   * 最多轮次 — how many rectification rounds before the failure escalates. Default 2.
   * @minimum 1
   * @TJS-type integer
   */
  maxRounds?: number;
  /** 发现问题时 — what a finding itself causes (e.g. 通报批评). */
  onFinding?: Outcome;
  /** 复验未通过时 — what each failed re-inspection causes. */
  onFailed?: Outcome;
  /** 超过轮次时 — what happens when the last round fails. */
  onExhausted?: Outcome;
  /** 原文 — the sentence of the directive this models. */
  quote?: string;
  /** 说明 — a note, e.g. why a default was chosen where the directive is silent. */
  note?: string;
}

/** 后果 — actions, flags and ladder counts an outcome causes. */
export interface Outcome {
  /** 条件 — only when this holds. */
  when?: Expression;
  /** 措施 — action ids. */
  actions?: Id[];
  /** 标记 — flag ids to set. */
  flags?: Id[];
  /** 计入阶梯 — a ladder this counts towards. */
  ladder?: Id;
}
