import { arabicNumerals } from './chinese-numerals.js';

/**
 * A day in the campaign, normalised from the forms staff write: a month and day in the campaign
 * year (day "last" for the end of a month), a full date, or a number of days after the campaign start.
 */
export type DateSpec =
  | { readonly kind: 'month-day'; readonly month: number; readonly day: number | 'last'; readonly year?: number }
  | { readonly kind: 'from-start'; readonly days: number };

/** Which end of a period a bare month ("5月") or dekad ("7月中旬") stands for. */
export type PeriodSide = 'start' | 'end';

const PARTS: ReadonlyMap<string, { start: number; end: number | 'last' }> = new Map(Object.entries({
  初: { start: 1, end: 5 },
  上旬: { start: 1, end: 10 },
  中旬: { start: 11, end: 20 },
  中: { start: 11, end: 15 },
  下旬: { start: 21, end: 'last' },
  底: { start: 21, end: 'last' },
  末: { start: 21, end: 'last' },
}) as [string, { start: number; end: number | 'last' }][]);

/** Strips the "before" suffix of a deadline: 10月18日前 → 10月18日. */
function withoutBefore(text: string): string {
  return text.replace(/(之前|以前|前)$/, '');
}

/**
 * Reads one date. A bare month or a dekad is a period; `side` picks its first or last day (a
 * deadline "7月中旬" means the end of the dekad, a window's start "4月" means 1 April).
 * Returns undefined when the text is not a date.
 */
export function parseDateSpec(raw: string, side: PeriodSide = 'end'): DateSpec | undefined {
  const text = withoutBefore(arabicNumerals(raw.trim()).replace(/\s+/g, ''));
  let m: RegExpExecArray | null;
  if ((m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text))) {
    return monthDay(Number(m[2]), Number(m[3]), Number(m[1]));
  }
  if ((m = /^(\d{1,2})-(\d{1,2})$/.exec(text))) return monthDay(Number(m[1]), Number(m[2]));
  if ((m = /^(?:(\d{4})年)?(\d{1,2})月(\d{1,2})[日号]?$/.exec(text))) {
    return monthDay(Number(m[2]), Number(m[3]), m[1] === undefined ? undefined : Number(m[1]));
  }
  if ((m = /^(\d{1,2})月(初|上旬|中旬|中|下旬|底|末)?$/.exec(text))) {
    const part = m[2] ? PARTS.get(m[2]) : { start: 1, end: 'last' as const };
    if (!part) return undefined;
    return monthDay(Number(m[1]), side === 'start' ? part.start : part.end);
  }
  if (/^(年底|年末|年终|岁末)$/.test(text)) return monthDay(12, side === 'start' ? 1 : 31);
  if (/^年初$/.test(text)) return monthDay(1, side === 'start' ? 1 : 31);
  if (/^(年中)$/.test(text)) return monthDay(side === 'start' ? 6 : 7, side === 'start' ? 1 : 31);
  if ((m = /^(?:start|开始)\+(\d+)d$/i.exec(text)) || (m = /^(?:活动)?开始(?:后|之后)(\d+)[天日]$/.exec(text))) {
    return { kind: 'from-start', days: Number(m[1]) };
  }
  if (/^(start|开始|活动开始)$/i.test(text)) return { kind: 'from-start', days: 0 };
  return undefined;
}

function monthDay(month: number, day: number | 'last', year?: number): DateSpec | undefined {
  if (month < 1 || month > 12) return undefined;
  if (day !== 'last' && (day < 1 || day > 31)) return undefined;
  return year === undefined ? { kind: 'month-day', month, day } : { kind: 'month-day', month, day, year };
}
