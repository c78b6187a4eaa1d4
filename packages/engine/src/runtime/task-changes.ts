import type { TaskTable } from './task-table.js';

type TaskMap = TaskTable;

/**
 * How a task map was made: a copy of the map numbered `baseId` in which the records under `keys`
 * were written. Maps are numbered, not referenced: a copy holding its base would keep every earlier
 * version of its unit's tasks alive, a whole year of them (and a WeakRef keeps its target until
 * the current job ends, which a simulation on a memory store, all microtasks, never reaches).
 */
interface TaskMapCopy {
  readonly baseId: number;
  readonly keys: Set<string>;
}

let nextId = 1;

/**
 * A map's number and how it was made, kept on the map itself under symbols (which JSON leaves
 * out, so a persisted snapshot is the same): task maps are copied on write and never changed once
 * a step has returned, so a map's change list stays true for as long as the map lives. On the map,
 * not in WeakMaps beside it: an event added two entries to them, and every entry is one more
 * ephemeron for the garbage collector to settle.
 */
const ID = Symbol('task map id');
const COPY = Symbol('task map copy');

interface Noted {
  [ID]?: number;
  [COPY]?: TaskMapCopy;
}

/**
 * The latest copies by number, for walking back over the maps one event made and dropped (its
 * step, then each phase it entered): those are always among the last few copies made.
 */
const recent = new Map<number, TaskMapCopy>();
const RECENT = 64;

/** One event rarely runs the keeper more than a few times (the event, then each phase it enters). */
const MAX_CHAIN = 16;

const NONE: ReadonlySet<string> = new Set();

function idOf(map: TaskMap): number {
  const noted = map as Noted;
  return (noted[ID] ??= nextId++);
}

/**
 * Notes that `next` is a copy of `base`; the caller adds each key it writes to the returned set
 * while its step runs.
 */
export function noteTaskMapCopy(next: TaskMap, base: TaskMap): Set<string> {
  const copy: TaskMapCopy = { baseId: idOf(base), keys: new Set<string>() };
  // A number of its own even if the copy was made by a spread, which copies the base's symbols too.
  const id = nextId++;
  (next as Noted)[ID] = id;
  (next as Noted)[COPY] = copy;
  recent.set(id, copy);
  if (recent.size > RECENT) recent.delete(recent.keys().next().value as number);
  return copy.keys;
}

/**
 * The keys whose records may differ between `before` and `after`, when `after` was made from
 * `before` by noted copies (an event's step, then the phases it entered); undefined when that is
 * not known, and the caller must compare everything. A key listed may hold an equal record.
 */
export function changedTaskKeys(before: TaskMap, after: TaskMap): ReadonlySet<string> | undefined {
  if (before === after) return NONE;
  const first = (after as Noted)[COPY];
  const target = (before as Noted)[ID];
  if (first === undefined || target === undefined) return undefined;
  if (first.baseId === target) return first.keys;
  const keys = new Set(first.keys);
  let id = first.baseId;
  for (let hops = 1; hops < MAX_CHAIN; hops++) {
    const copy = recent.get(id);
    if (copy === undefined) return undefined;
    for (const key of copy.keys) keys.add(key);
    if (copy.baseId === target) return keys;
    id = copy.baseId;
  }
  return undefined;
}
