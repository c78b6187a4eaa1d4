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

/** Why a text is not a recurrence this release reads. */
export type RecurrenceProblem = 'unknown-form' | 'bad-rule' | 'no-frequency' | 'start-in-rule' | 'unsupported-frequency' | 'bad-interval';

/** What a problem means, in both languages, for a policy officer (never the rule library's own text alone). */
const PROBLEMS: ReadonlyMap<RecurrenceProblem, { readonly en: string; readonly zh: string }> = new Map([
  ['unknown-form', { en: 'it is not one of the named periods', zh: '不是可识别的周期写法' }],
  ['bad-rule', { en: 'the RRULE cannot be read', zh: 'RRULE 规则无法解析' }],
  ['no-frequency', { en: 'the RRULE has no FREQ it knows (DAILY, WEEKLY, MONTHLY, YEARLY)', zh: 'RRULE 缺少可识别的 FREQ（频率：DAILY、WEEKLY、MONTHLY、YEARLY）' }],
  ['start-in-rule', { en: 'the start comes from the phase window, not from DTSTART in the rule', zh: '起始时间由阶段时段决定，规则中不能写 DTSTART' }],
  ['unsupported-frequency', { en: 'only DAILY, WEEKLY, MONTHLY and YEARLY rules are supported', zh: '只支持 DAILY、WEEKLY、MONTHLY、YEARLY 四种频率' }],
  ['bad-interval', { en: 'INTERVAL must be a positive whole number', zh: 'INTERVAL 必须是正整数' }],
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
 * Reads a recurrence: a named period (每月, 每季度, 每半年, 每年, monthly…) or an RRULE without
 * DTSTART. Returns why it is not one instead of throwing; the rule library's own message is never
 * the answer, since a text like 每年1月中旬和7月中旬 would come back as "Unknown RRULE property".
 */
export function parseRecurrenceSpec(raw: string): RecurrenceSpec | RecurrenceError {
  const text = raw.trim();
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
