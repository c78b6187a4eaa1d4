import type { DateTime } from 'luxon';
import { isoDay } from '../calendar/resolve-date.js';
import { parseDateSpec, type DateSpec } from '../calendar/date-spec.js';
import { parseDueSpec } from '../calendar/due-spec.js';
import { parseWindowSpec } from '../calendar/window-spec.js';
import type { CampaignDefinition, CycleKind, SubProcessDefinition } from '../model/process.js';
import type { StageBody } from '../model/stage.js';
import { STANDING_HORIZON_YEARS } from '../limits.js';
import type { PhaseFrame, Place, SemanticContext } from './semantic-context.js';

/*
 * 周期 — the checks of a cycled campaign (`cycle: 每年 | 每半年`): its flow of phases repeats, each
 * cycle's dates the first cycle's shifted by a year (or six months). So a date with its own year
 * cannot repeat (DSL_CYCLE_FIXED_DATE), every window lies inside the first cycle
 * (DSL_CYCLE_WINDOW_TOO_LONG, or a later cycle would overlap it), and the campaign says how long it
 * repeats (DSL_CYCLE_NO_END). A cycle runs whole, so an `end` that falls inside the last cycle's phases
 * would be run past: refused (DSL_CYCLE_CUT_BY_END), with the ends that fit.
 */

/** The months one cycle lasts. */
export function cycleMonths(kind: CycleKind): number {
  return kind === '每半年' ? 6 : 12;
}

export function checkCycles(
  cx: SemanticContext,
  campaign: CampaignDefinition,
  root: Place,
  windows: readonly (PhaseFrame | undefined)[],
  library: ReadonlyMap<string, SubProcessDefinition>,
): void {
  const kind = campaign.cycle;
  if (kind === undefined) return;
  if (campaign.end === undefined && campaign.standing !== true) cx.report('DSL_CYCLE_NO_END', 'error', cx.at(root, 'cycle'), { cycle: kind });
  const start = cx.campaignStart;
  const end = start?.plus({ months: cycleMonths(kind) }).minus({ days: 1 });
  campaign.phases.forEach((phase, index) => {
    const place = cx.at(root, 'phases', index);
    if (phase.window !== undefined) {
      const spec = parseWindowSpec(phase.window);
      if (spec && (fixed(spec.start) || fixed(spec.end))) fixedDate(cx, cx.at(place, 'window'), phase.window, kind);
      else outside(cx, windows[index], cx.at(place, 'window'), phase.window, start, end, kind);
    }
    checkBody(cx, phase, place, kind, library, new Set());
  });
  // A window beyond the first cycle is the mistake to mend first (DSL_CYCLE_WINDOW_TOO_LONG); it would run past any end.
  const inFirst = windows.every((w) => !w?.end || !end || w.end <= end);
  if (campaign.end !== undefined && inFirst) cutByEnd(cx, cx.at(root, 'end'), windows, kind);
  (campaign.rankings ?? []).forEach((ranking, index) => {
    const place = cx.at(root, 'rankings', index, 'at');
    const spec = parseDateSpec(ranking.at, 'end');
    if (spec && fixed(spec)) fixedDate(cx, place, ranking.at, kind);
  });
}

/**
 * DSL_CYCLE_CUT_BY_END: the cycles are those that start before `end` (as the compiler lays them out);
 * when the last one's phases (the first cycle's windows shifted on) run past `end`, it would run whole
 * past the end the file states. One cycle alone is the plain window check's (DSL_OUTSIDE_CAMPAIGN).
 */
