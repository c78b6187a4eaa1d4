import type { TaskRecord } from './instance-context.js';
import { setOwn } from './own-keys.js';
import { subjectSlot } from './record-keys.js';

/** One subject's task records by local key: `item`, or `item#n` for an occurrence of a recurring one. */
export type SubjectTasks = Readonly<Record<string, TaskRecord>>;

/**
 * 任务 — an instance's task records by subject slot (the unit in slot 0, member reference r in slot
 * r + 1, see `subjectSlot`), each subject's by local key. The rest of the engine names a task by its
 * whole key (`item`, `item#n`, `item@r`, `item#n@r`, see `taskKey`); these functions translate.
 * By subject, not one map of every key: a step copies what it writes, and one map held every task
 * of thirty members (a large map in V8's slow dictionary form, copied and kept whole on every
 * event), where a subject's own map is a few keys and the table is an array of thirty pointers.
 */
export type TaskTable = readonly (SubjectTasks | null)[];

/** A task table being written by one step: the table and the subject maps it copied (see `TaskTableCopy`). */
type MutableTaskTable = (Record<string, TaskRecord> | null)[];

/** The slot and local key of a whole task key. */
function split(key: string): { readonly slot: number; readonly local: string } {
  const at = key.indexOf('@');
  return at < 0 ? { slot: 0, local: key } : { slot: subjectSlot(key.slice(at + 1)), local: key.slice(0, at) };
}

/** The record under a whole task key, if there is one (own keys only: an item may be called `constructor`). */
export function taskAt(tasks: TaskTable, key: string): TaskRecord | undefined {
  const { slot, local } = split(key);
  return taskIn(tasks, slot, local);
}

/** The record of one subject's local key (the hot path of guards, without a whole key made and split). */
export function taskIn(tasks: TaskTable, slot: number, local: string): TaskRecord | undefined {
  const own = tasks[slot];
  return own && Object.hasOwn(own, local) ? own[local] : undefined;
}

/** The record of an item's task for a subject (and occurrence), without a whole key made to be split again. */
export function taskFor(tasks: TaskTable, item: string, member?: string, occurrence?: number): TaskRecord | undefined {
  return taskIn(tasks, subjectSlot(member), localTaskKey(item, occurrence));
}

/** The local key of an item or of one occurrence of it. */
export function localTaskKey(item: string, occurrence?: number): string {
  return occurrence === undefined ? item : `${item}#${occurrence}`;
}

/**
 * Calls `visit` with every record (only those `only` keeps, when given) and its whole key, subject
 * by subject (the unit's first). A whole key is made only for a record visited: a query for the open
 * tasks of a unit late in its year passes over hundreds of closed ones.
 */
export function forEachTask(tasks: TaskTable, visit: (key: string, task: TaskRecord) => void, only?: (task: TaskRecord) => boolean): void {
  for (let slot = 0; slot < tasks.length; slot++) {
    const own = tasks[slot];
    if (!own) continue;
    const suffix = slot === 0 ? '' : `@${slot - 1}`;
    for (const local in own) {
      if (!Object.hasOwn(own, local)) continue;
      const task = own[local] as TaskRecord;
      if (only === undefined || only(task)) visit(`${local}${suffix}`, task);
    }
  }
}

/** Every record of one subject, or of every subject when `slot` is undefined. */
export function tasksOf(tasks: TaskTable, slot?: number): TaskRecord[] {
  const out: TaskRecord[] = [];
  const [from, to] = slot === undefined ? [0, tasks.length] : [slot, slot + 1];
  for (let s = from; s < to; s++) {
    const own = tasks[s];
    if (own) for (const local in own) if (Object.hasOwn(own, local)) out.push(own[local] as TaskRecord);
  }
  return out;
}

/**
 * The copy of a task table one step writes into: the table is copied on the first write, each
 * subject's map on the first write to it, and both are written in place after that (nobody sees
 * them before the step returns).
 */
export class TaskTableCopy {
  readonly table: MutableTaskTable;
  readonly #copied = new Set<number>();

  constructor(base: TaskTable) {
    this.table = base.slice();
  }

  set(key: string, record: TaskRecord): void {
    const { slot, local } = split(key);
    const { table } = this;
    if (!this.#copied.has(slot)) {
      while (table.length < slot) table.push(null);
      table[slot] = { ...(table[slot] ?? {}) };
      this.#copied.add(slot);
    }
    setOwn(table[slot] as Record<string, TaskRecord>, local, record);
  }
}
