import type { DueExpression, Id, Title, WindowExpression } from './common.js';
import type { Evaluation, Inspection, RecurringDuty, Task } from './work.js';

/**
 * The work a phase, a workstream or a sub-process part contains. 阶段、工作线、子流程环节所含的工作。
 */
export interface StageBody {
  /** 任务 — one-off tasks with due dates. */
  tasks?: Task[];
  /** 常态任务 — recurring duties (每月, 每季度, 每半年). */
  recurring?: RecurringDuty[];
  /** 评价 — evaluations that score each subject. */
  evaluations?: Evaluation[];
  /** 检查整改 — inspection loops. */
  inspections?: Inspection[];
  /** 引用子流程 — reusable sub-processes run here (五评, 五学, 五查). */
  uses?: SubProcessUse[];
  /** 并行工作线 — workstreams that run at the same time inside this stage. */
  workstreams?: Workstream[];
}

/**
 * 工作线 — a workstream that runs in parallel with its siblings: during 组织实施,
 * 学习教育, 调查研究, 五比, 作风措施 and 五评 all run at once.
 */
export interface Workstream extends StageBody {
  id: Id;
  title: Title;
  /** 英文标题 — an English title (optional). */
  titleEn?: string;
  /** 原文 — the sentence of the directive this models. */
  quote?: string;
  /** 说明 — a note, e.g. why a default was chosen where the directive is silent. */
  note?: string;
}

/** 引用子流程 — runs a sub-process defined in its own file, referenced by its id. */
export interface SubProcessUse {
  /** 子流程 — the id of the sub-process file (kind: subprocess). */
  use: Id;
  /**
   * 本地标识 — the use's name; default the sub-process id. A sub-process the campaign runs more than
   * once (in two phases, or inside another sub-process too) runs once per use, and each use's work is
   * named `name/id` (`考评2007/自评`) in host events, queries and ranking weights; two uses without a
   * name of their own are refused (DSL_USE_UNNAMED_TWICE). Used once, its work keeps its ids.
   */
  id?: Id;
  /** 标题 — default the sub-process title. */
  title?: Title;
  /** 截止 — when the whole sub-process must be finished. Default: the end of the enclosing window. */
  due?: DueExpression;
  /** 原文 — the sentence of the directive this models. */
  quote?: string;
  /** 说明 — a note, e.g. why a default was chosen where the directive is silent. */
  note?: string;
}

/**
 * 离开规则 — when a phase ends:
 * window-end 时段结束即进入下一阶段 · all-required-done 必须任务全部完成 ·
 * decision 由决定决定去向 (see `decisions`).
 */
export type ExitRule = 'window-end' | 'all-required-done' | 'decision';

/** 决定 — an explicit decision that ends a phase and chooses where to go next. */
export interface Decision {
  id: Id;
  title: Title;
  /** 决定者 — the role that decides. */
  by: Id;
  /**
   * 选项 — the choices and the phase each leads to ("end" ends the campaign).
   * @minItems 1
   */
  options: DecisionOption[];
}

/** 选项 — one choice of a decision. */
export interface DecisionOption {
  id: Id;
  title?: Title;
  /** 去向 — a phase id, or "end". */
  next: Id;
  /**
   * 批次 — taking this option puts the unit in this cohort of the campaign's `cohorts` (申报: "2018年
   * 申报验收"): until the cohort starts the unit is 未启动 and the phase it goes to waits.
   */
  cohort?: Id;
}

/**
 * 阶段 — a phase of the campaign. Phases run in sequence: 动员部署 → 组织实施 → 对照检查 → 巩固提高.
 */
export interface Phase extends StageBody {
  id: Id;
  title: Title;
  /** 英文标题 — an English title (optional). */
  titleEn?: string;
  /**
   * 时段 — the phase's calendar window, e.g. "4月至5月". A unit that enters the phase before its
   * window opens (a decision's branch, a phase before it left early) waits in it: none of its work,
   * inspections or decisions opens until the window does.
   */
  window?: WindowExpression;
  /** 离开规则 — default window-end. */
  exit?: ExitRule;
  /** 下一阶段 — the phase that follows; default the next in the list, "end" to finish. */
  next?: Id;
  /** 决定 — decisions that end this phase (with exit: decision). */
  decisions?: Decision[];
  /** 原文 — the sentence of the directive this models. */
  quote?: string;
  /** 说明 — a note, e.g. why a default was chosen where the directive is silent. */
  note?: string;
}
