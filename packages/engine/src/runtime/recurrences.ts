import type { ItemPlan } from '../compiler/campaign-plan.js';
import { ownValue } from './own-keys.js';
import { memberRefs, withKey } from './record-keys.js';
import type { StepRecords } from './step-records.js';
import { openTask } from './tasks.js';

/*
 * 周期性任务 — recurring duties (每月学习, 每季度评比检查): an item whose occurrences start on the
 * calendar, each opening a task per subject (`item#n`). The instance keeps the index of the next
 * occurrence; its `recur` timer (`timer-keys.ts`) is due at that occurrence's start.
 */

/**
 * A timer that fired this long after its time counts as missed for recurrences: a polling host is
 * never that late unless it was down.
 */
export const LATE_GRACE_MS = 60 * 60 * 1000;

/** A recurring item's phase is entered: its first occurrence is next. */
export function startRecurrence(records: StepRecords, item: ItemPlan): void {
  records.patch({ recur: withKey(records.context.recur, item.id, 0) });
}

/**
 * An occurrence's start has come (its `recur` timer, due at `dueAt`). Occurrences whose start
 * passed while the host was down are skipped to the latest one; that one's tasks are opened unless
 * it is late and the item's `missed` policy skips late occurrences. With `fire-each` (逐次补发) none
 * is skipped: every occurrence passed opens with its own due, and those past it go overdue when
 * their `due` timers fire, at once (a monthly report missed while the engine was down is owed).
 */
export function occurrenceStarts(records: StepRecords, itemId: string, dueAt: number): void {
  const item = records.plan.items.get(itemId);
  const rec = item?.recurrence;
  if (!item || !rec) return;
  const { at } = records;
  let next = ownValue(records.context.recur, itemId) ?? 0;
  let latest = next;
  while (latest + 1 < rec.starts.length && (rec.starts[latest + 1] as number) <= at) latest++;
  const late = latest > next || at - dueAt > LATE_GRACE_MS;
  const create = !late || rec.missed !== 'skip' || at - (rec.starts[latest] as number) <= LATE_GRACE_MS;
  const first = rec.missed === 'fire-each' ? next : latest;
  next = latest + 1;
  records.patch({ recur: withKey(records.context.recur, itemId, next) });
  if (!create) return;
  for (let occurrence = first; occurrence <= latest; occurrence++)
    for (const member of item.perMember ? memberRefs(records.context.members) : [undefined]) openTask(records, item, member, occurrence, rec.dues[occurrence]);
}
