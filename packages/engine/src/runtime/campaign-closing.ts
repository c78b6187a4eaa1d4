import type { StepRecords } from './step-records.js';
import { effectDraft } from './step-records.js';

/*
 * 终止活动 — the office closes a unit's campaign in one act: a 长效机制 (standing mechanism) stopped,
 * a campaign rescinded or superseded ("本通知自印发之日起施行…原…同时废止"), or ended early. It ends
 * the instance as a decision's `next: end` does, without the process having to offer such a decision
 * in every phase: the statechart goes to `ended` from any phase (`compile-machine.ts`), and the work
 * still open is ruled over with it — no wrap-up (收尾), so no task of it goes overdue afterwards, and
 * every timer of the instance goes with the step (`step.ts`). An instance already in its wrap-up
 * closes too. The unit has left the campaign (`left`), as one a decision ended has: later rankings
 * and dated gradings of a campaign closed for some units only do not place or grade it.
 */

/**
 * Records the closing at `records.at` with its reason, ends any wrap-up and marks the unit as having
 * left, and tells the host (a `notify` effect caused by `close`, its title the reason) so a hook can
 * tell the unit its work under the campaign is over.
 */
export function closeCampaignHere(records: StepRecords, reason: string): void {
  const { at } = records;
  if (records.context.closed !== undefined) return;
  records.patch({ closed: { at, reason }, closesAt: undefined });
  if (records.context.left === undefined) records.patch({ left: at });
  records.emit(effectDraft('notify', `活动终止：${reason}`, 'close', undefined, undefined));
}
