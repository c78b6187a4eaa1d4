import type { CampaignPlan, RankingPlan } from '../compiler/campaign-plan.js';
import type { RankingPlace } from './campaign-event.js';
import { conditionHolds, subjectMeets } from './conditions.js';
import type { InstanceContext } from './instance-context.js';
import { ownValue } from './own-keys.js';
import { memberIdOf, memberOfSubject, memberRef, memberRefs, setSlot, subjectSlot, UNIT_SUBJECT, withKey } from './record-keys.js';
import { countAt, sumAt } from './score-sums.js';
import type { StepRecords } from './step-records.js';

/*
 * 评比排名 — rankings (年底评选十佳单位/十佳标兵): at its date the engine ranks every eligible subject
 * of a campaign by its weighted evaluation means (`rankSubjects`) and tells each instance its places
 * (`ranking.placed`); the instance records each rank and applies the top and bottom bands' outcomes
 * (`placeRanking`).
 */

/** The unit alone, as a list of subject references. */
const UNIT_ONLY: readonly (string | undefined)[] = [undefined];

/** The order of `localeCompare()` with one collator made once (a ranking sorts many ties). */
const collator = new Intl.Collator();

/** One ranked subject. */
export interface RankedSubject {
  readonly instanceId: string;
  readonly unit: string;
  readonly member?: string;
  readonly score: number;
  readonly rank: number;
  readonly band?: 'top' | 'bottom';
}

/**
 * Ranks the subjects of a campaign (评比排名) at its date `occurrence`, among the units still in the
 * campaign (not those a decision ended, `left`): each eligible subject's score
 * is the weighted mean of its evaluation means (a missing evaluation counts 0) — the means of every
 * score so far, or in a cycled campaign (周期) of the cycle of that date — best first, ties by unit and member id for
 * a stable order; the best `top.count` and the worst `bottom.count` are placed in their bands.
 */
export function rankSubjects(
  ranking: RankingPlan,
  instances: readonly { readonly id: string; readonly context: InstanceContext }[],
  occurrence = 0,
  plan?: CampaignPlan,
): RankedSubject[] {
  const candidates: { -readonly [K in keyof RankedSubject]: RankedSubject[K] }[] = [];
  // Once per ranking, not per subject: a campaign of thousands of units ranks hundreds of thousands of members.
  // 周期: a cycled campaign's ranking of its cycle `occurrence` ranks that cycle's evaluations.
  const weights = Object.entries(ranking.weightsByDate?.[occurrence] ?? ranking.weights);
  const totalWeight = weights.reduce((a, [, w]) => a + w, 0) || 1;
  for (const { id, context } of instances) {
    if (!context.unitWork) continue;
    // 退出活动: a unit a decision ended before this date is no longer in the campaign (see `leaveCampaign`).
    if (context.left !== undefined) continue;
    const subjects = ranking.subject === 'unit' ? UNIT_ONLY : memberRefs(context.members);
    // Each evaluation's sums and deductions looked up once per instance, not per member: an
    // instance's maps have layouts of their own (evaluations scored in its own order).
    const sums = weights.map(([evaluation]) => ownValue(context.scores, evaluation));
    const deducted = weights.map(([evaluation]) => (context.deducted === undefined ? undefined : ownValue(context.deducted, evaluation)));
    for (const ref of subjects) {
      if (ranking.eligible && !subjectMeets(ranking.eligible, context, ref, plan)) continue;
      const member = memberIdOf(context.members, ref);
      const slot = subjectSlot(ref);
      let total = 0;
      for (let w = 0; w < weights.length; w++) {
        const weight = (weights[w] as [string, number])[1];
        const n = countAt(sums[w], slot);
        // Points deducted (扣分) come off the evaluation's mean, a missing mean counting 0.
        total += (n === 0 ? 0 : (weight * sumAt(sums[w], slot)) / n) - weight * (deducted[w]?.[slot] ?? 0);
      }
      // Fields assigned in one order, the member only when there is one: one object layout per kind
      // of subject (a literal with a conditional spread got a layout of its own every time).
      const candidate = { instanceId: id, unit: context.unit } as (typeof candidates)[number];
      if (member !== undefined) candidate.member = member;
      candidate.score = total / totalWeight;
      candidate.rank = 0;
      candidates.push(candidate);
    }
  }
  const ranked = bestFirst(candidates);
  const top = Math.min(ranking.top?.count ?? 0, ranked.length);
  const bottomStart = Math.max(top, ranked.length - (ranking.bottom?.count ?? 0));
  ranked.forEach((c, i) => {
    c.rank = i + 1;
    if (i < top) c.band = 'top';
    else if (i >= bottomStart) c.band = 'bottom';
  });
  return ranked;
}

/**
 * The candidates best first, ties by unit id and then member id in the collator's order (a stable
 * sort). A member ranking sorts tens of thousands of subjects, and the collator on every tie of
 * scores was most of its time: the units' collated places are found once per unit, and the sort
 * compares numbers in flat arrays, reaching the collator only for members of one unit.
 */
