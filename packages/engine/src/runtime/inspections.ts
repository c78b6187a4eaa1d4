import type { InspectionRecord } from './instance-context.js';
import { ownValue } from './own-keys.js';
import { inspectionKey, withKey } from './record-keys.js';
import type { StepRecords } from './step-records.js';
import { completeTask } from './tasks.js';
import { openFromFinding } from './tracked-items.js';

/*
 * 检查整改 — the inspection loop 检查 → 发现问题 → 整改通知书 → 限期整改 → 复验: a finding opens a
 * rectification round with a deadline (or counts again on one already running); the subject reports
 * the rectification done; a re-inspection passes (clear) or fails (the next round), and a round
 * whose deadline passes fails too (its `rectify` timer, `timer-keys.ts`). After `maxRounds` failed
 * rounds the loop is exhausted. Each step has its outcome (`onFinding`, `onFailed`, `onExhausted`)
 * and raises its event. One record per inspection and subject (`inspectionKey`), which is also the
 * id of its `rectify` timer.
 *
 * 定期检查 — an inspection with `every:` is also owed by its inspector once per occurrence and
 * subject (the task `检查#n`, compile-plan.ts): a finding is that period's inspection done, and so is
 * a clean result, which the inspector reports by completing the task (`task.completed`); an
 * occurrence with neither is overdue when the next one starts.
 */

/** 发现问题 — a finding: a clear loop starts its first rectification round. */
export function recordFinding(records: StepRecords, inspectionId: string, member: string | undefined): void {
  const plan = records.plan.inspections.get(inspectionId);
  if (!plan) return;
  const key = inspectionKey(inspectionId, member);
  const rec = ownValue(records.context.insp, key) ?? { s: 'clear', round: 0, findings: 0 };
  if (rec.s === 'clear')
    setInspection(records, key, {
      s: 'rectifying',
      round: 1,
      findings: rec.findings + 1,
      due: records.plan.calendar.addDuration(records.at, plan.rectifyWithin),
    });
  else setInspection(records, key, { ...rec, findings: rec.findings + 1 });
  // A finding is this period's inspection of the subject done (定期检查), as a clean result would be.
  if (records.plan.items.get(inspectionId)?.kind === 'inspection') completeTask(records, inspectionId, plan.subject === 'member' ? member : undefined);
  // 交办: an item of each kind whose findings come from this inspection, due with the rectification.
  if (records.plan.trackedKinds !== undefined) {
    const after = ownValue(records.context.insp, key);
    openFromFinding(records, inspectionId, after?.findings ?? 1, after?.due);
  }
  if (plan.onFinding) records.outcome(plan.onFinding, member, `finding:${inspectionId}`);
  records.raise('finding-recorded', member);
}

/** 整改完成 — the rectification reported done: re-inspected when the inspection says so, else clear. */
export function rectificationDone(records: StepRecords, inspectionId: string, member: string | undefined): void {
  const key = inspectionKey(inspectionId, member);
  const rec = ownValue(records.context.insp, key);
  const plan = records.plan.inspections.get(inspectionId);
  if (rec && plan && rec.s === 'rectifying') setInspection(records, key, plan.reinspect ? { ...rec, s: 'reinspecting' } : { ...rec, s: 'clear', round: 0 });
}

/** 复验 — the re-inspection's verdict: passed is clear, failed is a failed round. */
export function reinspectionRecorded(records: StepRecords, inspectionId: string, member: string | undefined, passed: boolean): void {
  const key = inspectionKey(inspectionId, member);
  const rec = ownValue(records.context.insp, key);
  if (rec?.s !== 'reinspecting') return;
  if (passed) setInspection(records, key, { s: 'clear', round: 0, findings: rec.findings });
  else failRound(records, inspectionId, member);
}

/** A rectification deadline passed (its `rectify` timer, `timer-keys.ts`): the round failed if it is still running. */
export function rectificationOverdue(records: StepRecords, key: string): void {
  const at = key.indexOf('@');
  const inspection = at < 0 ? key : key.slice(0, at);
  const member = at < 0 ? undefined : key.slice(at + 1);
  if (ownValue(records.context.insp, key)?.s === 'rectifying') failRound(records, inspection, member);
}

/** A failed re-inspection, or a rectification deadline passed: the next round, or exhausted. */
function failRound(records: StepRecords, inspectionId: string, member: string | undefined): void {
  const plan = records.plan.inspections.get(inspectionId);
  const key = inspectionKey(inspectionId, member);
  const rec = ownValue(records.context.insp, key);
  if (!plan || !rec) return;
  if (plan.onFailed) records.outcome(plan.onFailed, member, `reinspection:${inspectionId}:${rec.round}`);
  records.raise('reinspection-failed', member);
  if (rec.round >= plan.maxRounds) {
    const { due: _due, ...rest } = rec;
    setInspection(records, key, { ...rest, s: 'exhausted' });
    if (plan.onExhausted) records.outcome(plan.onExhausted, member, `exhausted:${inspectionId}`);
  } else {
    setInspection(records, key, {
      ...rec,
      s: 'rectifying',
      round: rec.round + 1,
      due: records.plan.calendar.addDuration(records.at, plan.rectifyWithin),
    });
  }
}

function setInspection(records: StepRecords, key: string, record: InspectionRecord): void {
  records.patch({ insp: withKey(records.context.insp, key, record) });
}
