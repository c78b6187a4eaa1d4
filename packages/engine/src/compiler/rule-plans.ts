import { DSL_LIMITS, isMonthlyRecurrence, parseCondition, parseDurationSpec, type Grading, type Outcome, type Extensions, type TrackedItemKind, type TrafficLights } from '@luoshi/dsl';
import { EngineError } from '../errors/engine-error.js';
import type { CampaignCalendar } from '../calendar/campaign-calendar.js';
import type { BandPlan, CardMonth, ConditionPlan, ExtensionsPlan, GradingPlan, LightsPlan, OutcomePlan, TrackedKindPlan } from './campaign-plan.js';

/*
 * The plans of a campaign's rules as the compiler makes them from the file: conditions parsed,
 * outcomes, ranking bands, gradings, traffic lights; and the error of a definition validation should have
 * refused (ENGINE_INVALID_DEFINITION).
 */

export function condition(text: string): ConditionPlan {
  const parsed = parseCondition(text);
  if ('problem' in parsed) throw invalid(`condition "${text}": ${parsed.problem.detail}`);
  return { text, node: parsed.node };
}

export function outcome(o: Outcome): OutcomePlan {
  return {
    ...(o.when ? { when: condition(o.when) } : {}),
    actions: o.actions ?? [],
    flags: o.flags ?? [],
    ...(o.ladder ? { ladder: o.ladder } : {}),
  };
}

export function band(b: { count: number; when?: string; actions?: string[]; flags?: string[] }): BandPlan {
  return { count: b.count, ...(b.when ? { when: condition(b.when) } : {}), actions: b.actions ?? [], flags: b.flags ?? [] };
}

/**
 * 等次评定 — a grading: its bands best first (the validator has checked they neither overlap nor
 * leave a gap, so each band's lower bound is all a score needs to be placed), the veto's cap as a
 * band index, and its weights and re-checks per cycle (`inCycles`: one set without cycles).
 */
export function gradingPlan(
  g: Grading,
  dates: readonly number[],
  inCycles: (weights: Readonly<Record<string, number>>) => readonly Readonly<Record<string, number>>[],
): GradingPlan {
  const bands = [...g.bands]
    .map((b) => ({ grade: b.grade, min: b.min ?? -Infinity, actions: b.actions ?? [], flags: b.flags ?? [] }))
    .sort((a, b) => b.min - a.min);
  const cap = g.veto ? bands.findIndex((b) => b.grade === g.veto?.cap) : -1;
  if (g.veto && cap < 0) throw invalid(`veto cap "${g.veto.cap}"`);
  const recheck = (g.recheck ?? []).flatMap((id) => inCycles({ [id]: 1 }).map((set) => Object.keys(set)[0] as string));
  return {
    id: g.id,
    title: g.title,
    subject: g.subject,
    dates,
    weightSets: inCycles(g.weights),
    bands,
    ...(g.veto ? { veto: { flags: g.veto.flags, cap } } : {}),
    recheck: [...new Set(recheck)],
  };
}

export function invalid(detail: string): EngineError {
  return new EngineError('ENGINE_INVALID_DEFINITION', { detail });
}

/** 红黄绿灯 — a campaign's lights as the runtime reads them (lengths parsed; the validator refused bad ones). */
export function lightsPlan(lights: TrafficLights): LightsPlan {
  const duration = (text: string) => {
    const spec = parseDurationSpec(text);
    if (!spec) throw invalid(`duration "${text}"`);
    return spec;
  };
  const { urge } = lights;
  return {
    yellowBefore: duration(lights.yellowBefore),
    blue: lights.blue === true,
    ...(urge
      ? { urge: { from: urge.from ?? 'yellow', every: duration(urge.every), times: urge.times, ...(urge.action !== undefined ? { action: urge.action } : {}) } }
      : {}),
  };
}

/** 督办事项 — a campaign's kinds of tracked item by id, with their defaults filled in. */
export function trackedKindsPlan(kinds: readonly TrackedItemKind[]): ReadonlyMap<string, TrackedKindPlan> {
  return new Map(
    kinds.map((k) => [
      k.id,
      {
        id: k.id,
        title: k.title,
        ...(k.by !== undefined ? { by: k.by } : {}),
        levels: k.levels ?? [],
        escalateAfter: k.escalateAfter ?? 1,
        ...(k.escalateAfterReds !== undefined ? { escalateAfterReds: k.escalateAfterReds } : {}),
        ...(k.redAfterMisses !== undefined ? { redAfterMisses: k.redAfterMisses } : {}),
        ...(k.from !== undefined ? { from: k.from } : {}),
        limit: Math.min(k.limit ?? DSL_LIMITS.trackedItemsPerKind, DSL_LIMITS.trackedItemsPerKind),
        ...(monthly(k) ? { monthly: true as const } : {}),
      },
    ]),
  );
}

/** Whether a kind is carded every month (`every: 每月`); another recurrence is refused, as validation refuses it. */
function monthly(kind: TrackedItemKind): boolean {
  if (kind.every === undefined) return false;
  if (!isMonthlyRecurrence(kind.every)) throw invalid(`item kind "${kind.id}" every "${kind.every}"`);
  return true;
}

/**
 * 按月亮牌 — the months of each campaign period (`periods`, up to `end`), counted from the period's
 * start as `proRataMonths` counts them, each with the share of the year due at its end; a month the
 * campaign ends inside is left out (its turn never comes). Only for a campaign with a monthly kind.
 */
export function cardMonthsPlan(kinds: readonly TrackedItemKind[] | undefined, calendar: CampaignCalendar, periods: readonly number[], end: number): readonly CardMonth[] | undefined {
  if (!kinds?.some(monthly)) return undefined;
  const months: CardMonth[] = [];
  periods.forEach((period, index) => {
    const periodEnd = periods[index + 1] ?? end;
    const start = calendar.dateTime(period);
    const count = Math.max(1, Math.round(calendar.dateTime(periodEnd).diff(start, 'months').months));
    for (let n = 1; n <= count; n++) {
      const turn = start.plus({ months: n }).toMillis();
      if (turn > end) break;
      months.push({ start: start.plus({ months: n - 1 }).toMillis(), end: turn, share: n / count, period });
    }
  });
  return months;
}

/** 申请延期 — a campaign's extension rule as the runtime reads it (the engine's own cap where the file sets none). */
export function extensionsPlan(extensions: Extensions): ExtensionsPlan {
  const maxDelay = extensions.maxDelay === undefined ? undefined : parseDurationSpec(extensions.maxDelay);
  if (extensions.maxDelay !== undefined && !maxDelay) throw invalid(`duration "${extensions.maxDelay}"`);
  return {
    decidedBy: extensions.decidedBy,
    maxTimes: Math.min(extensions.maxTimes ?? DSL_LIMITS.extensionsPerTask, DSL_LIMITS.extensionsPerTask),
    ...(maxDelay && extensions.maxDelay !== undefined ? { maxDelay: { spec: maxDelay, text: extensions.maxDelay } } : {}),
  };
}