function cutByEnd(cx: SemanticContext, place: Place, windows: readonly (PhaseFrame | undefined)[], kind: CycleKind): void {
  const start = cx.campaignStart;
  const end = cx.campaignEnd;
  if (!start || !end) return;
  const months = cycleMonths(kind);
  let last = 0;
  while (last < 2 * STANDING_HORIZON_YEARS && start.plus({ months: months * (last + 1) }) <= end) last++;
  if (last === 0) return;
  // The phase whose window ends last in a cycle, and where that falls in the last cycle and the one before.
  const latest = windows.reduce<PhaseFrame | undefined>((a, w) => (w?.end && (!a?.end || w.end > a.end) ? w : a), undefined);
  if (!latest?.end) return;
  const runsTo = shiftedDay(latest.end, months * last);
  if (runsTo <= end) return;
  const label = start.plus({ months: months * last });
  cx.report('DSL_CYCLE_CUT_BY_END', 'error', place, {
    cycle: months % 12 === 0 ? String(label.year) : label.toFormat('yyyy-MM'),
    phase: latest.id,
    runsTo: isoDay(runsTo),
    end: isoDay(end),
    previous: isoDay(shiftedDay(latest.end, months * (last - 1))),
  });
}

/** A day moved on by whole months, a month's last day staying the last (as the compiler's calendar moves it). */
function shiftedDay(day: DateTime, months: number): DateTime {
  const moved = day.plus({ months });
  return day.day === day.daysInMonth ? moved.set({ day: moved.daysInMonth ?? moved.day }) : moved;
}

/** A date written with its own year (2024年6月底, 2024-06-30): it names one day, not one in each cycle. */
function fixed(spec: DateSpec): boolean {
  return spec.kind === 'month-day' && spec.year !== undefined;
}

function fixedDate(cx: SemanticContext, place: Place, text: string, cycle: CycleKind): void {
  cx.report('DSL_CYCLE_FIXED_DATE', 'error', place, { text, cycle });
}

function outside(
  cx: SemanticContext,
  window: PhaseFrame | undefined,
  place: Place,
  text: string,
  start: DateTime | undefined,
  end: DateTime | undefined,
  cycle: CycleKind,
): void {
  if (!window?.start || !window.end || !start || !end) return;
  if (window.start >= start && window.end <= end) return;
  cx.report('DSL_CYCLE_WINDOW_TOO_LONG', 'error', place, { text, cycle, start: isoDay(start), end: isoDay(end) });
}

/** The dates of a stage's work, its workstreams' and the sub-processes it uses (each sub-process once). */
function checkBody(
  cx: SemanticContext,
  body: StageBody,
  place: Place,
  kind: CycleKind,
  library: ReadonlyMap<string, SubProcessDefinition>,
  seen: Set<string>,
): void {
  const date = (text: string | undefined, at: Place) => {
    const spec = text === undefined ? undefined : parseDateSpec(text, 'end');
    if (text !== undefined && spec && fixed(spec)) fixedDate(cx, at, text, kind);
  };
  const due = (text: string | undefined, at: Place) => {
    const spec = text === undefined ? undefined : parseDueSpec(text);
    if (text !== undefined && spec?.kind === 'date' && fixed(spec.date)) fixedDate(cx, at, text, kind);
  };
  (body.tasks ?? []).forEach((t, i) => due(t.due, cx.at(place, 'tasks', i, 'due')));
  (body.recurring ?? []).forEach((r, i) => {
    date(r.from, cx.at(place, 'recurring', i, 'from'));
    date(r.until, cx.at(place, 'recurring', i, 'until'));
  });
  (body.evaluations ?? []).forEach((e, i) => due(e.due, cx.at(place, 'evaluations', i, 'due')));
  (body.workstreams ?? []).forEach((w, i) => checkBody(cx, w, cx.at(place, 'workstreams', i), kind, library, seen));
  (body.uses ?? []).forEach((u, i) => {
    due(u.due, cx.at(place, 'uses', i, 'due'));
    const sub = library.get(u.use);
    if (!sub || seen.has(sub.id)) return;
    seen.add(sub.id);
    // A sub-process's own dates are reported where the campaign uses it: that is where they repeat.
    checkBody(cx, sub, cx.at(place, 'uses', i), kind, library, seen);
    (sub.parts ?? []).forEach((p) => checkBody(cx, p, cx.at(place, 'uses', i), kind, library, seen));
  });
}
