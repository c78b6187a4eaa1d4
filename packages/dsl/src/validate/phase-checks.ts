import { resolveDate, isoDay, type CalendarFrame } from '../calendar/resolve-date.js';
import { parseWindowSpec } from '../calendar/window-spec.js';
import type { CampaignDefinition } from '../model/process.js';
import { calendarTextProblem, durationProblem } from './input-checks.js';
import { STANDING_HORIZON_YEARS } from '../limits.js';
import { readDate } from './calendar-checks.js';
import type { PhaseFrame, Place, SemanticContext } from './semantic-context.js';

// 阶段 — the checks of a campaign's phases: their windows (readable, in order, inside the
// campaign) and their flow (every phase reachable, a decision where the exit says so).

export function phaseWindows(cx: SemanticContext, campaign: CampaignDefinition, root: Place): (PhaseFrame | undefined)[] {
  const explicitStart = readDate(cx, campaign.start, cx.at(root, 'start'), 'start');
  const parsedWindows = campaign.phases.map((phase, index) => {
    if (phase.window === undefined) return undefined;
    const place = cx.at(root, 'phases', index, 'window');
    if (cx.problem(calendarTextProblem(phase.window, 'window'), place)) return undefined;
    const spec = parseWindowSpec(phase.window);
    for (const side of spec ? [spec.start, spec.end] : []) {
      if (side.kind === 'from-start' && cx.problem(durationProblem(phase.window, { amount: side.days, unit: 'day' }), place)) return undefined;
    }
    if (!spec) cx.report('DSL_BAD_WINDOW', 'error', cx.at(root, 'phases', index, 'window'), { text: phase.window });
    return spec;
  });
  const firstAbsolute = parsedWindows[0]?.start.kind === 'month-day' ? resolveDate(parsedWindows[0].start, cx.frame) : undefined;
  cx.campaignStart = explicitStart ?? firstAbsolute ?? resolveDate({ kind: 'month-day', month: 1, day: 1 }, cx.frame);
  const frame: CalendarFrame = cx.startFrame;
  const frames = campaign.phases.map((phase, index): PhaseFrame | undefined => {
    const spec = parsedWindows[index];
    if (!spec) return undefined;
    const start = resolveDate(spec.start, frame);
    const end = resolveDate(spec.end, frame);
    const place = cx.at(root, 'phases', index, 'window');
    if (!start || !end) {
      cx.report('DSL_BAD_WINDOW', 'error', place, { text: phase.window ?? '' });
      return undefined;
    }
    if (end < start) {
      cx.report('DSL_WINDOW_REVERSED', 'error', place, { text: phase.window ?? '', start: isoDay(start), end: isoDay(end) });
      return undefined;
    }
    return { id: phase.id, start, end };
  });
  const lastEnd = [...frames].reverse().find((f) => f?.end)?.end;
  const explicitEnd = readDate(cx, campaign.end, cx.at(root, 'end'), 'end');
  if (campaign.standing === true && campaign.end !== undefined) cx.report('DSL_STANDING_WITH_END', 'error', cx.at(root, 'end'), { end: campaign.end });
  // A standing mechanism (长效机制) runs until it is closed: laid out as far as the engine does.
  const standingEnd = campaign.standing === true ? cx.campaignStart?.plus({ years: STANDING_HORIZON_YEARS }).minus({ days: 1 }) : undefined;
  cx.campaignEnd = standingEnd ?? explicitEnd ?? lastEnd ?? resolveDate({ kind: 'month-day', month: 12, day: 31 }, cx.frame);
  const before = phasesBefore(campaign);
  frames.forEach((current, index) => {
    if (!current?.start || !current.end) return;
    const place = cx.at(root, 'phases', index, 'window');
    // The phase it follows in the flow (by `next`, by a decision's option, or by coming next), not
    // the one written above it: alternatives after a decision may share months.
    const previous = windowedBefore(index, before, frames)
      .filter((p) => p.end && current.start && current.start <= p.end)
      .sort((a, b) => (b.end?.toMillis() ?? 0) - (a.end?.toMillis() ?? 0))[0];
    if (previous?.end) {
      cx.report('DSL_WINDOW_ORDER', 'error', place, {
        id: current.id,
        start: isoDay(current.start),
        previous: previous.id,
        previousEnd: isoDay(previous.end),
      });
    }
    if (cx.campaignStart && cx.campaignEnd && (current.start < cx.campaignStart || current.end > cx.campaignEnd)) {
      cx.report('DSL_OUTSIDE_CAMPAIGN', 'error', place, {
        start: isoDay(current.start),
        end: isoDay(current.end),
        campaignStart: isoDay(cx.campaignStart),
        campaignEnd: isoDay(cx.campaignEnd),
      });
    }
  });
  return frames;
}

