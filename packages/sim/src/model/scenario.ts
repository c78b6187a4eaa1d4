/**
 * The scenario file format (情景文件): the assumptions a planner makes about how the units of an
 * organisation will behave during a campaign. These types are the single source of truth: the JSON
 * Schema in `schema/scenario.schema.json` is generated from them, JSDoc included, so editors show
 * these descriptions on hover.
 */

import type { BehaviourSet, Distribution, Probability } from './behaviour.js';

export type * from './behaviour.js';

/**
 * A scenario (模拟情景): the organisation a campaign runs over and how its units behave.
 * 一个模拟情景：活动覆盖的组织，以及各单位的行为假设。
 */
export interface ScenarioFile {
  /**
   * 类别 — always `scenario`.
   */
  kind: 'scenario';
  /**
   * 情景编号 — the scenario's id, e.g. `002-baseline`.
   */
  id: string;
  /**
   * 标题 — a title for reports, e.g. 基准情景.
   */
  title?: string;
  /**
   * 说明 — what the scenario assumes and why.
   */
  note?: string;
  /**
   * 活动编号 — the campaign (process id) this scenario is written for, e.g. 机关作风建设年. Checked
   * against the simulated process when given.
   */
  process?: string;
  /**
   * 随机种子 — the seed of the pseudo-random generator: the same scenario and seed give the same
   * result, byte for byte.
   * @TJS-type integer
   * @minimum 0
   * @maximum 4294967295
   */
  seed: number;
  /**
   * 组织 — a generated organisation (units, members per unit, kinds of unit). Give this or
   * `organisationFile`.
   */
  organisation?: GeneratedOrganisation;
  /**
   * 组织文件 — a YAML or JSON file with the organisation tree (`{ id, units: [{ id, kind, members }] }`),
   * relative to the scenario file. Give this or `organisation`.
   */
  organisationFile?: string;
  /**
   * 行为假设 — how units behave: `default` for every unit, and overrides per kind of unit.
   */
  behaviour: BehaviourSet;
  /**
   * 决定 — how the decisions of phases that end on a decision (`exit: decision`) are taken, per
   * decision id, e.g. `{ 是否延长: { options: { 延长: 0.3, 结束: 0.7 }, delay: { kind: uniform, min: 3, max: 10 } } }`.
   * A decision not listed is never taken: the phase then stays open.
   */
  decisions?: { [decision: string]: DecisionBehaviour };
  /**
   * 拒收上限 — the largest share of the host events the run sends that the engine may refuse, default
   * 0.05. Above it the run fails (`SIM_TOO_MANY_REFUSED`, with the refusals by code): the scenario
   * asks for what the process does not allow, and its figures would mislead. 1 never fails.
   * @minimum 0
   * @maximum 1
   */
  maxRefusedShare?: number;
  /**
   * 终止日期 — the day the office closes the campaign (终止活动: a standing mechanism stopped, a
   * campaign rescinded), e.g. `2026-07-01`: at the start of that day (in the campaign's time zone),
   * before anything else at that instant (that day's work never opens; a deadline of the day before,
   * falling due as it ends, is ruled over with the rest), every unit still running ends as
   * `Engine.closeCampaign` ends it (its open work ruled over, no more deadlines, reports, rankings or
   * gradings), so a planner can ask "what if we stop the mechanism mid-year". A day within the run
   * (after its start, before its end; SIM_BAD_CLOSE_AT otherwise).
   * @pattern ^\d{4}-\d{2}-\d{2}$
   */
  closeAt?: string;
}

/**
 * How one decision is taken (作出决定): which option, with what probability, how long after the
 * phase opens. 决定的假设：选哪个选项、概率多大、阶段开始后多少天作出。
 */
export interface DecisionBehaviour {
  /**
   * 选项概率 — option id → the probability it is chosen; what is left of 1 is "never decided" (the
   * phase stays open until the campaign ends).
   */
  options: { [option: string]: Probability };
  /**
   * 决定时间 — days from the moment the phase opens (for the unit) to the decision.
   */
  delay: Distribution;
  /**
   * 决定范围 — `campaign` (default): the leading group decides once, the same option and delay for
   * every unit; `unit`: each unit's decision is drawn on its own.
   */
  scope?: 'campaign' | 'unit';
}

/**
 * A generated organisation (生成的组织): an office over `units` units of `membersPerUnit` members.
 * 生成的组织：一个牵头机关，下设若干单位，每个单位若干党员干部。
 */
export interface GeneratedOrganisation {
  /**
   * 牵头机关 — the id of the root (the office that issued the directive), default `office`.
   */
  office?: string;
  /**
   * 单位数 — how many units do the campaign, e.g. 73 市直单位.
   * @TJS-type integer
   * @minimum 1
   * @maximum 100000
   */
  units: number;
  /**
   * 每单位人数 — members (党员干部) per unit.
   * @TJS-type integer
   * @minimum 0
   * @maximum 10000
   */
  membersPerUnit: number;
  /**
   * 单位类别 — kinds of unit and their shares, e.g. `[{ id: 窗口单位, share: 0.3 }, { id: 机关科室, share: 0.7 }]`.
   * Units are given kinds in blocks, by the largest-remainder rule. Without kinds every unit is `unit`.
   */
  kinds?: UnitKindShare[];
  /**
   * 批次 — the campaign's cohorts (批次) and their shares of the units, e.g.
   * `[{ id: 第一批, share: 0.3 }, { id: 第二批, share: 0.7 }]`: counts by the largest-remainder rule,
   * spread evenly over the units (not in blocks, so kinds and cohorts mix). Each id must be a cohort
   * the campaign declares. Without it no unit has a cohort: all start with the campaign.
   */
  cohorts?: CohortShare[];
  /**
   * 分层 — places the units under intermediate units (e.g. 镇办 over 支部), round-robin.
   */
  nesting?: Nesting;
}

/**
 * A kind of unit and its share of all units. 单位类别及其占比。
 */
export interface UnitKindShare {
  /**
   * 类别 — the kind's id, used as a key of `behaviour.kinds`.
   */
  id: string;
  /**
   * 占比 — the share of units of this kind; shares are normalised, so `3` and `7` work like 0.3 and 0.7.
   * @exclusiveMinimum 0
   */
  share: number;
}

/**
 * A cohort (批次) of the campaign and its share of the units. 批次及其占比。
 */
export interface CohortShare {
  /**
   * 批次 — a cohort id the campaign declares (`cohorts` of the process file).
   */
  id: string;
  /**
   * 占比 — the share of units in this cohort; shares are normalised, so `3` and `7` work like 0.3 and 0.7.
   */
  share: number;
}

/**
 * Intermediate units between the office and the units (一级抓一级). 中间层级。
 */
export interface Nesting {
  /**
   * 中间单位数 — how many intermediate units; the units are spread over them round-robin.
   * @TJS-type integer
   * @minimum 1
   */
  groups: number;
  /**
   * 中间单位类别 — the kind of the intermediate units, default `group`.
   */
  kind?: string;
  /**
   * 中间单位人数 — members of each intermediate unit, default 0.
   * @TJS-type integer
   * @minimum 0
   */
  members?: number;
}
