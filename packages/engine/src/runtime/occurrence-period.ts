import type { CampaignPlan, ItemPlan } from '../compiler/campaign-plan.js';
import { taskFor, type TaskTable } from './task-table.js';

/*
 * 报告期 — the period a completion of a recurring duty is for. A host names it by a day inside it, as
 * a report's cover says it ("2024-05" for May's 学习记录, "2024-04-01" or any day of the second quarter
 * for its 季度报告): the occurrence whose period holds that day. An occurrence's period runs from its
 * start to the next one's start (the last one's, to its deadline).
 */

/** How a period is written: a month (`2024-05`) or a day (`2024-05-20`). */
const PERIOD_FORM = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/;

/** The start of the day a period names, in the campaign's zone, or undefined when it is not a real month or day. */
export function periodDay(plan: CampaignPlan, text: string): number | undefined {
  const match = PERIOD_FORM.exec(text);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), match[3] === undefined ? 1 : Number(match[3])];
  if (month < 1 || month > 12 || day < 1) return undefined;
  const date = plan.calendar.dateTime(plan.start).set({ year, month, day, hour: 0, minute: 0, second: 0, millisecond: 0 });
  // luxon carries an overflowing day into the next month: 2024-02-30 is not a day.
  if (!date.isValid || date.year !== year || date.month !== month || date.day !== day) return undefined;
  return date.toMillis();
}

/** The index of the occurrence of a recurring item whose period holds `day`, or undefined if none does. */
export function occurrenceOfDay(item: ItemPlan, day: number): number | undefined {
  const rec = item.recurrence;
  if (!rec) return undefined;
  for (let n = rec.starts.length - 1; n >= 0; n--) {
    const start = rec.starts[n] as number;
    if (day < start) continue;
    const end = rec.starts[n + 1] ?? Math.max(rec.dues[n] as number, start + 1);
    return day < end ? n : undefined;
  }
  return undefined;
}

/**
 * 默认报告期 — the occurrence a completion without a `period` is for, of the `started` occurrences
 * of a recurring item: the oldest still open and not yet overdue, else the latest started. Where a
 * duty's occurrences overlap (每月5日前: May's report due 5 June while June's has started), a report
 * on 3 June is May's; where they do not, the only open one is the latest. An older one already
 * overdue stays overdue: a later report is not pushed back onto it (it names its `period` to be).
 * `member` is the member's reference in the records.
 */
export function defaultOccurrence(tasks: TaskTable, item: ItemPlan, started: number, member: string | undefined): number | undefined {
  for (let n = 0; n < started; n++) if (taskFor(tasks, item.id, member, n)?.s === 'open') return n;
  return started > 0 ? started - 1 : undefined;
}