/** Where each phase goes: its `next` (or the phase written after it) unless a decision decides, and each option's `next`. */
function phaseTargets(campaign: CampaignDefinition): string[][] {
  return campaign.phases.map((phase, index) => {
    const targets = phase.exit === 'decision' ? [] : [phase.next ?? campaign.phases[index + 1]?.id ?? 'end'];
    for (const decision of phase.decisions ?? []) for (const option of decision.options) targets.push(option.next);
    return targets;
  });
}

/**
 * 前一阶段 — for each phase, the earlier-written phases the flow reaches it from. A way back to an
 * earlier phase (整改 again after a failed review) is not an order of windows, so only phases
 * written before it count.
 */
function phasesBefore(campaign: CampaignDefinition): number[][] {
  const indexOf = new Map(campaign.phases.map((p, i) => [p.id, i]));
  const before: number[][] = campaign.phases.map(() => []);
  phaseTargets(campaign).forEach((targets, from) => {
    for (const target of targets) {
      const to = indexOf.get(target);
      if (to !== undefined && to > from && !before[to]?.includes(from)) before[to]?.push(from);
    }
  });
  return before;
}

/** The windowed phases a phase follows, looking through phases without a window to the ones before them. */
function windowedBefore(index: number, before: readonly number[][], frames: readonly (PhaseFrame | undefined)[]): PhaseFrame[] {
  const found: PhaseFrame[] = [];
  const seen = new Set<number>();
  const stack = [...(before[index] ?? [])];
  for (let at = stack.pop(); at !== undefined; at = stack.pop()) {
    if (seen.has(at)) continue;
    seen.add(at);
    const frame = frames[at];
    if (frame?.start && frame.end) found.push(frame);
    else stack.push(...(before[at] ?? []));
  }
  return found;
}

export function checkPhaseFlow(cx: SemanticContext, campaign: CampaignDefinition, root: Place): void {
  const ids = campaign.phases.map((p) => p.id);
  const edges = new Map<string, string[]>();
  campaign.phases.forEach((phase, index) => {
    const place = cx.at(root, 'phases', index);
    const targets: string[] = [];
    const fallthrough = ids[index + 1] ?? 'end';
    if (phase.exit === 'decision') {
      if (!phase.decisions?.length) cx.report('DSL_DECISION_MISSING', 'error', cx.at(place, 'exit'), { id: phase.id });
    } else {
      targets.push(phase.next ?? fallthrough);
    }
    if (phase.next !== undefined && phase.next !== 'end') cx.refer('phase', phase.next, cx.at(place, 'next'));
    (phase.decisions ?? []).forEach((decision, d) =>
      decision.options.forEach((option, o) => {
        cx.identifier(option.id, cx.at(place, 'decisions', d, 'options', o, 'id'));
        targets.push(option.next);
        if (option.next !== 'end') cx.refer('phase', option.next, cx.at(place, 'decisions', d, 'options', o, 'next'));
        if (option.cohort !== undefined && !(campaign.cohorts ?? []).some((c) => c.id === option.cohort))
          cx.report('DSL_UNKNOWN_COHORT', 'error', cx.at(place, 'decisions', d, 'options', o, 'cohort'), {
            id: option.cohort,
            known: (campaign.cohorts ?? []).map((c) => c.id).join('、') || '—',
          });
      }),
    );
    edges.set(phase.id, targets);
  });
  const reached = new Set<string>();
  const queue = ids.slice(0, 1);
  for (let head = 0; head < queue.length; head++) {
    const id = queue[head] as string;
    if (reached.has(id)) continue;
    reached.add(id);
    for (const target of edges.get(id) ?? []) if (!reached.has(target)) queue.push(target);
  }
  campaign.phases.forEach((phase, index) => {
    if (!reached.has(phase.id)) cx.report('DSL_UNREACHABLE_PHASE', 'error', cx.at(root, 'phases', index, 'id'), { id: phase.id });
  });
}

/** 批次 — each cohort once, starting on a day that can be read and before the campaign ends (one before its start starts with it). */
export function checkCohorts(cx: SemanticContext, campaign: CampaignDefinition, root: Place): void {
  const seen = new Map<string, Place>();
  (campaign.cohorts ?? []).forEach((cohort, index) => {
    const place = cx.at(root, 'cohorts', index);
    cx.identifier(cohort.id, cx.at(place, 'id'));
    const previous = seen.get(cohort.id);
    if (previous) cx.report('DSL_DUPLICATE_ID', 'error', cx.at(place, 'id'), { id: cohort.id, other: cx.where(previous) });
    else seen.set(cohort.id, place);
    cx.cohorts.add(cohort.id);
    const start = readDate(cx, cohort.start, cx.at(place, 'start'), 'start');
    if (start && cx.campaignEnd && start > cx.campaignEnd)
      cx.report('DSL_COHORT_AFTER_END', 'error', cx.at(place, 'start'), { id: cohort.id, date: isoDay(start), end: isoDay(cx.campaignEnd) });
  });
}
