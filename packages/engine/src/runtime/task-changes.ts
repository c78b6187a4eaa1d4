import type { TaskRecord } from './instance-context.js';

type TaskMap = Readonly<Record<string, TaskRecord>>;

/** How a task map was made: a copy of `base` in which the records under `keys` were written. */
interface TaskMapCopy {
  readonly base: TaskMap;
  readonly keys: Set<string>;
}

/**
 * The copies the RecordKeeper made, by the map it made. Task maps are copied on write and never
 * changed once a step has returned, so a map's change list stays true for as long as the map lives
 * (the WeakMap lets both go together).
 */
const copies = new WeakMap<TaskMap, TaskMapCopy>();

/** One event rarely runs the keeper more than a few times (the event, then each phase it enters). */
const MAX_CHAIN = 16;

const NONE: ReadonlySet<string> = new Set();

/**
 * Notes that `next` is a copy of `base`; the caller adds each key it writes to the returned set
 * while its step runs.
 */
export function noteTaskMapCopy(next: TaskMap, base: TaskMap): Set<string> {
  const keys = new Set<string>();
  copies.set(next, { base, keys });
  return keys;
}

/**
 * The keys whose records may differ between `before` and `after`, when `after` was made from
 * `before` by noted copies (an event's step, then the phases it entered); undefined when that is
 * not known, and the caller must compare everything. A key listed may hold an equal record.
 */
export function changedTaskKeys(before: TaskMap, after: TaskMap): ReadonlySet<string> | undefined {
  if (before === after) return NONE;
  const first = copies.get(after);
  if (first === undefined) return undefined;
  if (first.base === before) return first.keys;
  const keys = new Set(first.keys);
  let copy = copies.get(first.base);
  for (let hops = 1; copy !== undefined && hops < MAX_CHAIN; hops++) {
    for (const key of copy.keys) keys.add(key);
    if (copy.base === before) return keys;
    copy = copies.get(copy.base);
  }
  return undefined;
}
