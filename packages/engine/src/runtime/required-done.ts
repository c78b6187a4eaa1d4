import type { CampaignPlan } from '../compiler/campaign-plan.js';
import type { InstanceContext } from './instance-context.js';
import { unfinishedSlot } from './tasks.js';

/**
 * For the last task map asked about, the items found done or not for the recurrence counters they
 * were judged with. A map the guards see is one a step has returned, and such a map never changes
 * again. Only the last one: answers kept with every unit's map until its next event outlived two
 * scavenges and filled the old generation of a large simulation, for little use (an event that
 * changes no task is answered again).
 */
interface DoneKnown {
  readonly tasks: InstanceContext['tasks'];
  readonly recur: InstanceContext['recur'];
  readonly done: Map<string, boolean>;
}

/** For one unit and list, the required item last found unfinished and a subject slot that had not finished it. */
interface Unfinished {
  id: string;
  slot: number;
}

/**
 * 必做事项完成 — whether all required items of a list are done, as the statechart's guards ask after
 * every step: each work region and sub-process use for its items, each phase that ends when its work
 * is done, each over every subject. One per compiled machine (every unit of a campaign shares it).
 *
 * The answer is all items done, so one item not done settles it. Per unit and list, the item last
 * found not done is asked first, from the member last found not to have finished it: late in a
 * campaign most items are done and most members have done theirs, and going down the list and the
 * members again after each step re-read every finished task (each in an object of its own, rarely in
 * cache) before reaching one that was not. The hint only orders the checks; the answer is the same
 * with or without it.
 */
export class RequiredDone {
  readonly #plan: CampaignPlan;
  #last: DoneKnown | undefined;
  /** Per list asked, its required items (lists are the plan's own arrays). */
  readonly #required = new Map<readonly string[], readonly string[]>();
  /** Per unit, per list, where it was last found unfinished. */
  readonly #pending = new Map<string, Map<readonly string[], Unfinished>>();
  /** Where an item found unfinished is, before it is remembered (most items asked are done). */
  readonly #scratch: Unfinished = { id: '', slot: 0 };

  constructor(plan: CampaignPlan) {
    this.#plan = plan;
  }

  /** Only on a context a step has returned (the RecordKeeper writes its own copy of the task map while it runs). */
  of(context: InstanceContext, ids: readonly string[]): boolean {
    let known = this.#last;
    if (known === undefined || known.tasks !== context.tasks || known.recur !== context.recur) {
      known = { tasks: context.tasks, recur: context.recur, done: new Map() };
      this.#last = known;
    }
    const pending = this.#pending.get(context.unit);
    const hint = pending?.get(ids);
    if (hint !== undefined && !this.#done(known, context, hint.id, hint)) return false;
    for (const id of this.#requiredOf(ids)) {
      if (id === hint?.id) continue;
      const scratch = this.#scratch;
      scratch.slot = 0;
      if (this.#done(known, context, id, scratch)) continue;
      const found: Unfinished = { id, slot: scratch.slot };
      if (pending) pending.set(ids, found);
      else this.#pending.set(context.unit, new Map([[ids, found]]));
      return false;
    }
    pending?.delete(ids);
    return true;
  }

  /** Whether an item is done, answered once per task map; when it is not, `at.slot` is a slot that has not finished it. */
  #done(known: DoneKnown, context: InstanceContext, id: string, at: Unfinished): boolean {
    let done = known.done.get(id);
    if (done === undefined) {
      const slot = unfinishedSlot(this.#plan, context, id, at.slot);
      if (slot !== undefined) at.slot = slot;
      known.done.set(id, (done = slot === undefined));
    }
    return done;
  }

  #requiredOf(ids: readonly string[]): readonly string[] {
    let required = this.#required.get(ids);
    if (required === undefined) this.#required.set(ids, (required = ids.filter((id) => this.#plan.items.get(id)?.required === true)));
    return required;
  }
}
