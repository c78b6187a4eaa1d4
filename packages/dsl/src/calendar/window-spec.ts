import { arabicNumerals } from './chinese-numerals.js';
import { parseDateSpec, splitYear, type DateSpec } from './date-spec.js';

/** A calendar window: its first and last day (both inclusive). */
export interface WindowSpec {
  readonly start: DateSpec;
  readonly end: DateSpec;
}

/**
 * Reads a window: "4月至5月", "6月至11月", "12月", "7月中旬", "04-01..05-31", "10月1日至10月20日",
 * "start+0d..start+30d", and with years: "2008-01-01..2008-02-29", "2008年1月至2月",
 * "2024年3月至2026年12月", "2024年至2026年", "次年上半年". Returns undefined when the text is not a window.
 */
export function parseWindowSpec(raw: string): WindowSpec | undefined {
  const text = arabicNumerals(raw.trim()).replace(/\s+/g, '').replace(/(阶段|期间)$/, '');
  const parts = text.split(/\.\.|至|到|~|—|–/);
  if (parts.length === 1) {
    const start = parseDateSpec(text, 'start');
    const end = parseDateSpec(text, 'end');
    return start && end ? { start, end } : undefined;
  }
  if (parts.length !== 2) return undefined;
  const [from, to] = parts as [string, string];
  // "6至11月", "2024至2026年": the suffix written once serves both sides.
  const fromText = /^\d{1,2}$/.test(from) && /月/.test(to) ? `${from}月` : /^\d{4}$/.test(from) && /^\d{4}年$/.test(to) ? `${from}年` : from;
  const start = parseDateSpec(fromText, 'start');
  const end = parseDateSpec(to, 'end');
  if (!start || !end) return undefined;
  return { start, end: splitYear(to).year === undefined ? sameYearAs(start, end) : end };
}

/**
 * The end of "2008年1月至2月" is in the start's year (2008年2月): a year written on the start serves
 * the end too, and an end month before the start month is in the year after ("2024年12月至1月").
 */
function sameYearAs(start: DateSpec, end: DateSpec): DateSpec {
  if (start.kind !== 'month-day' || end.kind !== 'month-day' || end.year !== undefined) return end;
  const turn = end.month < start.month ? 1 : 0;
  if (start.year !== undefined) return { ...end, year: start.year + turn };
  if (start.yearOffset !== undefined) return { ...end, yearOffset: start.yearOffset + turn };
  return end;
}
