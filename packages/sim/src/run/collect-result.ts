import { itemsResult } from '../item-flow.js';
import { type CampaignPlan, type TrackedItemView } from '@luoshi/engine';
import { EffectTally } from '../effect-tally.js';
import type { ScenarioFile } from '../model/scenario.js';
import type { DeadlineOutcome, MonthSample, RankingOutcome, SimulationResult, Timeline, TimelineDeadline } from '../simulation-result.js';
import { cmp, round4, sortKeys } from '../stable-order.js';
import { type LightsResult } from '../light-board.js';
import { ownValue, setOwn } from '../own-keys.js';
import type { Run } from './planned-run.js';
import { CAMPAIGN_ID, type Driver, type SimUnit } from './sim-unit.js';
import { unitOutcomes, type HeldAtEnd } from './unit-outcomes.js';

/** The campaign start and the start of every later month before `end`, in the campaign's zone. */
export function monthStarts(plan: CampaignPlan, end: number): number[] {
  const out = [plan.start];
  for (let m = plan.calendar.dateTime(plan.start).startOf('month').plus({ months: 1 }); m.toMillis() < end; m = m.plus({ months: 1 })) {
    out.push(m.toMillis());
  }
  return out;
}

/** Units per phase now, the office left out (its instance only coordinates). */
export async function unitsByPhase(engine: Driver, office: SimUnit | undefined, campaignId = CAMPAIGN_ID): Promise<Record<string, number>> {
  const phases = { ...(await engine.rollup(campaignId)).phases };
  if (office) {
    const { phase } = await engine.state(office.instanceId);
    const left = (ownValue(phases, phase) ?? 0) - 1;
    if (left > 0) setOwn(phases, phase, left);
    else delete phases[phase];
  }
  return phases;
}

/** The phase windows and deadlines of the plan, as JSON. */
/**
 * The plan's phases and deadlines as far as the run goes (`end`: the campaign's end, or the end of
 * the years simulated, e.g. a standing mechanism's first three of the fifty it is laid out over).
 */
function timelineOf(plan: CampaignPlan, end: number): Timeline {
  const iso = (ms: number) => new Date(ms).toISOString();
  const deadlines: (TimelineDeadline & { readonly at: number })[] = [];
  for (const item of plan.items.values()) {
    // The occurrences the run reaches: those that start by its end.
    const reached = (item.recurrence?.starts ?? []).filter((start) => start <= end).length;
    const dues = item.recurrence?.dues.slice(0, reached) ?? [];
    const at = dues.length > 0 ? Math.max(...dues) : (item.dueAt ?? item.stageEnd);
    if (item.recurrence ? reached === 0 : at > end) continue;
    deadlines.push({
      item: item.id,
      title: item.title,
      phase: item.phase,
      due: iso(at),
      ...(item.recurrence ? { occurrences: dues.length } : {}),
      at,
    });
  }
  deadlines.sort((a, b) => a.at - b.at || cmp(a.item, b.item));
  return {
    campaign: plan.title,
    zone: plan.zone,
    phases: plan.phases.filter((p) => p.start < end).map((p) => ({ id: p.id, title: p.title, start: iso(p.start), end: iso(Math.min(p.end, end)) })),
    deadlines: deadlines.map(({ at: _at, ...d }) => d),
  };
}

/** What was sampled at each month's start: units per phase and, in a campaign with flags, subjects per flag. */
export interface MonthSamples {
  readonly phases: readonly Record<string, number>[];
  readonly flags: readonly (Readonly<Record<string, number>> | undefined)[];
}

/**
 * The monthly series: the sampled phases and flags, the effects delivered and the ladder rungs climbed
 * in each month (from the `ladder:<id>:<level>` effects).
 */
function monthlyOf(plan: CampaignPlan, months: readonly number[], samples: MonthSamples, tally: EffectTally, items: readonly TrackedItemView[] | undefined): MonthSample[] {
  // 督办事项: each item's opening and closing in the month it falls in (before the first: the first).
  const monthOf = (at: number) => {
    let index = 0;
    while (index + 1 < months.length && (months[index + 1] as number) <= at) index++;
    return index;
  };
  const opened = months.map(() => 0);
  const closed = months.map(() => 0);
  for (const item of items ?? []) {
    const o = monthOf(item.openedAt);
    opened[o] = (opened[o] ?? 0) + 1;
    if (item.closedAt === undefined) continue;
    const c = monthOf(item.closedAt);
    closed[c] = (closed[c] ?? 0) + 1;
  }
  return months.map((at, i) => {
    const sample = {
      month: plan.calendar.dateTime(at).toFormat('yyyy-MM'),
      at: new Date(at).toISOString(),
      phases: samples.phases[i] ?? {},
      ladderClimbs: fromMap(tally.climbs[i] ?? new Map()),
      effects: fromMap(new Map([...(tally.perMonth[i] ?? new Map<string, number>())].sort(([a], [b]) => cmp(a, b)))),
      ...(samples.flags[i] === undefined ? {} : { flags: samples.flags[i] }),
    };
    // Only for a process with items, so the months of the others keep their bytes.
    return items ? { ...sample, items: { opened: opened[i] ?? 0, closed: closed[i] ?? 0, escalated: tally.escalations[i] ?? 0 } } : sample;
  });
}