function bestFirst<C extends { readonly unit: string; readonly member?: string; readonly score: number }>(candidates: readonly C[]): C[] {
  const unitOrder = collatedOrder(candidates);
  const n = candidates.length;
  const scores = new Float64Array(n);
  const units = new Int32Array(n);
  const order: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = candidates[i] as C;
    scores[i] = c.score;
    units[i] = unitOrder.get(c.unit) as number;
    order.push(i);
  }
  order.sort(
    (i, j) =>
      (scores[j] as number) - (scores[i] as number) ||
      (units[i] as number) - (units[j] as number) ||
      collator.compare((candidates[i] as C).member ?? '', (candidates[j] as C).member ?? ''),
  );
  return order.map((i) => candidates[i] as C);
}

/**
 * Each unit of the candidates → its place in the collator's order of their units, units the collator
 * finds equal in one place: comparing places orders as `collator.compare` of the units does.
 */
function collatedOrder(candidates: readonly { readonly unit: string }[]): Map<string, number> {
  const units: string[] = [];
  const seen = new Set<string>();
  for (const { unit } of candidates) if (!seen.has(unit)) (seen.add(unit), units.push(unit));
  units.sort((a, b) => collator.compare(a, b));
  const order = new Map<string, number>();
  let place = 0;
  units.forEach((unit, i) => {
    if (i > 0 && collator.compare(units[i - 1] as string, unit) !== 0) place++;
    order.set(unit, place);
  });
  return order;
}

/**
 * The places of each instance's subjects, as the `ranking.placed` event carries them, in rank
 * order. Grouped in one pass: a campaign of thousands of units ranks hundreds of thousands of
 * members, and filtering the whole list per instance made a ranking quadratic.
 */
export function placesByInstance(ranked: readonly RankedSubject[]): Map<string, RankingPlace[]> {
  const out = new Map<string, RankingPlace[]>();
  for (const r of ranked) {
    let places = out.get(r.instanceId);
    if (!places) out.set(r.instanceId, (places = []));
    const place: { -readonly [K in keyof RankingPlace]: RankingPlace[K] } = { subject: r.member === undefined ? UNIT_SUBJECT : `m:${r.member}`, rank: r.rank };
    if (r.band) place.band = r.band;
    places.push(place);
  }
  return out;
}

/**
 * 退出活动 — a decision ended the unit's campaign (`next: end`: 撤销, 退出, 提前验收): from now on
 * rankings do not place it or its members, and no band applies to them; the ranks it was given
 * before stay. A unit whose phases end by their own course (windows over, required work done) is
 * still in the campaign and ranked on what it did. Only in instances started with `leftUnranked`
 * (rankings) or `leftUngraded` (dated gradings: `gradesHere`); in one started without either,
 * nothing is recorded and the unit is ranked and graded as before.
 */
export function leaveCampaign(records: StepRecords, decision: string, option: string): void {
  const { context, plan } = records;
  if ((context.leftUnranked !== true && context.leftUngraded !== true) || context.left !== undefined) return;
  // The option itself ends the campaign: a decision that led to a last phase whose work was then all done is the phases' own course.
  const ends = plan.phases.some((phase) => phase.decisions.some((d) => d.id === decision && d.options.some((o) => o.id === option && o.next === 'end')));
  if (ends) records.patch({ left: records.at });
}

/** 评比排名结果 — a ranking's places for this instance's subjects (`ranking.placed`): each rank recorded, each band's outcome applied. */
export function placeRanking(records: StepRecords, rankingId: string, places: readonly RankingPlace[]): void {
  const ranking = records.plan.rankings.find((r) => r.id === rankingId);
  if (!ranking) return;
  const { members } = records.context;
  // Places name members by id (`m:<id>`); the records by reference (null: not a member here, left out).
  // One list of references and one copy of the ranks: a member ranking places thirty subjects or
  // more per instance, and a copy of each place and of the ranks per place were most of its step.
  const refs: (string | undefined | null)[] = [];
  for (const place of places) {
    const id = memberOfSubject(place.subject);
    const ref = memberRef(members, id);
    refs.push(id !== undefined && ref === undefined ? null : ref);
  }
  const before = ownValue(records.context.ranks, ranking.id);
  let ranks: readonly (number | null)[] | undefined = before;
  let copy: (number | null)[] | undefined;
  for (let i = 0; i < places.length; i++) {
    const ref = refs[i];
    if (ref === null) continue;
    if (copy === undefined) ranks = copy = before === undefined ? [] : before.slice();
    setSlot(copy, ref, (places[i] as RankingPlace).rank);
  }
  if (ranks !== undefined) records.patch({ ranks: withKey(records.context.ranks, ranking.id, ranks) });
  for (let i = 0; i < places.length; i++) {
    const ref = refs[i];
    const place = places[i] as RankingPlace;
    if (ref === null) continue;
    const band = place.band === 'top' ? ranking.top : place.band === 'bottom' ? ranking.bottom : undefined;
    if (!band) continue;
    if (!conditionHolds(records, band.when, ref, place.rank)) continue;
    records.outcome({ actions: band.actions, flags: band.flags }, ref, `ranking:${ranking.id}:${place.band}`);
  }
}
