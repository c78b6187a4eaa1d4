import { arabicNumerals } from './chinese-numerals.js';
import { parseDateSpec, type DateSpec } from './date-spec.js';

/** A calendar window: its first and last day (both inclusive). */
export interface WindowSpec {
  readonly start: DateSpec;
  readonly end: DateSpec;
}

/**
 * Reads a window: "4月至5月", "6月至11月", "12月", "7月中旬", "04-01..05-31", "10月1日至10月20日",
 * "start+0d..start+30d". Returns undefined when the text is not a window.
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
  // "6至11月": the month suffix written once serves both sides.
  const fromText = /^\d{1,2}$/.test(from) && /月/.test(to) ? `${from}月` : from;
  const start = parseDateSpec(fromText, 'start');
  const end = parseDateSpec(to, 'end');
  return start && end ? { start, end } : undefined;
}
