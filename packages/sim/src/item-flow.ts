import { proRataMonths, type CampaignPlan, type HostEvent, type LightCounts, type TrackedItemView } from '@luoshi/engine';
import type { ItemBehaviour, ItemLabels } from './model/scenario.js';
import type { Prng } from './random/prng.js';
import type { RandomStreams } from './random/streams.js';
import { exponential, sample } from './random/distributions.js';
import { cmp } from './stable-order.js';
import type { SimUnit } from './run/sim-unit.js';

const DAY = 24 * 60 * 60 * 1000;
const MONTH = 30 * DAY;
/** The labels in the order their probabilities are added up. */
const LABELS = ['blue', 'green', 'yellow', 'red'] as const;
/** Rounds of resolve-and-check one item goes through at most in a run: bounds the agenda. */
const MAX_ROUNDS = 20;

/** Where the flow puts what it plans: a host event for a unit at a time. */
export type PushItemEvent = (at: number, unit: SimUnit, event: HostEvent) => void;

/** Where an item with a target stands in its campaign year: whole months reported and the achieved share of them. */
interface ItemProgress {
  readonly period: number;
  readonly gone: number;
  /** Months' worth of the plan achieved so far this campaign year (1 a month keeps it on plan). */
  readonly achieved: number;
}

/**
 * 督办事项 in a simulation. Each kind's items open for a unit at a Poisson rate (planned when the run
 * starts, as complaints are), with a drawn target and due day when the scenario gives them; each is
 * resolved after an exponential wait, checked the next day (passing with `passRate`: struck off the
 * day after; failing: reopened, and worked on again). Items named `<kind>-<n>`, numbered per unit.
 *
 * 月度调度 — at the campaign start and then at the start of every month the flow reads the campaign's
 * items: one it has not seen (listed at start, opened by the engine) gets its lifecycle planned from
 * then; at every month's start, every open item with a target gets its progress report
 * (`item.progress`) for the months of the campaign year gone by, the month's growth of the pro-rata
 * plan times the unit's drawn `progress` share, and every open item without one the office's label
 * drawn from `labels` (`item.assessed`, 调度亮牌); a month's report is left unsent with the drawn
 * `unreported` probability (the engine cards such a month at its turn where the kind says `every`). Draws are made
 * only for a campaign with items and a scenario that says how they behave, so other runs draw as before.
 */
export class ItemFlow {
  readonly #plan: CampaignPlan;
  readonly #streams: RandomStreams;
  readonly #push: PushItemEvent;
  /** Instance → the items whose lifecycle is planned (opened by the run, or seen at a monthly report). */
  readonly #known = new Map<string, Set<string>>();
  /** `instance item` → its progress so far this campaign year. */
  readonly #progress = new Map<string, ItemProgress>();

  constructor(plan: CampaignPlan, streams: RandomStreams, push: PushItemEvent) {
    this.#plan = plan;
    this.#streams = streams;
    this.#push = push;
  }

  /** Whether the campaign has items and some unit behaves towards them: only then is anything planned or read. */
  active(units: readonly SimUnit[]): boolean {
    return this.#plan.trackedKinds !== undefined && this.#plan.trackedKinds.size > 0 && units.some((u) => u.behaviour.items !== undefined);
  }

