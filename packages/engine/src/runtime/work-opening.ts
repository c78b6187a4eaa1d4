import { memberRefs } from './record-keys.js';
import { startRecurrence } from './recurrences.js';
import type { StepRecords } from './step-records.js';
import { holdsItem, isScheduled, openTask, recurs } from './tasks.js';

/**
 * 开放工作 — a stage's work opens: for each item this instance holds, a recurring one starts its
 * occurrences, a one-off one opens a task per subject. Used when a phase is entered (phases.ts) and
 * when a later part of a sub-process in sequence begins (sequence-parts.ts), where `countFromNow`
 * makes "阶段开始后N日内" count from the part's start rather than the phase's.
 */
export function openItems(records: StepRecords, ids: readonly string[], countFromNow = false): void {
  const { plan } = records;
  for (const id of ids) {
    const item = plan.items.get(id);
    if (!item || !holdsItem(item, records.context) || !isScheduled(item, records.context)) continue;
    if (recurs(item, records.context)) {
      startRecurrence(records, item);
      continue;
    }
    const fromNow =
      countFromNow && item.due?.kind === 'after' && plan.phaseById.has(item.due.anchor) ? plan.calendar.addDuration(records.at, item.due.duration) : undefined;
    for (const member of item.perMember ? memberRefs(records.context.members) : [undefined]) openTask(records, item, member, undefined, fromNow);
  }
}
