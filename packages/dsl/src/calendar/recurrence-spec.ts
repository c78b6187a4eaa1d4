import rrule from 'rrule';
import type { DurationSpec } from './duration-spec.js';

const { RRule } = rrule;

/** A recurrence as an RFC 5545 rule, with the length of one period for default due dates. */
export interface RecurrenceSpec {
  /** The rule without DTSTART, e.g. "FREQ=MONTHLY;INTERVAL=3". */
  readonly rrule: string;
  readonly period: DurationSpec;
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

const FREQUENCY_UNITS: ReadonlyMap<number, DurationSpec['unit']> = new Map([
  [RRule.YEARLY, 'year'],
  [RRule.MONTHLY, 'month'],
  [RRule.WEEKLY, 'week'],
  [RRule.DAILY, 'day'],
]);

/** Reads a recurrence; returns an error text instead of throwing when it is not one. */
export function parseRecurrenceSpec(raw: string): RecurrenceSpec | { error: string } {
  const text = raw.trim();
  const rule = NAMED.get(text) ?? NAMED.get(text.toLowerCase()) ?? text.replace(/^RRULE:/i, '');
  let options;
  try {
    options = RRule.parseString(rule);
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
  if (options.freq === undefined) return { error: 'FREQ is missing' };
  if (options.dtstart) return { error: 'DTSTART is set by the phase window, not in the rule' };
  const unit = FREQUENCY_UNITS.get(options.freq);
  if (!unit) return { error: 'only DAILY, WEEKLY, MONTHLY and YEARLY rules are supported' };
  const interval = options.interval ?? 1;
  if (!Number.isInteger(interval) || interval < 1) return { error: 'INTERVAL must be a positive integer' };
  return { rrule: RRule.optionsToString(options).replace(/^RRULE:/, ''), period: { amount: interval, unit } };
}
