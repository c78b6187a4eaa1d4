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
 * A map's number, kept on the map itself under a symbol (which JSON leaves out, so a persisted
 * snapshot is the same), not in a WeakMap beside it: one ephemeron fewer per event for the garbage
 * collector to settle. How a map was made is kept only among the recent copies: the engine asks
 * right after the step that made it, and a change list kept as long as its map (until the unit's
 * next event) outlived two scavenges and was copied into the old generation, event after event.
 */
const ID = Symbol('task map id');

interface Noted {
  [ID]?: number;
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
  const afterId = (after as Noted)[ID];
  const first = afterId === undefined ? undefined : recent.get(afterId);
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
