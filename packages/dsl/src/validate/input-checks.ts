import type { DurationSpec } from '../calendar/duration-spec.js';
import type { DslCode } from '../errors/dsl-messages.js';
import { DSL_LIMITS, MAX_DURATION, RESERVED_IDS } from '../limits.js';

/** A finding of the checks below: the code and the values its message names. */
export interface InputProblem {
  readonly code: DslCode;
  readonly params: Record<string, string | number>;
}

/**
 * What is wrong with an id (标识), if anything: a reserved word of the JavaScript object model, an
 * invisible control or format character (NUL, a zero-width space, a direction override: two ids
 * that look the same must be the same), or more characters than `DSL_LIMITS.idLength`.
 */
export function idProblem(id: string): InputProblem | undefined {
  if (RESERVED_IDS.has(id)) return { code: 'DSL_RESERVED_ID', params: { id } };
  const control = /[\p{Cc}\p{Cf}\p{Cs}]/u.exec(id);
  if (control) {
    const codePoint = `U+${(control[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
    return { code: 'DSL_ID_CONTROL_CHARACTER', params: { shown: JSON.stringify(id.length > 60 ? `${id.slice(0, 57)}…` : id), codePoint } };
  }
  if (id.length > DSL_LIMITS.idLength) return { code: 'DSL_ID_TOO_LONG', params: { length: id.length, limit: DSL_LIMITS.idLength } };
  return undefined;
}

const TEXT_KINDS: ReadonlyMap<string, { en: string; zh: string }> = new Map([
  ['date', { en: 'date', zh: '日期' }],
  ['window', { en: 'window', zh: '时段' }],
  ['due', { en: 'due date', zh: '截止时间' }],
  ['duration', { en: 'length of time', zh: '期限' }],
  ['recurrence', { en: 'recurrence', zh: '周期' }],
]);

/**
 * A calendar text longer than `DSL_LIMITS.calendarTextLength`: refused before its patterns run
 * (some backtrack, and "<id>后5天" holds an id of any length).
 */
export function calendarTextProblem(text: string, kind: 'date' | 'window' | 'due' | 'duration' | 'recurrence'): InputProblem | undefined {
  if (text.length <= DSL_LIMITS.calendarTextLength) return undefined;
  const names = TEXT_KINDS.get(kind) as { en: string; zh: string };
  return { code: 'DSL_TEXT_TOO_LONG', params: { kindEn: names.en, kindZh: names.zh, length: text.length, limit: DSL_LIMITS.calendarTextLength } };
}

const UNIT_NAMES: ReadonlyMap<string, { en: string; zh: string }> = new Map([
  ['day', { en: 'days', zh: '天' }],
  ['working-day', { en: 'working days', zh: '个工作日' }],
  ['week', { en: 'weeks', zh: '周' }],
  ['month', { en: 'months', zh: '个月' }],
  ['year', { en: 'years', zh: '年' }],
]);

/**
 * A length of time past `MAX_DURATION` (ten years in its unit). Also refuses amounts that are not
 * exact integers ("<400 digits>天" reads as Infinity): luxon throws on them, and the engine adds
 * working days one at a time.
 */
export function durationProblem(text: string, spec: DurationSpec): InputProblem | undefined {
  const max = MAX_DURATION.get(spec.unit) ?? 0;
  if (Number.isSafeInteger(spec.amount) && spec.amount <= max) return undefined;
  const unit = UNIT_NAMES.get(spec.unit) ?? { en: spec.unit, zh: spec.unit };
  return { code: 'DSL_DURATION_TOO_LONG', params: { text: shorten(text), limit: max, unitEn: unit.en, unitZh: unit.zh } };
}

/** A text as shown inside a message: at most 80 characters. */
export function shorten(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}

/** A list of names for a message: at most 20, then how many more. */
export function nameList(names: Iterable<string>): string {
  const shown: string[] = [];
  let more = 0;
  for (const name of names) {
    if (shown.length < 20) shown.push(shorten(name));
    else more++;
  }
  return more > 0 ? `${shown.join(', ')} … (+${more})` : shown.join(', ');
}
