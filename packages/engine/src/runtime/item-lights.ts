import type { CampaignPlan } from '../compiler/campaign-plan.js';
import { periodOf } from './campaign-periods.js';
import type { TrackedItemRecord } from './instance-context.js';
import type { Light } from './lights.js';

/*
 * 项目亮牌 — the light of a tracked item with a numeric target (D6, 三亚 红黄绿亮牌): at each progress
 * report (调度), the cumulative progress is compared with the pro-rata share of the target for the
 * whole months of the campaign year gone by (a report in February holds January's share, 1/12): at
 * or above it green; below it by no more than half yellow; by more than half red. The light is
 * written on the item when assessed, state as a task's light is, so a red item turns yellow or green
 * only when a later report makes the shortfall up. A closed item shows blue (with `lights.blue`)
 * or green; an item without a target has no light.
 */

/** Where an instant stands in its campaign year (活动年度), in whole months: the plan's pro-rata reckoning. */
export interface ProRataMonths {
  /** The index of the campaign period `at` falls in (`plan.periods`). */
  readonly period: number;
  /** Whole months of the period gone by at `at`, from 0 to `months`. */
  readonly gone: number;
  /** The period's months (at least 1). */
  readonly months: number;
}

/**
 * 序时进度 — the whole months of the campaign period gone by at `at` and the period's months, counted
 * in the campaign's zone from the period's start. The one reckoning of an item's pro-rata share: the
 * engine lights progress by it, and the simulator reports progress by it, so a unit on plan is
 * exactly at it.
 */
export function proRataMonths(plan: CampaignPlan, at: number): ProRataMonths {
  const period = periodOf(plan, at);
  const start = plan.periods[period] ?? plan.start;
  const end = plan.periods[period + 1] ?? plan.end;
  const cal = plan.calendar;
  const months = Math.max(1, Math.round(cal.dateTime(end).diff(cal.dateTime(start), 'months').months));
  const gone = Math.min(months, Math.max(0, Math.floor(cal.dateTime(at).diff(cal.dateTime(start), 'months').months)));
  return { period, gone, months };
}

/** The share of the year's target due by `at`: whole months of its campaign period gone by, over the period's months. */
export function proRataShare(plan: CampaignPlan, at: number): number {
  const { gone, months } = proRataMonths(plan, at);
  return gone / months;
}

/** The light progress `done` earns against `target` at `at` (D6's thresholds). */
export function progressLight(plan: CampaignPlan, target: number, done: number, at: number): 'green' | 'yellow' | 'red' {
  return shareLight(target, done, proRataShare(plan, at));
}

/** The light progress `done` earns against `share` of `target` (D6's thresholds): at or above green; short by no more than half yellow; by more red. */
export function shareLight(target: number, done: number, share: number): 'green' | 'yellow' | 'red' {
  const expected = target * share;
  if (done >= expected) return 'green';
  return (expected - done) / expected <= 0.5 ? 'yellow' : 'red';
}

const SEVERITY: Readonly<Record<Light, number>> = { blue: 0, green: 1, yellow: 2, red: 3 };

/**
 * An item's light as views show it: blue or green once closed; else the worse of its label (the last
 * assessment: against its target, or the office's) and, where its instance's items are lit (`lit`),
 * its due-day light while it is open (green, yellow, red once overdue: an overdue item stays red
 * until resolved, whatever its label); none for an item with neither.
 */
export function itemLight(plan: CampaignPlan, item: TrackedItemRecord, lit: boolean): Light | undefined {
  if (item.s === 'closed') return plan.lights?.blue ? 'blue' : 'green';
  const label: Light | undefined =
    item.l === 'r' ? 'red' : item.l === 'y' ? 'yellow' : item.l === 'b' ? 'blue' : item.l === 'g' ? 'green' : item.t !== undefined ? 'green' : undefined;
  if (!lit || plan.lights === undefined || item.s !== 'open' || item.due === undefined) return label;
  const deadline: Light = item.dl === 'r' ? 'red' : item.dl === 'y' ? 'yellow' : 'green';
  return label === undefined || SEVERITY[deadline] > SEVERITY[label] ? deadline : label;
}
