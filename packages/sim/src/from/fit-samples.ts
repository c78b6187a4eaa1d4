import { CompiledCache, createInProcessEngine, taskOpenings, VirtualClock, writtenId, type CampaignPlan, type HistoryRecord, type OrganisationUnit } from '@luoshi/engine';
import { DAY, MONTH, type InspectionPlan } from '../run/sim-unit.js';
import type { LiveCampaign } from './live-campaign.js';
import { DEFINITION, parseStored, readStored, SNAPSHOTS, visible } from './stored-reading.js';

/** How the rectification rounds that could be judged ended (整改轮次): each a finding or a failed re-inspection. */
export interface RoundCounts {
  onTime: number;
  late: number;
  failsReinspection: number;
  never: number;
}

/** What the history says of one kind of unit (单位类别): the raw observations a scenario is fitted to. */
export interface KindSamples {
  readonly kind: string;
  units: number;
  members: number;
  /** Days from a task's opening to its completion, for tasks whose deadline had passed by the cut. */
  readonly delays: number[];
  /** Tasks whose deadline had passed by the cut, and how many of them were not done. */
  due: number;
  notDone: number;
  complaints: number;
  findings: number;
  readonly rounds: RoundCounts;
  /** Notices naming someone for a finding (with an inspection), and other notices. */
  findingNotices: number;
  otherNotices: number;
  /** Evaluation (as written) → scores given. */
  readonly scores: Map<string, number[]>;
}

/** Everything `fitScenario` estimates from. */
export interface FitSamples {
  readonly plan: CampaignPlan;
  /** The cut: where the campaign stood when read. */
  readonly at: number;
  /** Months from the campaign start to the cut. */
  readonly months: number;
  /** Months of that time in which an inspection could find (a phase that declares one was in its window, or has none). */
  readonly inspectionMonths: number;
  readonly kinds: ReadonlyMap<string, KindSamples>;
}

/** Days after a rectification deadline within which a late rectification is still awaited (the simulator draws 1–15). */
const LATE_DAYS = 15;

/**
 * 拟合样本 — reads, unit by unit, what the recorded history of a campaign shows of how its units
 * behave: each task's delay from opening (replayed, `taskOpenings`) to completion, the tasks never
 * done after their deadline, verified complaints, findings and how each rectification round ended,
 * notices, and the scores given. Throws only what it calls throws (a replayed step's
 * ENGINE_TIME_BACKWARDS or ENGINE_STEP_FAILED; a history without its start gives no openings).
 */
export async function fitSamples(live: LiveCampaign): Promise<FitSamples> {
  const histories = live.histories;
  if (!histories) throw new Error('fitSamples needs a campaign read with keepHistory');
  const compiledCache = new CompiledCache();
  const campaignId = live.stored.campaign.id;
  const { plan } = readStored(campaignId, DEFINITION, () => compiledCache.of(live.stored.definition));
  const engine = createInProcessEngine({ clock: new VirtualClock(live.at), compiledCache });
  const at = live.at;
  try {
    readStored(campaignId, SNAPSHOTS, () => engine.restoreCampaign(live.stored));
    const kindOf = unitKinds(live.organisation);
    const kinds = new Map<string, KindSamples>();
    for (const instance of live.stored.instances) {
      const unit = kindOf.get(instance.unitId);
      const kind = unit?.kind ?? 'unit';
      let samples = kinds.get(kind);
      if (samples === undefined) kinds.set(kind, (samples = emptySamples(kind)));
      samples.units++;
      samples.members += unit?.members ?? 0;
      const history = histories.get(instance.id) ?? [];
      const opened = readStored(campaignId, { en: `${visible(instance.id)}'s history`, zh: `${visible(instance.id)} 的历史记录` }, () =>
        taskOpenings({ definition: live.stored.definition, instance, history, compiledCache }),
      );
      for (const task of await engine.tasks(instance.id)) {
        if (task.kind === 'evaluation' || task.kind === 'inspection' || task.dueAt === undefined || task.dueAt > at) continue;
        samples.due++;
        const from = opened.get(task.key);
        if (task.completedAt === undefined) samples.notDone++;
        else if (from !== undefined && task.completedAt >= from) samples.delays.push((task.completedAt - from) / DAY);
      }
      countEvents(campaignId, plan, history, at, samples);
    }
    const end = Math.min(at, plan.end);
    return { plan, at, months: Math.max(0, end - plan.start) / MONTH, inspectionMonths: inspectionTime(plan, end) / MONTH, kinds };
  } finally {
    await engine.close();
  }
}

function emptySamples(kind: string): KindSamples {
  return { kind, units: 0, members: 0, delays: [], due: 0, notDone: 0, complaints: 0, findings: 0, rounds: { onTime: 0, late: 0, failsReinspection: 0, never: 0 }, findingNotices: 0, otherNotices: 0, scores: new Map() };
}

