import { STANDING_HORIZON_YEARS, type Decision } from '@luoshi/dsl';
import type { CampaignCalendar } from '../calendar/campaign-calendar.js';
import { cycleId } from '../runtime/cycles.js';
import { setOwn } from '../runtime/own-keys.js';
import type { ItemPlan } from './campaign-plan.js';

/*
 * 周期 — how the compiler lays out a cycled campaign (`cycle: 每年 | 每半年`): its cycles, and a later
 * cycle's items, decisions and ranking weights named by the cycle (`自查.2025`). The phases
 * themselves are compiled once per cycle by `compile-plan.ts`, each with the cycle's calendar
 * (`CampaignCalendar.shifted`).
 */

/** A cycle of the campaign as compiled: its index, label, start, and the months its dates move on. */
export interface CompiledCycle {
  readonly index: number;
  readonly label: string;
  readonly start: number;
  readonly months: number;
}

/** Cycles a plan holds at most: a standing mechanism's 50 years of half-years. */
const MAX_CYCLES = 2 * STANDING_HORIZON_YEARS;

/**
 * The cycles of a cycled campaign: from its start, one every `months`, while they start before its
 * end. Labelled by the year they start in (`2025`), or for half-years by the month (`2025-07`).
 */
export function cyclesOf(calendar: CampaignCalendar, start: number, end: number, months: number): CompiledCycle[] {
  const cycles: CompiledCycle[] = [];
  for (let k = 0; k <= MAX_CYCLES; k++) {
    const at = calendar.shiftMonths(start, months * k);
    if (k > 0 && at >= end) break;
    const day = calendar.dateTime(at);
    cycles.push({ index: k, label: months % 12 === 0 ? String(day.year) : day.toFormat('yyyy-MM'), start: at, months: months * k });
  }
  return cycles;
}

/**
 * An item of a later cycle: named by the cycle (`自查.2025`), and a due counted from a phase or a
 * task counted from that cycle's (the campaign's own duties, `campaignIds`, are no cycle's).
 */
export function itemInCycle(item: ItemPlan, label: string, campaignIds: ReadonlySet<string>): ItemPlan {
  const anchor = item.due?.kind === 'after' ? item.due.anchor : undefined;
  const due =
    item.due?.kind === 'after' && anchor !== 'start' && anchor !== undefined && !campaignIds.has(anchor)
      ? { ...item.due, anchor: cycleId(anchor, label) }
      : item.due;
  return { ...item, id: cycleId(item.id, label), cycle: label, ...(due ? { due } : {}) };
}

/** A phase's decisions in a later cycle: an option goes to that cycle's phase; `end` still ends. */
export function decisionsInCycle(decisions: readonly Decision[], label: string): Decision[] {
  return decisions.map((d) => ({ ...d, options: d.options.map((o) => (o.next === 'end' ? o : { ...o, next: cycleId(o.next, label) })) }));
}

/** A ranking's weights on a later cycle's evaluations (an evaluation of no cycle keeps its id). */
export function weightsInCycle(weights: Readonly<Record<string, number>>, label: string, has: (id: string) => boolean): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [id, weight] of Object.entries(weights)) {
    const named = cycleId(id, label);
    setOwn(out, has(named) ? named : id, weight);
  }
  return out;
}