  /** 交办 — plans the items the unit is given over the campaign, and each one's lifecycle. */
  planOpenings(unit: SimUnit, start: number, end: number): void {
    const behaviour = unit.behaviour.items;
    const kinds = [...(this.#plan.trackedKinds?.keys() ?? [])].sort();
    if (behaviour === undefined || behaviour.openedPerUnitPerMonth <= 0 || kinds.length === 0) return;
    const rate = behaviour.openedPerUnitPerMonth;
    // The unit's own stream (随机流): its items are the same whatever other units do.
    const prng = this.#streams.fresh(unit.instanceId, 'items');
    for (const kind of kinds) {
      let n = 0;
      for (let t = start + exponential(prng, MONTH / rate); t < end; t += exponential(prng, MONTH / rate)) {
        // A name the unit already holds (a continued campaign's items, `takeOver`) is passed over.
        let item = `${kind}-${++n}`;
        while (this.#knownOf(unit.instanceId).has(item)) item = `${kind}-${++n}`;
        const opened: { type: 'item.opened'; item: string; kind: string; due?: string; target?: number } = { type: 'item.opened', item, kind };
        // Drawn only when the scenario asks, so a scenario without them draws as it did.
        if (behaviour.target) opened.target = Math.max(1, sample(prng, behaviour.target));
        if (behaviour.dueDays) opened.due = this.#dueDay(t, sample(prng, behaviour.dueDays));
        this.#push(Math.round(t), unit, opened);
        this.#knownOf(unit.instanceId).add(item);
        this.#planRounds(unit, item, behaviour, t, end);
      }
    }
  }

  /**
   * 接续 — a campaign continued from where it stands (`simulateFrom`), before anything is planned: the
   * items its units hold are known (so the run opens new ones under other names and plans none of
   * them again at a monthly report), and each one's lifecycle goes on from `now` as the scenario
   * says: an open item is resolved after the drawn wait, one resolved is checked a day on, one that
   * passed its check is struck off a day on; one struck off is left.
   */
  takeOver(views: readonly TrackedItemView[], unitOf: (instanceId: string) => SimUnit | undefined, now: number, end: number): void {
    const sorted = [...views].sort((a, b) => cmp(a.instanceId, b.instanceId) || cmp(a.item, b.item));
    for (const view of sorted) {
      this.#knownOf(view.instanceId).add(view.item);
      const unit = unitOf(view.instanceId);
      const behaviour = unit?.behaviour.items;
      if (unit === undefined || behaviour === undefined) continue;
      if (view.status === 'open' || view.status === 'resolved') this.#planRounds(unit, view.item, behaviour, now, end, view.status === 'resolved');
      else if (view.status === 'verified' && now + DAY < end) this.#push(Math.round(now + DAY), unit, { type: 'item.closed', item: view.item });
    }
  }

  /**
   * 月度调度 at `now` (a month's first instant): the items the run has not seen get their lifecycle
   * planned; open items with a target get their progress report, returned to be sent now, in a
   * fixed order (unit, then item).
   */
  monthlyReports(views: readonly TrackedItemView[], unitOf: (instanceId: string) => SimUnit | undefined, now: number, end: number): { readonly unit: SimUnit; readonly event: HostEvent }[] {
    const out: { readonly unit: SimUnit; readonly event: HostEvent }[] = [];
    const sorted = [...views].sort((a, b) => cmp(a.instanceId, b.instanceId) || cmp(a.item, b.item));
    const year = proRataMonths(this.#plan, now);
    for (const view of sorted) {
      const unit = unitOf(view.instanceId);
      const behaviour = unit?.behaviour.items;
      if (unit === undefined || behaviour === undefined) continue;
      const known = this.#knownOf(view.instanceId);
      if (!known.has(view.item)) {
        known.add(view.item);
        if (view.status === 'open') this.#planRounds(unit, view.item, behaviour, now, end);
      }
      // The campaign's first instant is no roll-call: its items have only just been listed.
      if (now <= this.#plan.start) continue;
      if (view.status === 'open' && view.target === undefined && behaviour.labels !== undefined) {
        const light = officeLabel(this.#streams.kept(view.instanceId, 'label', view.item), behaviour.labels);
        if (light !== undefined) out.push({ unit, event: { type: 'item.assessed', item: view.item, light } });
        continue;
      }
      if (view.status !== 'open' || view.target === undefined || behaviour.progress === undefined || year.gone === 0) continue;
      // 未报送: a month the unit says nothing, drawn from the item's own stream (and only when the scenario asks, so other runs draw as before).
      if (behaviour.unreported !== undefined && this.#streams.kept(view.instanceId, 'unreported', view.item).next() < behaviour.unreported) continue;
      const key = `${view.instanceId} ${view.item}`;
      const before = this.#progress.get(key);
      // The year's plan starts again each campaign year (D6: cumulative from 1 January).
      const same = before !== undefined && before.period === year.period;
      const share = Math.max(0, sample(this.#streams.kept(view.instanceId, 'progress', view.item), behaviour.progress));
      const achieved = (same ? before.achieved : 0) + share * (year.gone - (same ? before.gone : 0));
      this.#progress.set(key, { period: year.period, gone: year.gone, achieved });
      // Divided as the engine divides (whole months over the year's), so a unit on plan is exactly at it.
      out.push({ unit, event: { type: 'item.progress', item: view.item, done: view.target * (achieved / year.months) } });
    }
    return out;
  }

  /**
   * Resolution and checks of one item, from `from`: resolved after a wait, checked a day later, struck
   * off a day after a pass; `resolved`: it stands resolved at `from`, so its first check comes a day on.
   */
  #planRounds(unit: SimUnit, item: string, behaviour: ItemBehaviour, from: number, end: number, resolved = false): void {
    const prng = this.#streams.fresh(unit.instanceId, 'item', item);
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const waiting = round === 0 && resolved;
      const at = waiting ? from : from + exponential(prng, behaviour.resolveDays * DAY);
      if (at + DAY >= end) break;
      if (!waiting) this.#push(Math.round(at), unit, { type: 'item.resolved', item });
      const passed = prng.next() < behaviour.passRate;
      this.#push(Math.round(at + DAY), unit, { type: 'item.verified', item, passed });
      if (passed) {
        if (at + 2 * DAY < end) this.#push(Math.round(at + 2 * DAY), unit, { type: 'item.closed', item });
        break;
      }
      from = at + DAY;
    }
  }

  /** The due day `days` after `at` (whole days, at least 1), no later than the campaign's last day. */
  #dueDay(at: number, days: number): string {
    const cal = this.#plan.calendar;
    const last = cal.dateTime(this.#plan.end - 1).startOf('day');
    const day = cal.dateTime(at).startOf('day').plus({ days: Math.max(1, Math.ceil(days)) });
    return ((day < last ? day : last).toISODate() ?? '') as string;
  }

  #knownOf(instanceId: string): Set<string> {
    let known = this.#known.get(instanceId);
    if (known === undefined) this.#known.set(instanceId, (known = new Set()));
    return known;
  }
}

/** 督办事项 in a run's result: items opened, closed (销号), escalated (挂牌督办 above the first level) and still open. */
export interface ItemsResult {
  readonly opened: number;
  readonly closed: number;
  readonly escalated: number;
  readonly open: number;
}

/** The counts of a run's items at its end. */
export function itemsResult(plan: CampaignPlan, items: readonly TrackedItemView[]): ItemsResult {
  let closed = 0;
  let escalated = 0;
  for (const i of items) {
    if (i.status === 'closed') closed++;
    const first = plan.trackedKinds?.get(i.kind)?.levels[0];
    if (i.level !== undefined && i.level !== first) escalated++;
  }
  return { opened: items.length, closed, escalated, open: items.length - closed };
}

/** Items by their light (those that have one: a target, or a due day in a campaign with lights). */
export function itemsByLight(items: readonly TrackedItemView[]): LightCounts {
  const counts = { green: 0, yellow: 0, red: 0, blue: 0 };
  for (const i of items) if (i.light !== undefined) counts[i.light]++;
  return counts;
}

/** The office's label drawn for one item, in the order blue, green, yellow, red; undefined: none this month. */
function officeLabel(prng: Prng, labels: ItemLabels): 'blue' | 'green' | 'yellow' | 'red' | undefined {
  const u = prng.next();
  let acc = 0;
  for (const light of LABELS) {
    acc += labels[light] ?? 0;
    if (u < acc) return light;
  }
  return undefined;
}
