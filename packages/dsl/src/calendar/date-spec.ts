import { arabicNumerals } from './chinese-numerals.js';

/**
 * A day in the campaign, normalised from the forms staff write: a month and day (day "last" for
 * the end of a month) in the campaign year, in a year written out ("2024年6月底", `year`), or in a
 * year counted from the campaign year ("次年1月底": `yearOffset` 1); or a number of days after the
 * campaign start.
 */
export type DateSpec =
  | {
      readonly kind: 'month-day';
      readonly month: number;
      readonly day: number | 'last';
      /** A year written out: 2024年, 2024-06-30. */
      readonly year?: number;
      /** 年份偏移 — years after the campaign year (次年/翌年/第二年: 1, 第三年: 2); never with `year`. */
      readonly yearOffset?: number;
    }
  | { readonly kind: 'from-start'; readonly days: number };

/** Which end of a period a bare month ("5月") or dekad ("7月中旬") stands for. */
export type PeriodSide = 'start' | 'end';

/** The year a date is written in: a year written out, or years after the campaign year. */
export type YearPart = { readonly year: number } | { readonly yearOffset: number };

const PARTS: ReadonlyMap<string, { start: number; end: number | 'last' }> = new Map(Object.entries({
  初: { start: 1, end: 5 },
  上旬: { start: 1, end: 10 },
  中旬: { start: 11, end: 20 },
  中: { start: 11, end: 15 },
  下旬: { start: 21, end: 'last' },
  底: { start: 21, end: 'last' },
  末: { start: 21, end: 'last' },
}) as [string, { start: number; end: number | 'last' }][]);

/** Periods of a year by name: their first and last month (上半年 January to June…). */
const YEAR_PERIODS: ReadonlyMap<string, { first: number; last: number }> = new Map(Object.entries({
  年: { first: 1, last: 12 },
  上半年: { first: 1, last: 6 },
  下半年: { first: 7, last: 12 },
}));

/** Years after the campaign year by name; 第二年 (the campaign's second year) is read by its number. */
const RELATIVE_YEARS: ReadonlyMap<string, number> = new Map(Object.entries({ 当年: 0, 本年: 0, 次年: 1, 翌年: 1 }));

/** Strips the "before" suffix of a deadline: 10月18日前 → 10月18日. */
function withoutBefore(text: string): string {
  return text.replace(/(之前|以前|前)$/, '');
}

/**
 * Splits off the year a date is written in ("2024年6月", "次年1月底", "第3年"), if any. The rest
 * keeps a leading 年 when it names a part of the year ("2026年底" → "年底"), so it reads as
 * the same text without a year.
 */
export function splitYear(text: string): { readonly year?: YearPart; readonly rest: string } {
  let m: RegExpExecArray | null;
  if ((m = /^(\d{4})年(.*)$/.exec(text))) return { year: { year: Number(m[1]) }, rest: yearRest(m[2] as string) };
  if ((m = /^(次年|翌年|当年|本年)(.*)$/.exec(text))) {
    return { year: { yearOffset: RELATIVE_YEARS.get(m[1] as string) ?? 0 }, rest: yearRest(m[2] as string) };
  }
  if ((m = /^第(\d)年(.*)$/.exec(text))) {
    // 第二年 is the campaign's second year: one after the campaign year (第1年 is the campaign year).
    const ordinal = Number(m[1]);
    if (ordinal < 1) return { rest: text };
    return { year: { yearOffset: ordinal - 1 }, rest: yearRest(m[2] as string) };
  }
  return { rest: text };
}

/** "底" after a year is the year's end (2026年底 = 2026年年底); nothing after it is the whole year. */
function yearRest(rest: string): string {
  if (rest === '') return '年';
  return /^(底|末|终|初|中)$/.test(rest) ? `年${rest}` : rest;
}

/**
 * Reads one date. A bare month, a dekad, a quarter or half of a year is a period; `side` picks its
 * first or last day (a deadline "7月中旬" means the end of the dekad, a window's start "4月" means
 * 1 April). Returns undefined when the text is not a date.
 */
export function parseDateSpec(raw: string, side: PeriodSide = 'end'): DateSpec | undefined {
  const text = withoutBefore(arabicNumerals(raw.trim()).replace(/\s+/g, ''));
  let m: RegExpExecArray | null;
  if ((m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text))) {
    return monthDay(Number(m[2]), Number(m[3]), { year: Number(m[1]) });
  }
  if ((m = /^(?:start|开始)\+(\d+)d$/i.exec(text)) || (m = /^(?:活动)?开始(?:后|之后)(\d+)[天日]$/.exec(text))) {
    return { kind: 'from-start', days: Number(m[1]) };
  }
  if (/^(start|开始|活动开始)$/i.test(text)) return { kind: 'from-start', days: 0 };
  const { year, rest } = splitYear(text);
  return dayOfYear(rest, side, year);
}

/** A date inside one year (no year written, or the year already split off). */
function dayOfYear(text: string, side: PeriodSide, year: YearPart | undefined): DateSpec | undefined {
  let m: RegExpExecArray | null;
  if ((m = /^(\d{1,2})-(\d{1,2})$/.exec(text))) return monthDay(Number(m[1]), Number(m[2]), year);
  if ((m = /^(\d{1,2})月(\d{1,2})[日号]?$/.exec(text))) return monthDay(Number(m[1]), Number(m[2]), year);
  if ((m = /^(\d{1,2})月(初|上旬|中旬|中|下旬|底|末)?$/.exec(text))) {
    const part = m[2] ? PARTS.get(m[2]) : { start: 1, end: 'last' as const };
    if (!part) return undefined;
    return monthDay(Number(m[1]), side === 'start' ? part.start : part.end, year);
  }
  // 第一季度, 二季度末: a quarter, its first day or its last (季末 ends the quarter as 月底 ends a month).
  if ((m = /^第?(\d)季度?(末|底)?$/.exec(text))) {
    const quarter = Number(m[1]);
    if (quarter < 1 || quarter > 4) return undefined;
    if (m[2] !== undefined && side === 'start') return monthDay(quarter * 3, 1, year);
    return side === 'start' ? monthDay(quarter * 3 - 2, 1, year) : monthDay(quarter * 3, 'last', year);
  }
  // 年 alone is a whole year only after a year ("2024年", "次年").
  const period = text === '年' && year === undefined ? undefined : YEAR_PERIODS.get(text);
  if (period) return side === 'start' ? monthDay(period.first, 1, year) : monthDay(period.last, 'last', year);
  if ((m = /^(上半年|下半年)(末|底)$/.exec(text))) {
    const half = YEAR_PERIODS.get(m[1] as string);
    return half && monthDay(half.last, side === 'start' ? 1 : 'last', year);
  }
  if (/^(年底|年末|年终|岁末)$/.test(text)) return monthDay(12, side === 'start' ? 1 : 31, year);
  if (/^年初$/.test(text)) return monthDay(1, side === 'start' ? 1 : 31, year);
  if (/^(年中)$/.test(text)) return monthDay(side === 'start' ? 6 : 7, side === 'start' ? 1 : 31, year);
  return undefined;
}

function monthDay(month: number, day: number | 'last', year?: YearPart): DateSpec | undefined {
  if (month < 1 || month > 12) return undefined;
  if (day !== 'last' && (day < 1 || day > 31)) return undefined;
  return { kind: 'month-day', month, day, ...year };
}
