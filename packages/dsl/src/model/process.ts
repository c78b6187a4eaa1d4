import type { Cohort } from './cohort.js';
import type { TrafficLights } from './lights.js';
import type { Extensions } from './extensions.js';
import type { TrackedItemKind } from './items.js';
import type { DateExpression, HolidayCalendar, Id, SourceDocument, SubjectKind, Title } from './common.js';
import type { Consequence, EscalationLadder, Grading, Ranking } from './rules.js';
import type { Phase, StageBody, Workstream } from './stage.js';
import type { Action, Flag, Role } from './vocabulary.js';
import type { RecurringDuty } from './work.js';

/** Fields every process file has. 每个过程文件都有的字段。 */
export interface ProcessHeader {
  /** 模式 — the JSON Schema this file is checked against (editors use it). */
  $schema?: string;
  id: Id;
  /**
   * 版本 — bump it when the file changes; running campaigns stay on the version they started with.
   * @TJS-type integer
   * @minimum 1
   */
  version?: number;
  title: Title;
  /** 英文标题 — an English title (optional). */
  titleEn?: string;
  /** 来源文件 — the directive this file models. */
  source?: SourceDocument;
  /** 说明 — a note, e.g. why a default was chosen where the directive is silent. */
  note?: string;
}

/**
 * 活动 — a campaign directive as a process: phases in sequence over a campaign year, run for every
 * unit (and member) of an organisation.
 */
export interface CampaignDefinition extends ProcessHeader {
  /** 类别 — campaign (活动) for a whole directive. */
  kind: 'campaign';
  source: SourceDocument;
  /** 时区 — an IANA time zone. Default Asia/Shanghai. */
  timezone?: string;
  /**
   * 活动年度 — the campaign year; month-day dates ("10月18日") fall in it.
   * @TJS-type integer
   * @minimum 1949
   * @maximum 2200
   */
  year: number;
  /** 开始 — the campaign start. Default: the first phase's window start, or 1 January. */
  start?: DateExpression;
  /** 结束 — the campaign end. Default: the last phase's window end, or 31 December. Not with `standing`. */
  end?: DateExpression;
  /**
   * 长效机制 — a standing mechanism with no end date ("建立长效机制，常抓不懈"): its duties, yearly
   * evaluations and rankings go on year after year until the mechanism is closed by a decision (an
   * option with `next: end`). Its last phase usually has no window. Laid out 50 years ahead at most.
   */
  standing?: boolean;
  /**
   * 周期 — the whole flow of phases repeats every year (每年) or every half-year (每半年) up to the
   * campaign end (`end`, or for a standing mechanism until it is closed): 每年排查 → 认定 → 整顿 → 验收.
   * Windows and month-day dates in the phases are written for the first cycle, from the campaign
   * start; each later cycle shifts them by a year (or six months). A date with its own year cannot
   * repeat and is refused (DSL_CYCLE_FIXED_DATE); every window must lie inside the first cycle
   * (DSL_CYCLE_WINDOW_TOO_LONG); a cycle runs whole, so `end` may not fall inside the last cycle's
   * phases (DSL_CYCLE_CUT_BY_END). The work of a later cycle is named by its label (`自查.2025`).
   */
  cycle?: CycleKind;
  /**
   * 对象 — the kinds of subject the campaign runs over: unit (单位), member (党员/干部).
   * @minItems 1
   */
  subjects: SubjectKind[];
  /** 规模 — the expected organisation size, used to check that rankings are plausible. */
  scale?: OrganisationScale;
  /** 节假日补充 — holidays for years the built-in Chinese calendar does not cover. */
  holidays?: HolidayCalendar;
  /**
   * 批次 — cohorts of units that start at different times (第一批试点, 第二批, 全面推开); a unit
   * names its cohort in the organisation file. Without cohorts every unit starts with the campaign.
   */
  cohorts?: Cohort[];
  /** 角色 — offices and posts. */
  roles?: Role[];
  /** 标记 — flags on a subject's record. */
  flags?: Flag[];
  /** 措施 — named actions (effects for the host). */
  actions?: Action[];
  /**
   * 全程常态任务 — recurring duties of the whole campaign, across all its phases: 每季度报送工作进展,
   * 每半年报送工作总结. They run from the campaign start (or `from`) to its end (or `until`) whichever
   * phase a unit is in, and are written once here rather than in every phase.
   */
  recurring?: RecurringDuty[];
  /**
   * 阶段 — the phases, in order.
   * @minItems 1
   */
  phases: Phase[];
  /** 问责阶梯 — escalation ladders. */
  ladders?: EscalationLadder[];
  /** 规则后果 — consequences on records. */
  consequences?: Consequence[];
  /** 评比排名 — rankings. */
  rankings?: Ranking[];
  /** 等次评定 — grades by score with pass marks (合格线), vetoes (一票否决) and re-assessment (摘帽). */
  grades?: Grading[];
  /**
   * 红黄绿灯 — traffic lights on every task and unit, and urging (催办). Without this key the campaign
   * has no lights: its tasks carry none and no light is shown.
   */
  lights?: TrafficLights;
  /**
   * 督办事项 — kinds of item tracked to closure (销号): 问题, 整改任务, 重点项目. Items of these kinds
   * are opened for a unit by host events (`item.opened`) and followed until struck off.
   */
  items?: TrackedItemKind[];
  /**
   * 申请延期 — extension requests: who decides them and how far they may go. Without this key the
   * campaign allows none (`extension.requested` is refused, ENGINE_NO_EXTENSIONS).
   */
  extensions?: Extensions;
}

/** 规模 — how many units and members the campaign expects. */
export interface OrganisationScale {
  /**
   * 单位数 — how many units.
   * @TJS-type integer
   * @minimum 1
   */
  units?: number;
  /**
   * 人数 — how many members.
   * @TJS-type integer
   * @minimum 1
   */
  members?: number;
}

/**
 * 子流程 — a reusable sub-process in its own file (五评, 五学, 五查), used by id from campaigns
 * and from other sub-processes. Its parts run in parallel (default) or in sequence.
 */
export interface SubProcessDefinition extends ProcessHeader, StageBody {
  /** 类别 — subprocess (子流程). */
  kind: 'subprocess';
  /**
   * 执行方式 — parts run at the same time (parallel, default) or one after another (sequence): in
   * sequence, a use opens only its first part (and the body outside the parts); each next part opens
   * when every required item of the part before is done for that unit (or member), its tasks due by
   * their own `due`, else when the use is due (its `due`, else the phase's window end). A part with no
   * required item does not hold the next one back.
   */
  mode?: 'parallel' | 'sequence';
  /**
   * 环节 — the parts: 自评, 互评, 抽查评议, 社会评议, 群众测评.
   */
  parts?: Workstream[];
  /** 角色 — roles used here and not declared by every campaign that uses it. */
  roles?: Role[];
  /** 标记 — flags used here. */
  flags?: Flag[];
  /** 措施 — actions used here. */
  actions?: Action[];
}

/** 过程文件 — a process file: a campaign or a sub-process. */
export type ProcessFile = CampaignDefinition | SubProcessDefinition;

/** 周期 — how often a cycled campaign's flow repeats: 每年 (every year) or 每半年 (every half-year). */
export type CycleKind = '每年' | '每半年';
