import type { CampaignPlan } from '../compiler/campaign-plan.js';
import type { DefinitionRecord, HistoryRecord, InstanceRecord } from '../ports/store.js';
import { CompiledCache, type CompiledCampaign } from './engine/definitions.js';
import type { InstanceContext } from './instance-context.js';
import { countFlags, flagCounts } from './outcomes.js';
import type { UnitState } from './step.js';
import { decodeSnapshot } from './stored-format.js';
import { startEntry, walkHistory } from './walk-history.js';

/**
 * 既往标记 — the flags a campaign's subjects held at instants in the past (a continued campaign's
 * month starts before the cut), counted as `engine.outcomes` counts them then: every flag the plan
 * declares (0 when none holds it), and each subject (unit or member) holding a flag once. A stored
 * instance keeps its flags as they are now, and its history keeps state values, not flags; what it
 * held earlier is rebuilt by replaying its history through the pure step (`walkHistory`, as
 * `Engine.replay` and `taskOpenings` do) and counted as `countOutcomes` counts (`countFlags`), so
 * the counts are exact — each instant after every entry at or before it, as a run samples a month
 * once everything up to its first instant has happened.
 *
 * Replaying is as dear as the steps it repeats, so it is done only where it can tell something:
 * flags are set and kept unless the plan can take them away (a flag that lasts a year lapses with
 * its campaign period; a grade lost takes its band's flags, 摘帽), so in a plan that cannot, an
 * instance holding no flag now held none before, and counts 0 without a replay. Add the instances
 * one by one (`add`), then read `counts()`.
 */
export class PastFlags {
  readonly #chart: CompiledCampaign;
  readonly #times: readonly number[];
  readonly #counts: Map<string, number>[];
  /** Whether a flag held before may be gone now (a period's lapse, a grade band's flags lost). */
  readonly #mayBeTaken: boolean;
  #replayed = 0;

  /** `times` in ascending order. Throws what the compiler throws. */
  constructor(definition: DefinitionRecord, times: readonly number[], compiledCache: CompiledCache = new CompiledCache()) {
    this.#chart = compiledCache.of(definition);
    this.#times = times;
    const { plan } = this.#chart;
    this.#counts = times.map(() => flagCounts(plan));
    this.#mayBeTaken = flagsMayBeTaken(plan);
  }

  /** How many instances were replayed so far (the rest held no flag now, in a plan that takes none away). */
  get replayed(): number {
    return this.#replayed;
  }

  /**
   * Counts one instance's flags at every instant: its record (the state its history ends in) and its
   * history, oldest first, cut at the record's revision. An instant after the last entry sees the
   * record's state. Throws STORE_UNSUPPORTED_FORMAT for a snapshot no version has, and what a step throws.
   */
  add(instance: InstanceRecord, history: readonly HistoryRecord[]): void {
    if (this.#times.length === 0 || startEntry(history) === undefined) return;
    if (!this.#mayBeTaken && !holdsAFlag(decodeSnapshot(instance.id, instance.snapshot).context)) return;
    this.#replayed++;
    let next = 0;
    const countUpTo = (before: number, state: UnitState) => {
      // Every instant before this entry's time sees the state as it stands.
      for (; next < this.#times.length && (this.#times[next] as number) < before; next++) this.#count(next, state.snapshot.context as InstanceContext);
    };
    // The start entry itself is the initial state: a sample at the start instant sees it. The walk
    // stops once every instant is counted: the steps after it could tell nothing.
    const end = walkHistory(this.#chart, instance, history, {
      before: (state, entry) => {
        countUpTo(entry.at, state);
        return next < this.#times.length;
      },
    });
    if (end !== undefined) countUpTo(Infinity, end);
  }

  /** Flag → subjects holding it, at each instant, in the order given. */
  counts(): Record<string, number>[] {
    return this.#counts.map((counts) => Object.fromEntries(counts));
  }

  #count(index: number, context: InstanceContext): void {
    countFlags(this.#counts[index] as Map<string, number>, context);
  }
}

function holdsAFlag(context: InstanceContext): boolean {
  return context.flags.some((set) => set !== null && set.length > 0);
}

/** Whether a flag, once set, can be gone later: it lapses with a campaign period, or a grade band's flags go with the grade. */
function flagsMayBeTaken(plan: CampaignPlan): boolean {
  return plan.periods.length > 1 || plan.gradings.some((grading) => grading.bands.some((band) => band.flags.length > 0));
}
