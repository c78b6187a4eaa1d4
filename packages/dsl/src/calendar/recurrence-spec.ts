import rrule from 'rrule';
import { arabicNumerals } from './chinese-numerals.js';
import { parseDateSpec } from './date-spec.js';
import type { DurationSpec } from './duration-spec.js';

const { RRule } = rrule;

/**
 * A recurrence as an RFC 5545 rule, with the length of one period for default due dates. A form
 * written as directives write it (每季度末, 每月5日前, 每年1月中旬和7月中旬) also says when each
 * occurrence is due (`due`) and that its occurrences are calendar periods (`aligned`).
 */
export interface RecurrenceSpec {
  /** The rule without DTSTART, e.g. "FREQ=MONTHLY;INTERVAL=3"; calendar forms fix the days (BYMONTH, BYMONTHDAY). */
  readonly rrule: string;
  readonly period: DurationSpec;
  /** 截止规则 — when an occurrence is due, counted from the month it starts in; without it, when the next one starts. */
  readonly due?: OccurrenceDue;
  /**
   * 按自然周期 — the occurrences are calendar periods (the quarters of 每季度末, the months of
   * 每月5日前), not periods counted from the phase start: a phase that starts inside one has that
   * period from its start, when its deadline is still ahead.
   */
  readonly aligned?: true;
}

/** An occurrence's deadline: day `day` (or the last) of the month `monthsAfter` months after the month it starts in. */
export interface OccurrenceDue {
  readonly monthsAfter: number;
  readonly day: number | 'last';
}

// Maps, not plain objects: the name comes from the file (`every: constructor` must not find
// Object.prototype.constructor).
const NAMED: ReadonlyMap<string, string> = new Map(Object.entries({
  每周: 'FREQ=WEEKLY',
  weekly: 'FREQ=WEEKLY',
  每月: 'FREQ=MONTHLY',
  monthly: 'FREQ=MONTHLY',
  每季: 'FREQ=MONTHLY;INTERVAL=3',
  每季度: 'FREQ=MONTHLY;INTERVAL=3',
  quarterly: 'FREQ=MONTHLY;INTERVAL=3',
  每半年: 'FREQ=MONTHLY;INTERVAL=6',
  'half-yearly': 'FREQ=MONTHLY;INTERVAL=6',
  semiannually: 'FREQ=MONTHLY;INTERVAL=6',
  每年: 'FREQ=YEARLY',
  yearly: 'FREQ=YEARLY',
  annually: 'FREQ=YEARLY',
}));

/**
 * Calendar periods due at their end or on a day after it (每季度末: each quarter, due on its last
 * day). 每季度 and 每半年 stay counted from the phase start, as before.
 */
const CALENDAR_NAMED: ReadonlyMap<string, RecurrenceSpec> = new Map(
  (
    [
      [['每月末', '每月底', '每月月底', 'end of each month'], 'FREQ=MONTHLY;BYMONTHDAY=1', { amount: 1, unit: 'month' }, 0],
      [['每季度末', '每季末', '每季度结束', 'end of each quarter'], 'FREQ=YEARLY;BYMONTH=1,4,7,10;BYMONTHDAY=1', { amount: 3, unit: 'month' }, 2],
      [['每半年末', '每半年底', 'end of each half-year'], 'FREQ=YEARLY;BYMONTH=1,7;BYMONTHDAY=1', { amount: 6, unit: 'month' }, 5],
      [['每年底', '每年末', '每年年底', '每年年末', 'end of each year'], 'FREQ=YEARLY;BYMONTH=1;BYMONTHDAY=1', { amount: 1, unit: 'year' }, 11],
    ] as const
  ).flatMap(([names, rule, period, monthsAfter]) =>
    names.map((name): [string, RecurrenceSpec] => [name, { rrule: rule, period, due: { monthsAfter, day: 'last' }, aligned: true }]),
  ),
);

/** The most parts a yearly form lists (每年1月、4月、7月和10月…): one per month. */
const MAX_YEARLY_PARTS = 12;

