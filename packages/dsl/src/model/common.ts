/**
 * Building blocks shared by every construct of a process file.
 * 过程文件中各个结构共用的基本类型。
 *
 * These type aliases carry the JSDoc that `typescript-json-schema` turns into the JSON Schema's
 * descriptions, so the editor shows them on hover while policy staff type.
 */

/**
 * 标识符 — an id. Chinese or ASCII, no spaces, dots or slashes: 动员部署, 五评, 自评.
 * @pattern ^[^\s./]+$
 * @minLength 1
 */
export type Id = string;

/**
 * 标题 — a human title, in Chinese as the directive writes it.
 * @minLength 1
 */
export type Title = string;

/**
 * 日期 — a day in the campaign year. Accepted forms:
 * "10-18", "10月18日", "10月18日前", "7月上旬" / "7月中旬" / "7月下旬", "12月初", "年底", "年初",
 * "一季度末", "上半年", a full date "2010-10-18", or relative to the campaign start "start+30d" /
 * "开始后30天". A year may come first, written out ("2024年6月底前", "2026年底") or counted from the
 * campaign year ("次年1月底前", "翌年3月", "第二年6月", "第三年年底").
 * @minLength 1
 */
export type DateExpression = string;

/**
 * 截止时间 — a due date: a DateExpression ("10月18日前"), or relative to a phase start or a task's
 * completion: "动员部署后5个工作日内", "5 working days after 动员部署", "开始后30天".
 * @minLength 1
 */
export type DueExpression = string;

/**
 * 时段 — a calendar window: "4月至5月", "6月至11月", "12月", "下半年", "04-01..05-31",
 * "10月1日至10月20日", or relative to the campaign start "start+0d..start+30d"; with years
 * "2008-01-01..2008-02-29", "2008年1月至2月" (the start's year serves the end), "2024年3月至2026年12月",
 * "2024至2026年", "次年1月至3月".
 * @minLength 1
 */
export type WindowExpression = string;

/**
 * 期限 — a length of time: "15天", "15 days", "5个工作日", "5 working days", "1个月", "1 month", "2周".
 * @minLength 1
 */
export type DurationExpression = string;

/**
 * 周期 — how often a duty recurs: 每月 / monthly, 每季度 / quarterly, 每半年 / half-yearly,
 * 每年 / yearly, 每周 / weekly (periods counted from the phase start); by the calendar 每月底,
 * 每季度末, 每半年末, 每年底 (each calendar period, due on its last day), 每月5日前 (each month,
 * due on the 5th of the month after), 每年12月, 每年1月中旬和7月中旬 (those months of every year,
 * due on the day named); or an RFC 5545 rule "FREQ=MONTHLY;BYMONTHDAY=-1".
 * @minLength 1
 */
export type RecurrenceExpression = string;

/**
 * 条件 — a condition in the small, safe expression language (never executed as code):
 * names `flags.<标记>`, `scores.<评价>`, `ladders.<阶梯>`, `overdue`, `subject.kind`, `subject.id`,
 * `subject.cohort` (the unit's 批次 id, '' without one), `subject.started` (false while 未启动),
 * `rank` (in a ranking band only) and the event fields of the spot (`event.task`, `event.option`…
 * and the fields a trigger declares); operators `== != < <= > >= and or not && || !`; literals
 * numbers, 'text', true, false. Every name must exist where the condition is written.
 * Example: "event.来源 == '群众举报' and not flags.取消评先评优".
 * @minLength 1
 */
export type Expression = string;

/**
 * 对象类型 — whom a rule applies to: a unit (单位/支部) or a member (党员/干部).
 */
export type SubjectKind = 'unit' | 'member';

/**
 * 错过处理 — what happens to the occurrences of a recurring duty whose start passed while the engine
 * was stopped: "fire-once-late" (补发一次, the default) opens only the latest of them, late, and the
 * earlier ones are skipped, never opened and never overdue; "fire-each" (逐次补发) opens every one of
 * them, each with its own deadline, so those already past it go overdue at once (every missed monthly
 * report counts as overdue); "skip" (跳过) opens none of them.
 */
export type MissedPolicy = 'fire-once-late' | 'fire-each' | 'skip';

/** 来源文件 — the directive this process models. */
export interface SourceDocument {
  /** 文件标题 — the directive's title as printed. */
  title: Title;
  /** 文号 — the document number, e.g. 武建局党字〔2009〕8号. */
  number?: string;
  /** 发文机关 — the issuing office. */
  issuer?: string;
  /** 发布日期 — the date of issue, YYYY-MM-DD. @pattern ^\d{4}-\d{2}-\d{2}$ */
  date?: string;
  /** 原文位置 — where the text is kept (a file path or address). */
  location?: string;
}

/** 节假日补充 — holidays and make-up working days (调休) the built-in calendar lacks. */
export interface HolidayCalendar {
  /** 放假日期 — extra non-working days, YYYY-MM-DD. */
  holidays?: string[];
  /** 调休上班 — extra working days (weekend days worked), YYYY-MM-DD. */
  workdays?: string[];
}