/** Unit id → its kind (the root's `office` unless it names one, as the simulator places units) and member count. */
function unitKinds(root: OrganisationUnit): Map<string, { readonly kind: string; readonly members: number }> {
  const out = new Map<string, { readonly kind: string; readonly members: number }>();
  const visit = (unit: OrganisationUnit, office: boolean): void => {
    out.set(unit.id, { kind: unit.kind ?? (office ? 'office' : 'unit'), members: unit.members?.length ?? 0 });
    for (const child of unit.units ?? []) visit(child, false);
  };
  visit(root, true);
  return out;
}

/** A host event's fields as the history keeps them. */
interface RecordedEvent {
  readonly type: string;
  readonly inspection?: string;
  readonly member?: string;
  readonly passed?: boolean;
  readonly evaluation?: string;
  readonly score?: number;
}

/** An open rectification round: when it began and its deadline, and whether it was rectified (when). */
interface OpenRound {
  readonly deadline: number;
  rectifiedAt?: number;
}

/** Counts the host events of one instance's history into its kind's samples, and judges its rectification rounds. */
function countEvents(campaignId: string, plan: CampaignPlan, history: readonly HistoryRecord[], at: number, samples: KindSamples): void {
  const open = new Map<string, OpenRound>();
  const close = (key: string, how: keyof RoundCounts): void => {
    open.delete(key);
    samples.rounds[how]++;
  };
  const begin = (key: string, inspection: InspectionPlan, from: number): void => {
    open.set(key, { deadline: plan.calendar.addDuration(from, inspection.rectifyWithin) });
  };
  for (const entry of history) {
    if (entry.cause !== 'host') continue;
    const event = parseStored<RecordedEvent>(campaignId, { en: `the event of ${visible(entry.instanceId)}'s history entry ${entry.revision}`, zh: `${visible(entry.instanceId)} 第 ${entry.revision} 条历史记录的事件` }, entry.event);
    const inspection = event.inspection === undefined ? undefined : plan.inspections.get(event.inspection);
    const key = `${event.inspection ?? ''}@${event.member ?? ''}`;
    switch (event.type) {
      case 'complaint.verified':
        samples.complaints++;
        break;
      case 'notified':
        if (event.inspection === undefined) samples.otherNotices++;
        else samples.findingNotices++;
        break;
      case 'score.given': {
        if (event.evaluation === undefined || typeof event.score !== 'number') break;
        const item = plan.items.get(event.evaluation);
        const id = item ? writtenId(item) : event.evaluation;
        const list = samples.scores.get(id) ?? [];
        list.push(event.score);
        samples.scores.set(id, list);
        break;
      }
      case 'finding.recorded':
        samples.findings++;
        if (inspection) begin(key, inspection, entry.at);
        break;
      case 'rectification.done': {
        const round = open.get(key);
        if (!round) break;
        round.rectifiedAt = entry.at;
        // Without a re-inspection the round ends here.
        if (!inspection?.reinspect) close(key, entry.at <= round.deadline ? 'onTime' : 'late');
        break;
      }
      case 'reinspection.recorded': {
        const round = open.get(key);
        if (!round || round.rectifiedAt === undefined) break;
        if (event.passed === false) {
          close(key, 'failsReinspection');
          if (inspection) begin(key, inspection, entry.at);
        } else close(key, round.rectifiedAt <= round.deadline ? 'onTime' : 'late');
        break;
      }
    }
  }
  // A round still open is judged never rectified once a late rectification can no longer come; else it is not judged yet.
  for (const [key, round] of open) if (round.rectifiedAt === undefined && round.deadline + LATE_DAYS * DAY < at) close(key, 'never');
}

/** How much of the time from the start to `end` an inspection could find: a phase that declares one is in its window, or has none. */
function inspectionTime(plan: CampaignPlan, end: number): number {
  const spans: [number, number][] = [];
  for (const inspection of plan.inspections.values()) {
    if (plan.items.get(inspection.id)?.kind === 'inspection') continue;
    for (const id of inspection.phases) {
      const phase = plan.phaseById.get(id);
      if (phase === undefined) continue;
      if (phase.opens === undefined) spans.push([plan.start, end]);
      else spans.push([Math.max(plan.start, phase.start), Math.min(end, phase.end)]);
    }
  }
  spans.sort((a, b) => a[0] - b[0]);
  let total = 0;
  let reached = plan.start;
  for (const [from, to] of spans) {
    const a = Math.max(from, reached);
    if (to > a) total += to - a;
    reached = Math.max(reached, to);
  }
  return total;
}