/**
 * Reads the calendar forms beyond the named ones: "每月5日前" (each month's report, due on the 5th
 * of the month after: 每月5日前报送上月情况) and "每年12月", "每年1月中旬和7月中旬", "每年6月底前和12月底前"
 * (each named month of every year, opening on its first day and due at the date's end). Undefined
 * when the text is none of them; a problem when it is one but cannot be read as a whole.
 */
function calendarForm(text: string): RecurrenceSpec | RecurrenceProblem | undefined {
  const named = CALENDAR_NAMED.get(text) ?? CALENDAR_NAMED.get(text.toLowerCase());
  if (named) return named;
  const digits = arabicNumerals(text).replace(/\s+/g, '');
  let m: RegExpExecArray | null;
  if ((m = /^每月(\d{1,2})[日号](?:之前|以前|前)$/.exec(digits))) {
    const day = Number(m[1]);
    if (day < 1 || day > 28) return 'bad-day';
    return { rrule: 'FREQ=MONTHLY;BYMONTHDAY=1', period: { amount: 1, unit: 'month' }, due: { monthsAfter: 1, day }, aligned: true };
  }
  if (!(m = /^每年(.+)$/.exec(digits))) return undefined;
  const parts = (m[1] as string).split(/和|及|、|,|，/);
  if (parts.length > MAX_YEARLY_PARTS) return 'unknown-form';
  const months: number[] = [];
  const days: (number | 'last')[] = [];
  for (const part of parts) {
    // Only a month or a day in one (12月, 1月中旬, 6月底前, 12月20日前): a year or a quarter is no day of every year.
    if (!/^\d{1,2}月/.test(part)) return 'unknown-form';
    const date = parseDateSpec(part, 'end');
    if (!date || date.kind !== 'month-day' || date.year !== undefined || date.yearOffset !== undefined) return 'unknown-form';
    if (date.day !== 'last' && date.day > 28 && date.day > lastDayOf(date.month)) return 'bad-day';
    months.push(date.month);
    days.push(date.day);
  }
  const dueDay = oneDueDay(days, months);
  if (dueDay === undefined) return 'mixed-days';
  const byMonth = [...new Set(months)].sort((a, b) => a - b);
  return {
    rrule: `FREQ=YEARLY;BYMONTH=${byMonth.join(',')};BYMONTHDAY=1`,
    period: { amount: 1, unit: 'year' },
    due: { monthsAfter: 0, day: dueDay },
    aligned: true,
  };
}

/**
 * The one day of the month the listed months fall due on: the same day in each, or each month's
 * last (6月30日和12月31日 is 月底 twice). Undefined when they differ.
 */
function oneDueDay(days: readonly (number | 'last')[], months: readonly number[]): number | 'last' | undefined {
  if (days.every((d) => d === days[0])) return days[0];
  const last = days.every((d, i) => d === 'last' || d === lastDayOf(months[i] ?? 0));
  return last ? 'last' : undefined;
}

/** The last day of a month in a year that is not a leap year (2月 is 28: "2月28日" is its last day every year but one in four). */
function lastDayOf(month: number): number {
  return month === 2 ? 28 : [4, 6, 9, 11].includes(month) ? 30 : 31;
}

const FREQUENCY_UNITS: ReadonlyMap<number, DurationSpec['unit']> = new Map([
  [RRule.YEARLY, 'year'],
  [RRule.MONTHLY, 'month'],
  [RRule.WEEKLY, 'week'],
  [RRule.DAILY, 'day'],
]);

/** Why a text is not a recurrence this release reads. */
export type RecurrenceProblem =
  | 'unknown-form'
  | 'bad-rule'
  | 'no-frequency'
  | 'start-in-rule'
  | 'unsupported-frequency'
  | 'bad-interval'
  | 'bad-day'
  | 'mixed-days';

