import type { CampaignPlan, HostEvent } from '@luoshi/engine';
import type { ExtensionBehaviour } from './model/scenario.js';
import type { Prng } from './random/prng.js';
import { sample } from './random/distributions.js';
import { cmp } from './stable-order.js';

const DAY = 24 * 60 * 60 * 1000;
/** A unit asks this long before a task's due, when it will not have done it by then. */
const ASK_BEFORE = 3 * DAY;
/** The office decides this long after a request, or halfway to the due when that is sooner. */
const DECIDE_AFTER = DAY;
/** The reason every simulated request gives (a request needs one). */
const REASON = '工作量大，确需延期（模拟）';

/** How a task is named in an event: its id, and the member and period that make it one task. */
export interface NamedTask {
  readonly task: string;
  readonly member?: string;
  readonly period?: string;
}

/** A request the run will send, and what the office will answer if it still has to. */
export interface PlannedRequest {
  readonly at: number;
  readonly event: HostEvent;
  readonly decideAt: number;
  readonly decision: HostEvent;
  /** When the task's completion is planned (undefined: never): a request done with before the decision is not decided. */
  readonly completion: number | undefined;
}

/** Counts of extension requests over a span: the office's answers, and the engine's refusals by code. */
export interface ExtensionCounts {
  /** Requests the engine accepted (they waited for a decision). */
  readonly requested: number;
  /** Requests the office approved: the task's due moved. */
  readonly granted: number;
  /** Requests the office refused: the task kept its due. */
  readonly refused: number;
  /** Requests and decisions the engine refused, by error code (e.g. ENGINE_EXTENSION_TOO_LONG). */
  readonly rejected: Readonly<Record<string, number>>;
}

/** 申请延期 over a run: the totals and each month's counts (by the month the event was sent in). */
export interface ExtensionsResult extends ExtensionCounts {
  /** One entry per month of the run, in time order (`month`: `YYYY-MM` in the campaign's zone). */
  readonly months: readonly (ExtensionCounts & { readonly month: string })[];
}

type Tally = { requested: number; granted: number; refused: number; rejected: Map<string, number> };

/**
 * 申请延期 in a simulation: when a task's completion is planned, a unit that will not have done it
 * three days before its due asks, with the scenario's probability, for a due day some days later
 * (at that time, or when the task opens if that is later); the office (the campaign's `decidedBy`)
 * grants it with the scenario's probability a day later, or halfway to the due if sooner, unless
 * the task was done meanwhile (nothing is left to decide). Draws are made only in a campaign with
 * `extensions` and for a unit whose behaviour gives them, so other runs draw as before.
 */
export class ExtensionFlow {
  readonly #plan: CampaignPlan;
  /** Month label → what happened in it. */
  readonly #months = new Map<string, Tally>();

  constructor(plan: CampaignPlan) {
    this.#plan = plan;
  }

  /** The request planned for a task opened at `now`, due at `due`, to be completed at `completion` (undefined: never), if the unit asks. */
  plan(prng: Prng, behaviour: ExtensionBehaviour | undefined, named: NamedTask, now: number, due: number | undefined, completion: number | undefined): PlannedRequest | undefined {
    if (behaviour === undefined || this.#plan.extensions === undefined || due === undefined) return undefined;
    const at = Math.max(now, due - ASK_BEFORE);
    // Only a task still not done when the unit would ask, and only before its due.
    if (at >= due || (completion !== undefined && completion <= at)) return undefined;
    if (prng.next() >= behaviour.share) return undefined;
    const days = Math.max(1, Math.ceil(sample(prng, behaviour.days)));
    const approved = prng.next() < behaviour.granted;
    // A due is the end of its day: the day is the one its last instant falls in.
    const until = this.#plan.calendar.dateTime(due - 1).startOf('day').plus({ days }).toISODate() ?? '';
    const decideAt = at + Math.round(Math.min(DECIDE_AFTER, (due - at) / 2));
    return {
      at,
      event: { type: 'extension.requested', ...named, until, reason: REASON },
      decideAt,
      decision: { type: 'extension.decided', ...named, approved },
      completion,
    };
  }

  /** Counts an extension event sent at `at`: accepted (`code` undefined) or refused by the engine with `code`. */
  count(at: number, event: HostEvent, code: string | undefined): void {
    const month = this.#tally(this.#plan.calendar.dateTime(at).toFormat('yyyy-MM'));
    if (code !== undefined) month.rejected.set(code, (month.rejected.get(code) ?? 0) + 1);
    else if (event.type === 'extension.requested') month.requested++;
    else if (event.type === 'extension.decided') {
      if (event.approved) month.granted++;
      else month.refused++;
    }
  }

  /** The run's counts, for every month of `months` (their `YYYY-MM`), or undefined in a campaign without extensions. */
  result(months: readonly string[]): ExtensionsResult | undefined {
    if (this.#plan.extensions === undefined) return undefined;
    const total: Tally = { requested: 0, granted: 0, refused: 0, rejected: new Map() };
    for (const t of this.#months.values()) {
      total.requested += t.requested;
      total.granted += t.granted;
      total.refused += t.refused;
      for (const [code, n] of t.rejected) total.rejected.set(code, (total.rejected.get(code) ?? 0) + n);
    }
    const perMonth = months.map((label) => ({ month: label, ...counts(this.#months.get(label) ?? { requested: 0, granted: 0, refused: 0, rejected: new Map() }) }));
    return { ...counts(total), months: perMonth };
  }

  #tally(label: string): Tally {
    let t = this.#months.get(label);
    if (t === undefined) this.#months.set(label, (t = { requested: 0, granted: 0, refused: 0, rejected: new Map() }));
    return t;
  }
}

function counts(t: Tally): ExtensionCounts {
  return { requested: t.requested, granted: t.granted, refused: t.refused, rejected: Object.fromEntries([...t.rejected].sort(([a], [b]) => cmp(a, b))) };
}
