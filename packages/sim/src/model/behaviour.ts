/**
 * How the units of a scenario behave (行为假设): the `behaviour` of a scenario file (情景文件,
 * `scenario.ts`), by kind of unit, and the distributions and rates it is written in. Part of the
 * scenario file format: the JSON Schema is generated from these types with `ScenarioFile`, JSDoc included.
 */

/**
 * Behaviour by kind of unit: `default`, and per kind overrides merged field by field over it.
 * 按单位类别的行为假设：`default` 适用于所有单位，`kinds` 中按类别逐项覆盖。
 */
export interface BehaviourSet {
  /**
   * 默认行为 — applies to every unit (and to the office, kind `office`) unless its kind overrides it.
   */
  default: Behaviour;
  /**
   * 按类别 — overrides per kind of unit; a kind names a `organisation.kinds` id, `office` or a kind of the organisation file.
   */
  kinds?: { [kind: string]: BehaviourOverride };
}

/**
 * The fields of a behaviour a kind of unit changes; each field given replaces the default's whole.
 * 某类单位覆盖的行为字段（给出的字段整体替换默认值）。
 */
export interface BehaviourOverride extends Partial<Behaviour> {}

/**
 * How the units of one kind behave. 某类单位的行为。
 */
export interface Behaviour {
  /**
   * 任务完成 — when a task (or report, or a recurring duty's occurrence) is done, counted in days
   * from the moment it opens.
   */
  tasks: TaskBehaviour;
  /**
   * 举报投诉查实 — verified complaints per member per month (a Poisson rate), e.g. 0.02. Needed (in
   * `behaviour.default`) only when a ladder or consequence of the campaign counts verified
   * complaints (`complaint-verified`); without it none are sent.
   * @minimum 0
   */
  complaintsPerMemberPerMonth?: number;
  /**
   * 评分 — score distributions: `default` for every evaluation, and per evaluation id.
   * Scores are clamped into the evaluation's scale and given before its deadline. Needed (in
   * `behaviour.default`) only when the campaign has evaluations.
   */
  scores?: ScoreBehaviour;
  /**
   * 抽查发现问题 — findings of inspections (明查暗访, 督查抽查) per unit per month (a Poisson rate).
   * Needed (in `behaviour.default`) only when the campaign has inspections.
   * @minimum 0
   */
  findingsPerUnitPerMonth?: number;
  /**
   * 按检查的发现率 — findings per unit per month of one inspection, by the id the process file gives it,
   * e.g. `{ 专项督查抽查: 0.05, 明查暗访: 0.2 }`. A listed inspection finds at its own rate, only while
   * the unit is under it; the others share `findingsPerUnitPerMonth`. For a periodic inspection
   * (定期检查, `every:`) it sets the chance that an occurrence finds something (1 − e^(−rate·period)).
   */
  findingsPerMonth?: { [inspection: string]: FindingRate };
  /**
   * 整改 — how a unit rectifies after a finding. Needed (in `behaviour.default`) only when the
   * campaign has inspections.
   */
  rectification?: RectificationBehaviour;
  /**
   * 督办事项 — how items tracked to closure (the campaign's `items`) arise and close for a unit. Without
   * it none are opened.
   */
  items?: ItemBehaviour;
  /**
   * 被通报 — members named in circulated notices (通报), which rules such as 抽查被通报个人 read.
   * Without it no notice is sent.
   */
  notifications?: NotificationBehaviour;
  /**
   * 申请延期 — how often a unit asks for a later due day on a task it has not done three days before
   * its due, how many days it asks for and how often the office grants it. Asked only in a campaign
   * that declares `extensions`; without it no unit asks.
   */
  extensions?: ExtensionBehaviour;
}

/**
 * When a unit asks for an extension (申请延期) and how the office answers. 申请延期的假设：哪些任务申请、
 * 申请延长几天、批准的比例。
 */
export interface ExtensionBehaviour {
  /**
   * 申请比例 — the probability that a unit asks for an extension of a task it will not have done three
   * days before the task's due (it asks then, or when the task opens if that is later).
   * @minimum 0
   * @maximum 1
   */
  share: number;
  /**
   * 申请天数 — how many days after the current due day the unit asks for (rounded up to a whole day, at
   * least 1); a request beyond the campaign's `extensions.maxDelay` is refused by the engine
   * (ENGINE_EXTENSION_TOO_LONG) and counted so.
   */
  days: Distribution;
  /**
   * 批准比例 — the probability that the office (`extensions.decidedBy`) grants a request; it decides one
   * day after the request (or halfway to the due, if that is sooner).
   * @minimum 0
   * @maximum 1
   */
  granted: number;
}

/**
 * When a unit's members are named in a circulated notice (`notified`). 何时有人被通报。
 */
export interface NotificationBehaviour {
  /**
   * 发现问题后通报 — the probability that a finding the engine accepts is circulated naming a member
   * (the finding's member, or one of the unit's members at random), with the inspection's id.
   * @minimum 0
   * @maximum 1
   */
  perFinding?: number;
  /**
   * 通报时间 — days from the finding to the notice, default 3 days.
   */
  delay?: Distribution;
  /**
   * 其他通报 — notices per member per month outside inspections (a Poisson rate), without an inspection id.
   * @minimum 0
   */
  perMemberPerMonth?: number;
}

/**
 * When tasks are done. 任务完成时间。
 */
export interface TaskBehaviour {
  /**
   * 完成延迟 — days from a task's opening to its completion.
   */
  delay: Distribution;
  /**
   * 从不完成的概率 — the probability that a task is never done, between 0 and 1.
   * @minimum 0
   * @maximum 1
   */
  neverProbability: number;
}