/** What a problem means, in both languages, for a policy officer (never the rule library's own text alone). */
const PROBLEMS: ReadonlyMap<RecurrenceProblem, { readonly en: string; readonly zh: string }> = new Map([
  ['unknown-form', { en: 'it is not one of the named periods', zh: '不是可识别的周期写法' }],
  ['bad-rule', { en: 'the RRULE cannot be read', zh: 'RRULE 规则无法解析' }],
  ['no-frequency', { en: 'the RRULE has no FREQ it knows (DAILY, WEEKLY, MONTHLY, YEARLY)', zh: 'RRULE 缺少可识别的 FREQ（频率：DAILY、WEEKLY、MONTHLY、YEARLY）' }],
  ['start-in-rule', { en: 'the start comes from the phase window, not from DTSTART in the rule', zh: '起始时间由阶段时段决定，规则中不能写 DTSTART' }],
  ['unsupported-frequency', { en: 'only DAILY, WEEKLY, MONTHLY and YEARLY rules are supported', zh: '只支持 DAILY、WEEKLY、MONTHLY、YEARLY 四种频率' }],
  ['bad-interval', { en: 'INTERVAL must be a positive whole number', zh: 'INTERVAL 必须是正整数' }],
  ['bad-day', { en: 'a day that recurs must exist in every month it names (write 月底 for the last day; 每月 days go up to 28)', zh: '重复的日期必须在所列每个月都存在（月末请写“月底”；“每月N日”最多到28日）' }],
  ['mixed-days', { en: 'the months listed must fall due on the same day of their month (e.g. 1月中旬和7月中旬), or be written as separate duties', zh: '所列各月的截止日须相同（如“1月中旬和7月中旬”），否则请分别写成几项任务' }],
]);

/** A recurrence problem in words: English and Chinese. */
export function recurrenceProblemText(problem: RecurrenceProblem): { readonly en: string; readonly zh: string } {
  return PROBLEMS.get(problem) ?? { en: problem, zh: problem };
}

/** A text that is not a recurrence: why, in English (`error`) and as a kind (`problem`). */
export interface RecurrenceError {
  readonly error: string;
  readonly problem: RecurrenceProblem;
}

function refused(problem: RecurrenceProblem): RecurrenceError {
  return { error: recurrenceProblemText(problem).en, problem };
}

/**
 * Reads a recurrence: a named period (每月, 每季度, 每半年, 每年, monthly…), a calendar form
 * (每季度末, 每月5日前, 每年12月, 每年1月中旬和7月中旬) or an RRULE without DTSTART. Returns why it is not one instead of throwing; the rule library's own message is never
 * the answer, since a text like 每年1月中旬和7月中旬 would come back as "Unknown RRULE property".
 */
export function parseRecurrenceSpec(raw: string): RecurrenceSpec | RecurrenceError {
  const text = raw.trim();
  const calendar = calendarForm(text);
  if (typeof calendar === 'string') return refused(calendar);
  if (calendar) return calendar;
  const named = NAMED.get(text) ?? NAMED.get(text.toLowerCase());
  if (named === undefined && !/FREQ=/i.test(text)) return refused('unknown-form');
  const rule = named ?? text.replace(/^RRULE:/i, '');
  let options;
  try {
    options = RRule.parseString(rule);
  } catch {
    return refused('bad-rule');
  }
  if (options.freq === undefined) return refused('no-frequency');
  if (options.dtstart) return refused('start-in-rule');
  const unit = FREQUENCY_UNITS.get(options.freq);
  if (!unit) return refused('unsupported-frequency');
  const interval = options.interval ?? 1;
  if (!Number.isInteger(interval) || interval < 1) return refused('bad-interval');
  return { rrule: RRule.optionsToString(options).replace(/^RRULE:/, ''), period: { amount: interval, unit } };
}

/**
 * 每月 — whether a recurrence is one month at a time counted from the start (每月, monthly,
 * FREQ=MONTHLY): the months of a campaign year, as an item kind's monthly cards (`every`) count them.
 * A calendar form (每月底, 每月5日前) or any other period is not.
 */
export function isMonthlyRecurrence(text: string): boolean {
  const spec = parseRecurrenceSpec(text);
  return !('error' in spec) && /^FREQ=MONTHLY(;INTERVAL=1)?$/.test(spec.rrule) && spec.aligned !== true;
}
