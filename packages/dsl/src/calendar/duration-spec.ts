import { arabicNumerals } from './chinese-numerals.js';

/** The units a length of time is counted in; working days follow the Chinese working calendar. */
export type DurationUnit = 'day' | 'working-day' | 'week' | 'month' | 'year';

/** A length of time such as "5个工作日" or "15 days". */
export interface DurationSpec {
  readonly amount: number;
  readonly unit: DurationUnit;
}

// Maps, not plain objects: the unit word comes from the file, and "5 constructor" must not find
// Object.prototype.constructor.
const CHINESE_UNITS: ReadonlyMap<string, DurationUnit> = new Map(Object.entries({
  工作日: 'working-day',
  个工作日: 'working-day',
  天: 'day',
  日: 'day',
  周: 'week',
  个周: 'week',
  星期: 'week',
  个星期: 'week',
  个月: 'month',
  月: 'month',
  年: 'year',
}) as [string, DurationUnit][]);

const ENGLISH_UNITS: ReadonlyMap<string, DurationUnit> = new Map(Object.entries({
  'working day': 'working-day',
  'working days': 'working-day',
  'workday': 'working-day',
  'workdays': 'working-day',
  day: 'day',
  days: 'day',
  week: 'week',
  weeks: 'week',
  month: 'month',
  months: 'month',
  year: 'year',
  years: 'year',
}) as [string, DurationUnit][]);

/** Reads a length of time; undefined when the text is not one. */
export function parseDurationSpec(raw: string): DurationSpec | undefined {
  const text = arabicNumerals(raw.trim()).replace(/(以内|之内|内)$/, '');
  let m = /^(\d+)\s*(个?工作日|天|日|个?周|个?星期|个?月|年)$/.exec(text);
  if (m) {
    const unit = CHINESE_UNITS.get(m[2] as string);
    return unit ? { amount: Number(m[1]), unit } : undefined;
  }
  m = /^(\d+)\s*([a-z ]+?)\s*$/i.exec(text);
  if (m) {
    const unit = ENGLISH_UNITS.get((m[2] as string).toLowerCase().replace(/\s+/g, ' '));
    return unit ? { amount: Number(m[1]), unit } : undefined;
  }
  return undefined;
}