/**
 * Scores given in evaluations (五评). 评分分布。
 */
export interface ScoreBehaviour {
  /**
   * 默认分布 — the score distribution of every evaluation not listed in `evaluations`.
   */
  default: Distribution;
  /**
   * 按评议项 — distributions per evaluation id, e.g. `{ 满意度得分: { kind: normal, mean: 85, sd: 6 } }`.
   */
  evaluations?: { [evaluation: string]: Distribution };
}

/** 督办事项 — how a unit's items tracked to closure arise and close. 督办事项的交办与销号。 */
export interface ItemBehaviour {
  /**
   * 交办 — items opened per unit per month (a Poisson rate), of each kind the campaign declares.
   * @minimum 0
   */
  openedPerUnitPerMonth: number;
  /**
   * 办结 — days from opening (or from a failed check) until the unit reports the item resolved (the
   * mean of an exponential wait).
   * @minimum 0
   */
  resolveDays: number;
  /**
   * 核验通过率 — the share of checks a resolved item passes (then it is struck off, 销号, the next day);
   * a failed check reopens it and the unit works on it again.
   * @minimum 0
   * @maximum 1
   */
  passRate: number;
  /**
   * 目标 — the planned amount (e.g. the year's investment) of each item the run opens, so the item is
   * lit against the pro-rata share of it (项目亮牌); a draw below 1 counts as 1. Without it the items
   * opened have no target.
   */
  target?: Distribution;
  /**
   * 办理期限 — days from an item's opening to its due day (rounded up, at least 1, at most the
   * campaign's last day), so its deadline light follows how soon it is resolved. Without it the items
   * opened have no due day.
   */
  dueDays?: Distribution;
  /**
   * 进度 — for every open item with a target, the share of the month's planned growth the unit
   * achieves in that month, reported (`item.progress`) at the start of the next month for the months
   * gone by: 1 keeps it on the pro-rata plan (green), 0.3 leaves it 70% short (red). Negative draws
   * count as 0. Without it no progress is reported.
   */
  progress?: Distribution;
  /**
   * 未报送 — the probability that a month's progress report on an open item with a target is not sent
   * (the unit says nothing that month; what it achieved is reported with the next report it sends):
   * 1 never reports. In a campaign whose kind is carded every month (`every: 每月`) the engine cards the
   * unreported month at its turn anyway (按月亮牌); otherwise the item keeps its last light. Without it
   * every month is reported.
   * @minimum 0
   * @maximum 1
   */
  unreported?: number;
  /**
   * 调度亮牌 — at each monthly roll-call the office labels every open item without a target
   * (`item.assessed`): the probability of each label, e.g. `{ blue: 0.6, yellow: 0.25, red: 0.05 }`;
   * what is left of 1 is no label that month (the item keeps its last). Without it the office labels nothing.
   */
  labels?: ItemLabels;
}

/**
 * The office's labels at a roll-call (调度亮牌) and their probabilities, adding up to at most 1.
 * 月度调度时各种标签的概率（之和不超过 1）。
 */
export interface ItemLabels {
  /**
   * 蓝签 — on schedule and judged able to finish on time.
   */
  blue?: Probability;
  /**
   * 绿灯 — on schedule.
   */
  green?: Probability;
  /**
   * 黄牌 — slow, or a node date missed, but completion still judged likely.
   */
  yellow?: Probability;
  /**
   * 红灯 — stalled, or on-time completion judged unlikely.
   */
  red?: Probability;
}

/**
 * What follows a finding (整改 → 复验). Probabilities of the outcomes; what is left of 1 is
 * "never rectified". 发现问题后的整改行为（概率之和不超过 1，余数为“未整改”）。
 */
export interface RectificationBehaviour {
  /**
   * 按期整改 — rectified before the deadline and passes re-inspection.
   * @minimum 0
   * @maximum 1
   */
  onTime: number;
  /**
   * 逾期整改 — rectified after the deadline and passes re-inspection.
   * @minimum 0
   * @maximum 1
   */
  late: number;
  /**
   * 复验不合格 — rectified on time but fails re-inspection (then the next round repeats the draw).
   * @minimum 0
   * @maximum 1
   */
  failsReinspection: number;
}

/**
 * A distribution of a number of days or of a score. `normal` needs `mean` and `sd`, `uniform`
 * needs `min` and `max`, `exponential` needs `mean`, `fixed` needs `mean`. Samples are never
 * negative when they are days.
 * 分布：normal（正态，mean/sd）、uniform（均匀，min/max）、exponential（指数，mean）、fixed（固定值，mean）。
 */
export interface Distribution {
  /**
   * 分布类型 — normal, uniform, exponential or fixed.
   */
  kind: 'normal' | 'uniform' | 'exponential' | 'fixed';
  /**
   * 均值 — the mean (normal, exponential, fixed).
   */
  mean?: number;
  /**
   * 标准差 — the standard deviation (normal).
   * @minimum 0
   */
  sd?: number;
  /**
   * 最小值 — the lower bound (uniform).
   */
  min?: number;
  /**
   * 最大值 — the upper bound (uniform).
   */
  max?: number;
}

/**
 * 发现率 — findings per unit per month (a Poisson rate).
 * @minimum 0
 */
export type FindingRate = number;

/**
 * 概率 — a probability between 0 and 1.
 * @minimum 0
 * @maximum 1
 */
export type Probability = number;
