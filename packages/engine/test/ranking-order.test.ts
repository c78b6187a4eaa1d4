import { describe, expect, it } from 'vitest';
import { initialContext, type InstanceContext } from '../src/runtime/instance-context.js';
import { placesByInstance, rankSubjects } from '../src/runtime/ranking.js';
import { RecordKeeper } from '../src/runtime/record-keeper.js';
import { planOf, shanghai } from './support/records.js';

/*
 * 评比排名 — the order of a ranking and the places an instance records: best score first, ties by
 * unit id and then member id in the order of `localeCompare` (not code units: `a` before `B`), and
 * every place of a `ranking.placed` recorded in one step, a subject who is not a member left out.
 */
const RANKED = `
kind: campaign
id: 评比
title: 评比
source: { title: 测试 }
year: 2024
subjects: [unit, member]
scale: { units: 5, members: 10 }
roles:
  - { id: 单位, title: 各单位, level: unit }
  - { id: 考评办, title: 考评办公室, level: office }
flags:
  - { id: 先进, title: 先进 }
  - { id: 标兵, title: 标兵 }
phases:
  - id: 实施
    title: 实施
    window: 3月至11月
    evaluations:
      - { id: 评议, title: 单位评议, by: 考评办, subject: unit }
      - { id: 自评, title: 党员自评, by: 单位, subject: member }
rankings:
  - { id: 单位评比, title: 单位评比, subject: unit, at: 11月30日, weights: { 评议: 1 }, top: { count: 1, flags: [先进] } }
  - { id: 党员评比, title: 党员评比, subject: member, at: 11月30日, weights: { 自评: 1 }, top: { count: 2, flags: [标兵] } }
`;

const plan = planOf(RANKED);
const march = shanghai('2024-03-01T00:00:00');
const ranking = (id: string) => plan.rankings.find((r) => r.id === id)!;

/** A unit's instance with the given members, in 实施, each score given as listed (member undefined: the unit's 评议). */
function unit(id: string, members: readonly string[], scores: readonly [string | undefined, number][]): { id: string; context: InstanceContext } {
  let context = initialContext({ campaignId: 'c', unit: id, office: false, unitWork: true, members, startedAt: plan.start, scoresPerOccurrence: true });
  context = new RecordKeeper(plan, context).enterPhase('实施', march).context;
  scores.forEach(([member, score], i) => {
    const event = member === undefined ? { type: 'score.given', evaluation: '评议', score } : { type: 'score.given', evaluation: '自评', score, member };
    context = new RecordKeeper(plan, context).apply({ ...event, at: march + (i + 1) * 60_000 } as never).context;
  });
  return { id: `c/${id}`, context };
}

describe('the order of a ranking (评比排名)', () => {
  it('when units tie on their score, then they are ordered by unit id as localeCompare orders it: a, b, B (code units would put B first)', () => {
    const ranked = rankSubjects(ranking('单位评比'), [unit('B', [], [[undefined, 80]]), unit('b', [], [[undefined, 80]]), unit('z', [], [[undefined, 90]]), unit('a', [], [[undefined, 80]])]);
    expect(ranked.map((r) => [r.unit, r.score, r.rank, r.band])).toEqual([
      ['z', 90, 1, 'top'],
      ['a', 80, 2, undefined],
      ['b', 80, 3, undefined],
      ['B', 80, 4, undefined],
    ]);
  });

  it('when two unit ids are one text to the collator (ä precomposed and a + combining diaeresis), then their members tie on the unit and are ordered by member id', () => {
    const precomposed = '\u00e4';
    const combining = 'a\u0308';
    const ranked = rankSubjects(ranking('党员评比'), [
      unit(precomposed, ['m2', 'm9'], [['m2', 70], ['m9', 70]]),
      unit(combining, ['m1', 'm5'], [['m1', 70], ['m5', 75]]),
    ]);
    // 75 first; then the three at 70: both units collate alike, so m1, m2, m9 by member id.
    expect(ranked.map((r) => [r.member, r.score, r.rank])).toEqual([
      ['m5', 75, 1],
      ['m1', 70, 2],
      ['m2', 70, 3],
      ['m9', 70, 4],
    ]);
  });

  it('when members of several units tie, then they are ordered by unit id, then member id, and the best two are in the top band', () => {
    const ranked = rankSubjects(ranking('党员评比'), [
      unit('u2', ['x', 'y'], [['x', 60], ['y', 90], ['x', 80]]),
      unit('u1', ['q', 'p'], [['q', 70], ['p', 70]]),
    ]);
    // x: (60 + 80) / 2 = 70; y 90; q 70; p 70.
    expect(ranked.map((r) => [r.unit, r.member, r.score, r.rank, r.band])).toEqual([
      ['u2', 'y', 90, 1, 'top'],
      ['u1', 'p', 70, 2, 'top'],
      ['u1', 'q', 70, 3, undefined],
      ['u2', 'x', 70, 4, undefined],
    ]);
  });
});

describe('the places an instance records (ranking.placed)', () => {
  it('when a ranking places every member, then each rank is in its member’s slot, the top band’s flag is set, and a place naming no member here is left out', () => {
    const u = unit('u1', ['m0', 'm1', 'm2'], [['m0', 50], ['m1', 90], ['m2', 70]]);
    const ranked = rankSubjects(ranking('党员评比'), [u]);
    const places = [...(placesByInstance(ranked).get('c/u1') ?? []), { subject: 'm:stranger', rank: 9, band: 'top' as const }];
    const step = new RecordKeeper(plan, u.context).apply({ type: 'ranking.placed', ranking: '党员评比', places, at: shanghai('2024-12-01T00:00:00') } as never);
    // Slot 0 is the unit (not placed by a member ranking); m0 → slot 1 rank 3, m1 → slot 2 rank 1, m2 → slot 3 rank 2.
    expect(step.context.ranks['党员评比']).toEqual([null, 3, 1, 2]);
    // 标兵 for the best two (m1, m2), in their slots; the stranger's top place sets nothing.
    expect(step.context.flags).toEqual([null, null, ['标兵'], ['标兵']]);
  });

  it('when a later ranking places only some members, then the ranks recorded before stay for the others', () => {
    const u = unit('u1', ['m0', 'm1'], [['m0', 50], ['m1', 90]]);
    const first = new RecordKeeper(plan, u.context).apply({ type: 'ranking.placed', ranking: '党员评比', places: [{ subject: 'm:m0', rank: 2 }, { subject: 'm:m1', rank: 1 }], at: shanghai('2024-12-01T00:00:00') } as never);
    const second = new RecordKeeper(plan, first.context).apply({ type: 'ranking.placed', ranking: '党员评比', places: [{ subject: 'm:m1', rank: 4 }], at: shanghai('2024-12-02T00:00:00') } as never);
    expect(second.context.ranks['党员评比']).toEqual([null, 2, 4]);
  });
});
