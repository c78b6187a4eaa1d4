import type { DateTime } from 'luxon';
import { parseDateSpec } from '../calendar/date-spec.js';
import { parseDueSpec } from '../calendar/due-spec.js';
import { parseDurationSpec, type DurationSpec } from '../calendar/duration-spec.js';
import { parseRecurrenceSpec, recurrenceProblemText } from '../calendar/recurrence-spec.js';
import { earliestEnd, isoDay, resolveDate } from '../calendar/resolve-date.js';
import { DSL_LIMITS } from '../limits.js';
import { calendarTextProblem, durationProblem, shorten } from './input-checks.js';
import { anchorIn, type UseScope } from '../uses/use-namespace.js';
import { REFERENCE_NAMES, type PendingDue, type PhaseFrame, type Place, type SemanticContext } from './semantic-context.js';

// 日期与期限 — the calendar checks of validation: lengths of time, recurrences, dates, due dates
// and whether each falls in its phase's window and in the campaign.

export function readDuration(cx: SemanticContext, text: string | undefined, place: Place): DurationSpec | undefined {
  if (text === undefined) return undefined;
  if (cx.problem(calendarTextProblem(text, 'duration'), place)) return undefined;
  const spec = parseDurationSpec(text);
  if (!spec) {
    cx.report('DSL_BAD_DURATION', 'error', place, { text });
    return undefined;
  }
  if (cx.problem(durationProblem(text, spec), place)) return undefined;
  if (spec.unit === 'working-day') cx.usesWorkingDays = true;
  withinCampaign(cx, text, spec, place);
  return spec;
}

/**
 * A length of time, counted from the campaign start, must end no later than a margin past the
 * campaign's end: a reminder, a rectification period or a duty's time limit longer than that
 * is a slip of the pen (100000000天), and its instant would not be one the engine can store.
 */
export function withinCampaign(cx: SemanticContext, text: string, spec: DurationSpec, place: Place): void {
  const start = cx.campaignStart;
  const end = cx.campaignEnd;
  if (!start?.isValid || !end?.isValid) return;
  const until = earliestEnd(start, spec);
  const margin = DSL_LIMITS.durationMarginDays;
  if (until.isValid && until <= end.plus({ days: margin })) return;
  cx.report('DSL_DURATION_BEYOND_CAMPAIGN', 'error', place, {
    text: shorten(text),
    start: isoDay(start),
    until: until.isValid ? isoDay(until) : '—',
    margin,
    end: isoDay(end),
  });
}

export function readRecurrence(cx: SemanticContext, text: string | undefined, place: Place): void {
  if (text === undefined) return;
  if (cx.problem(calendarTextProblem(text, 'recurrence'), place)) return;
  const spec = parseRecurrenceSpec(text);
  if ('error' in spec) {
    const words = recurrenceProblemText(spec.problem);
    cx.report('DSL_BAD_RECURRENCE', 'error', place, { text, detail: words.en, detailZh: words.zh });
  }
}

export function readDate(cx: SemanticContext, text: string | undefined, place: Place, side: 'start' | 'end' = 'end'): DateTime | undefined {
  if (text === undefined) return undefined;
  if (cx.problem(calendarTextProblem(text, 'date'), place)) return undefined;
  const spec = parseDateSpec(text, side);
  if (spec?.kind === 'from-start' && cx.problem(durationProblem(text, { amount: spec.days, unit: 'day' }), place)) return undefined;
  const resolved = spec && resolveDate(spec, cx.startFrame);
  if (!resolved) {
    cx.report('DSL_BAD_DATE', 'error', place, { text });
    return undefined;
  }
  return resolved;
}

export function readDue(cx: SemanticContext, text: string | undefined, place: Place, phase: PhaseFrame | undefined, scope: UseScope): void {
  if (text === undefined) return;
  if (cx.problem(calendarTextProblem(text, 'due'), place)) return;
  const spec = parseDueSpec(text);
  if (!spec) {
    cx.report('DSL_BAD_DUE', 'error', place, { text });
    return;
  }
  const length = spec.kind === 'after' ? spec.duration : spec.date.kind === 'from-start' ? { amount: spec.date.days, unit: 'day' as const } : undefined;
  if (length && cx.problem(durationProblem(text, length), place)) return;
  if (spec.kind === 'after' && spec.duration.unit === 'working-day') cx.usesWorkingDays = true;
  cx.dues.push({ text, place, phase, scope });
}

export function checkInWindow(cx: SemanticContext, shown: string, date: DateTime, place: Place, phase: PhaseFrame | undefined): void {
  if (cx.campaignEnd && date > cx.campaignEnd) {
    cx.report('DSL_DEADLINE_AFTER_END', 'error', place, { due: shown, end: isoDay(cx.campaignEnd) });
    return;
  }
  // Work may be due after its phase's window (a phase report due weeks after the phase, issue 18):
  // it belongs to the phase and stays open after it. Due before the window opens, it never could be done.
  if (phase?.start && phase.end && date < phase.start) {
    cx.report('DSL_DEADLINE_OUTSIDE_WINDOW', 'error', place, {
      due: shown,
      phase: phase.id,
      start: isoDay(phase.start),
      end: isoDay(phase.end),
    });
  } else if (!phase && cx.campaignStart && date < cx.campaignStart) {
    // A due date is one day, not a window: said as a date before the start.
    cx.report('DSL_DEADLINE_BEFORE_START', 'error', place, { due: shown, campaignStart: isoDay(cx.campaignStart) });
  }
}