export async function collect(
  engine: Driver,
  plan: CampaignPlan,
  end: number,
  scenario: ScenarioFile,
  seed: number,
  units: readonly SimUnit[],
  run: Run,
  tally: EffectTally,
  months: readonly number[],
  samples: MonthSamples,
  lights: LightsResult | undefined,
  flagsAtEnd: Readonly<Record<string, number>> | undefined,
  heldAtEnd: HeldAtEnd | undefined,
  campaignId = CAMPAIGN_ID,
): Promise<SimulationResult> {
  const outcomes = await engine.outcomes(campaignId);
  const deadlines = new Map<string, { total: number; onTime: number; late: number; overdue: number; open: number }>();
  const overdueByPhase = new Map<string, number>();
  for (const phase of plan.phases) overdueByPhase.set(phase.id, 0);
  for (const [item, counts] of Object.entries(outcomes.items)) {
    // A task still waiting for its anchor has no deadline yet: it counts for nothing.
    const total = counts.open + counts.overdue + counts.done + counts.late;
    if (total === 0) continue;
    deadlines.set(item, { total, onTime: counts.done, late: counts.late, overdue: counts.overdue, open: counts.open });
    const phase = plan.items.get(item)?.phase;
    if (phase !== undefined) overdueByPhase.set(phase, (overdueByPhase.get(phase) ?? 0) + counts.late + counts.overdue);
  }

  const rankings: Record<string, RankingOutcome> = {};
  for (const ranking of plan.rankings) {
    // Keys in the result's order (`sortKeys` then leaves the tens of thousands of them as they are),
    // and two layouts only: with a band and without.
    const standings = (await engine.standings(campaignId, ranking.id)).map((s): { band?: 'top' | 'bottom'; rank: number; score: number; subject: string } => {
      const subject = s.member === undefined ? s.unit : `${s.unit}/${s.member}`;
      const score = round4(s.score);
      return s.band === undefined ? { rank: s.rank, score, subject } : { band: s.band, rank: s.rank, score, subject };
    });
    setOwn(rankings, ranking.id, {
      subject: ranking.subject === 'member' ? 'member' : 'unit',
      ranked: standings.length,
      top: standings.filter((s) => s.band === 'top').map((s) => s.subject),
      bottom: standings.filter((s) => s.band === 'bottom').map((s) => s.subject),
      standings,
    });
  }

  const items = plan.trackedKinds ? await engine.items(campaignId) : undefined;
  const perUnit = await unitOutcomes(engine, campaignId, plan, units, tally, heldAtEnd, items);
  const deadlineOutcomes: Record<string, DeadlineOutcome> = {};
  for (const [item, d] of deadlines) {
    const itemPlan = plan.items.get(item);
    setOwn(deadlineOutcomes, item, {
      title: itemPlan?.title ?? item,
      phase: itemPlan?.phase ?? '',
      ...d,
      onTimeRate: d.total === 0 ? 1 : round4(d.onTime / d.total),
      daysLate: round4(perUnit.daysLateByItem.get(item) ?? 0),
    });
  }
  const workUnits = units.filter((u) => !u.office);
  // 申请延期: only for a process that takes extension requests, so results of the others keep their bytes.
  const extensions = run.extensions.result(months.map((at) => plan.calendar.dateTime(at).toFormat('yyyy-MM')));
  const result: SimulationResult = {
    scenario: scenario.id,
    processId: plan.processId,
    seed,
    period: { start: new Date(plan.start).toISOString(), end: new Date(end).toISOString() },
    organisation: { units: workUnits.length, members: units.reduce((n, u) => n + u.members.length, 0) },
    events: { sent: fromMap(run.sent), rejected: fromMap(run.rejected) },
    deadlines: deadlineOutcomes,
    units: perUnit.units,
    overdueByPhase: fromMap(overdueByPhase),
    ladders: outcomes.ladders,
    flags: flagsAtEnd ?? outcomes.flags,
    effects: fromMap(tally.counts),
    commended: [...tally.commended].sort(cmp),
    questioned: [...tally.questioned].sort(cmp),
    rankings,
    // Only for a process with gradings: results of the others keep the bytes they had.
    ...(plan.gradings.length > 0 ? { grades: outcomes.grades } : {}),
    timeline: timelineOf(plan, end),
    monthly: monthlyOf(plan, months, samples, tally, items),
    ...(lights ? { lights } : {}),
    // 督办事项: only for a process with items, so results of the others keep the bytes they had.
    ...(items ? { items: itemsResult(plan, items) } : {}),
    ...(extensions ? { extensions } : {}),
  };
  return sortKeys(result) as SimulationResult;
}

function fromMap(map: ReadonlyMap<string, number>): Record<string, number> {
  return Object.fromEntries(map);
}
