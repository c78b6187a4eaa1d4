import type { CampaignPlan } from '../compiler/campaign-plan.js';

/*
 * 活动年度 — campaign periods: the campaign year runs from the campaign start for twelve months,
 * then again from each anniversary (`CampaignPlan.periods`), not from 1 January. A flag that lasts a
 * year lapses, and a ladder with `period: year` starts counting again, when a period ends.
 */

/** The index of the campaign period an instant falls in (0 before the start). */
export function periodOf(plan: CampaignPlan, at: number): number {
  const { periods } = plan;
  let k = 0;
  while (k + 1 < periods.length && (periods[k + 1] as number) <= at) k++;
  return k;
}

/**
 * The label a ladder counter keeps for a period: the calendar year the period starts in ("2024"
 * for February 2024 to January 2025). For a campaign starting on 1 January this is the calendar
 * year, as counters stored by release 7967bde have it.
 */
export function periodLabel(plan: CampaignPlan, at: number): string {
  // 周期: a cycled campaign's periods are its cycles, each counted by its label (two half-years of one year differ).
  if (plan.cycles) return plan.cycles[periodOf(plan, at)]?.label ?? String(plan.year);
  return String(plan.calendar.yearOf(plan.periods[periodOf(plan, at)] ?? plan.start));
}