/**
 * A recurring duty's `from:` (its start) or `until:` (its end) must lie in its phase's window, or
 * in the campaign: said as a start or an end, never as a deadline.
 */
export function checkDutyBound(cx: SemanticContext, date: DateTime, place: Place, phase: PhaseFrame | undefined, side: 'from' | 'until'): void {
  const start = phase?.start ?? cx.campaignStart;
  const end = phase?.end ?? cx.campaignEnd;
  if (!start || !end || (date >= start && date <= end)) return;
  cx.report('DSL_DUTY_OUTSIDE_WINDOW', 'error', place, {
    date: isoDay(date),
    sideEn: side === 'from' ? 'starts' : 'ends',
    sideZh: side === 'from' ? '开始' : '结束',
    whereEn: phase ? `the window of phase "${phase.id}"` : 'the campaign',
    whereZh: phase ? `阶段「${phase.id}」的时段` : '活动期间',
    start: isoDay(start),
    end: isoDay(end),
  });
}

export function checkDue(cx: SemanticContext, { text, place, phase, scope }: PendingDue): void {
  const spec = parseDueSpec(text);
  if (!spec) return;
  let date: DateTime | undefined;
  if (spec.kind === 'date') {
    date = resolveDate(spec.date, cx.startFrame);
    if (!date) {
      cx.report('DSL_BAD_DUE', 'error', place, { text });
      return;
    }
  } else {
    let from: DateTime | undefined;
    const anchor = anchorIn(scope, spec.anchor);
    if (spec.anchor === 'start') {
      from = cx.campaignStart;
    } else if (cx.phases.has(anchor)) {
      from = cx.phaseStarts.get(anchor);
    } else if (!cx.workIds.has(anchor)) {
      const names = REFERENCE_NAMES.anchor;
      cx.report('DSL_UNKNOWN_REFERENCE', 'error', place, { kindEn: names.en, kindZh: names.zh, id: shorten(spec.anchor), hint: '' });
      return;
    } else {
      // After a task's completion: not known statically, but never before the campaign starts,
      // so a length that ends past the campaign even from its start is surely too long.
      const start = cx.campaignStart;
      const end = cx.campaignEnd;
      const earliest = start && earliestEnd(start, spec.duration);
      if (earliest && end && (!earliest.isValid || earliest > end)) {
        cx.report('DSL_DEADLINE_AFTER_END', 'error', place, { due: earliest.isValid ? isoDay(earliest) : '—', end: isoDay(end) });
        return;
      }
      checkRelativeFits(cx, anchor, spec.duration, place, phase);
      return;
    }
    if (!from) return;
    date = earliestEnd(from, spec.duration);
  }
  // An instant luxon cannot represent compares false with everything: it is an error, never a pass.
  if (!date.isValid) {
    cx.report('DSL_BAD_DUE', 'error', place, { text });
    return;
  }
  checkInWindow(cx, isoDay(date), date, place, phase);
}

export function noteWorkDue(cx: SemanticContext, id: string, text: string | undefined, place: Place, phase: PhaseFrame | undefined, scope: UseScope): void {
  if (!cx.workDues.has(id)) cx.workDues.set(id, { text: text ?? '', place, phase, scope });
}

/**
 * The last day a task, evaluation or use is due on when it is done on time, as far as it is known
 * statically: its date, the end of its phase when it names none, or (counted from another task)
 * that task's last day plus the length at its earliest. Undefined when unknown (a chain longer
 * than the work there is, an anchor that recurs, a phase without a window).
 */
export function lastDayOf(cx: SemanticContext, id: string, depth = 0): DateTime | undefined {
  const work = cx.workDues.get(id);
  if (!work || depth > cx.workDues.size) return undefined;
  if (work.text === '') return work.phase?.end;
  const spec = parseDueSpec(work.text);
  if (!spec) return undefined;
  if (spec.kind === 'date') return resolveDate(spec.date, cx.startFrame) ?? undefined;
  const anchor = anchorIn(work.scope, spec.anchor);
  const from = spec.anchor === 'start' ? cx.campaignStart : cx.phases.has(anchor) ? cx.phaseStarts.get(anchor) : lastDayOf(cx, anchor, depth + 1);
  const date = from && earliestEnd(from, spec.duration);
  return date?.isValid ? date : undefined;
}

/**
 * A due counted from another task's completion must fit its phase when that task is done on its own
 * deadline (the latest it is on time): "全区动员大会后5个工作日内" in a phase that ends before five
 * working days after the meeting's deadline could not be met by a unit whose office met its own.
 */
export function checkRelativeFits(cx: SemanticContext, anchor: string, duration: DurationSpec, place: Place, phase: PhaseFrame | undefined): void {
  if (!phase?.start || !phase.end) return;
  const anchorDay = lastDayOf(cx, anchor);
  const date = anchorDay && earliestEnd(anchorDay, duration);
  if (!anchorDay || !date?.isValid || date <= phase.end) return;
  cx.report('DSL_RELATIVE_DUE_OUTSIDE_WINDOW', 'error', place, {
    anchor,
    anchorDue: isoDay(anchorDay),
    due: isoDay(date),
    phase: phase.id,
    start: isoDay(phase.start),
    end: isoDay(phase.end),
  });
}
