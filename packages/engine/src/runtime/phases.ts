import { ownValue } from './own-keys.js';
import { withKey } from './record-keys.js';
import { startRecurrence } from './recurrences.js';
import { phaseOpening } from './sequence-parts.js';
import { openItems } from './work-opening.js';
import type { StepRecords } from './step-records.js';
import { holdsItem } from './tasks.js';

/*
 * 阶段 — what entering a phase (动员部署 → 组织实施 → …) and deciding on one write in the records:
 * when the instance entered it (the anchor of deadlines "N days after the phase starts"), its items'
 * tasks opened for every subject that holds them, recurring ones started; the option a decision
 * took. Which phase comes next is the statechart's (compile-machine.ts).
 */

/**
 * Opens the work of a phase the instance has just entered at `records.at`, or, when the unit's
 * cohort (批次) starts later or the phase's window opens later (a decision's branch "明年推开", a
 * phase before it left early), notes when it opens and opens nothing: its tasks are not due, nor
 * done, before then (`phaseOpens`).
 */
export function enterPhase(records: StepRecords, phaseId: string): void {
  const phase = records.plan.phaseById.get(phaseId);
  if (!phase) return;
  // 周期: a unit entering the next cycle's first phase is in that cycle (work named without one is its).
  if (phase.cycle !== records.context.cycle) records.patch({ cycle: phase.cycle });
  // 未启动: a unit whose cohort (批次) starts later waits in whichever phase it is in until then.
  const startsAt = records.context.startsAt;
  if (startsAt !== undefined && records.at < startsAt) {
    records.patch({ opensAt: startsAt });
    return;
  }
  if (startsAt !== undefined) records.patch({ startsAt: undefined });
  startCampaignWork(records);
  // 批次 starting as the phase's window ends (a cohort of 1 January, the year's last phase over at
  // that instant): the phase's `phase:` timer moves the unit on at this same instant, and the unit
  // owes none of the phase's work, all of it due before it started.
  if (startsAt !== undefined && records.context.startSkipsEndedPhase === true && records.at >= phase.end) {
    if (records.context.opensAt !== undefined) records.patch({ opensAt: undefined });
    return;
  }
  if (phase.opens !== undefined && records.at < phase.opens) {
    records.patch({ opensAt: phase.opens });
    return;
  }
  if (records.context.opensAt !== undefined) records.patch({ opensAt: undefined });
  openPhase(records, phaseId);
}

/** 阶段时段开始 — the window of the phase the instance waits in has opened (its `opens` timer): its work opens now. */
export function phaseOpens(records: StepRecords, phaseId: string): void {
  if (records.context.opensAt === undefined) return;
  records.patch({ opensAt: undefined });
  // The unit's cohort has started, and the phase's window may still be ahead: entered again, it waits for that.
  enterPhase(records, phaseId);
}

/** Notes when the instance entered the phase (the anchor of "N days after the phase starts") and opens its items' tasks. */
function openPhase(records: StepRecords, phaseId: string): void {
  const phase = records.plan.phaseById.get(phaseId);
  if (!phase) return;
  records.patch({ entered: withKey(records.context.entered, phaseId, records.at) });
  // A sub-process whose parts run in sequence opens only its first part now (sequence-parts.ts).
  openItems(records, phaseOpening(records, phaseId, phase.itemIds));
}

/**
 * 作出决定 — a decision taken: its option recorded, and the `decision-taken` event. An option that
 * names a cohort (申报 2018年) puts the unit in it, 未启动 until it starts: the phase it goes to waits.
 */
export function takeDecision(records: StepRecords, decision: string, option: string): void {
  records.patch({ decisions: withKey(records.context.decisions, decision, option) });
  const cohort = optionCohort(records, decision, option);
  if (cohort !== undefined) records.patch({ cohort: cohort.id, startsAt: cohort.start > records.at ? cohort.start : undefined });
  records.raise('decision-taken', undefined);
}

function optionCohort(records: StepRecords, decision: string, option: string): { readonly id: string; readonly start: number } | undefined {
  for (const phase of records.plan.phases)
    for (const d of phase.decisions) {
      if (d.id !== decision) continue;
      const id = d.options.find((o) => o.id === option)?.cohort;
      return id === undefined ? undefined : records.plan.cohorts.get(id);
    }
  return undefined;
}

/**
 * 全程常态任务 — the campaign's own duties start with the first phase the instance enters, even one
 * that waits for its window, and only once: a duty already started keeps its next occurrence.
 */
function startCampaignWork(records: StepRecords): void {
  for (const id of records.plan.campaignItemIds) {
    const item = records.plan.items.get(id);
    if (!item || ownValue(records.context.recur, id) !== undefined || !holdsItem(item, records.context)) continue;
    startRecurrence(records, item);
  }
}
