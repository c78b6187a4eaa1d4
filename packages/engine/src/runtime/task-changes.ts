import type { CampaignPlan } from '../compiler/campaign-plan.js';
import type { TaskTable } from './task-table.js';

/** One copy of a task table a step made: `next`, written over `base` under `keys`. */
interface TableCopy {
  readonly base: TaskTable;
  readonly next: TaskTable;
  readonly keys: Set<string>;
}

/**
 * How many copies are kept: the engine asks right after the step that made them, about one event's
 * chain of copies (its step, then each phase it entered), always among the last few made; a chain
 * longer than this is not known, and the caller derives everything again.
 */
const RECENT = 16;

const NONE: ReadonlySet<string> = new Set();

/**
 * 任务变更 — which task records a step wrote, so the engine patches an event's timers and counts
 * instead of deriving them again from every record of the unit ("Patch what an event changed").
 * The RecordKeeper notes each task table it copies and the keys it writes in it; the engine then
 * walks from the table after an event back to the one before it. Only the latest copies are kept,
 * in a ring: a change list kept as long as its table (until the unit's next event) outlived two
 * scavenges and was copied into the old generation, event after event, and a table holding its
 * base would keep every earlier version of its unit's tasks alive. Nothing is written on the tables
 * themselves (they are persisted as they are).
 */
export class TaskChanges {
  readonly #ring: (TableCopy | undefined)[] = new Array<TableCopy | undefined>(RECENT).fill(undefined);
  /** Where the latest copy is in the ring. */
  #latest = RECENT - 1;

  /** Notes that `next` is a copy of `base`; the caller adds each key it writes to the returned set while its step runs. */
  noteCopy(next: TaskTable, base: TaskTable): Set<string> {
    const keys = new Set<string>();
    this.#latest = (this.#latest + 1) % RECENT;
    this.#ring[this.#latest] = { base, next, keys };
    return keys;
  }

  /**
   * The keys whose records may differ between `before` and `after`, when `after` was made from
   * `before` by noted copies (an event's step, then the phases it entered); undefined when that is
   * not known, and the caller must compare everything. A key listed may hold an equal record.
   */
  changed(before: TaskTable, after: TaskTable): ReadonlySet<string> | undefined {
    if (before === after) return NONE;
    // Newest first: each copy's base was made before it, so one pass back finds the whole chain.
    let target = after;
    let first: Set<string> | undefined;
    let keys: Set<string> | undefined;
    for (let back = 0; back < RECENT; back++) {
      const copy = this.#ring[(this.#latest - back + RECENT) % RECENT];
      if (copy === undefined) return undefined;
      if (copy.next !== target) continue;
      if (first === undefined) first = copy.keys;
      else for (const key of copy.keys) (keys ??= new Set(first)).add(key);
      if (copy.base === before) return keys ?? first;
      target = copy.base;
    }
    return undefined;
  }
}

/** Each plan's notes (every unit of a campaign runs one plan; a step notes and is asked about within one call). */
const changesOfPlan = new WeakMap<CampaignPlan, TaskChanges>();

/** The task changes noted for a plan's instances. */
export function taskChangesOf(plan: CampaignPlan): TaskChanges {
  let changes = changesOfPlan.get(plan);
  if (changes === undefined) changesOfPlan.set(plan, (changes = new TaskChanges()));
  return changes;
}

/** See `TaskChanges.changed`, for an instance of `plan`. */
export function changedTaskKeys(plan: CampaignPlan, before: TaskTable, after: TaskTable): ReadonlySet<string> | undefined {
  return taskChangesOf(plan).changed(before, after);
}
