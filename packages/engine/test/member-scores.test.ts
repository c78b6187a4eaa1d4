import { describe, expect, it } from 'vitest';
import { subjectSlot, withSlot } from '../src/runtime/record-keys.js';
import { addScore, countAt, meanScores, sumAt } from '../src/runtime/score-sums.js';
import { engineWith, organisation, shanghai } from './support/harness.js';

const SCORED = `
kind: campaign
id: 评分
title: 评分
source: { title: 测试 }
year: 2024
subjects: [unit, member]
roles:
  - { id: 办公室, title: 办公室, level: office }
  - { id: 单位, title: 各单位, level: unit }
  - { id: 党员, title: 党员, level: member }
flags:
  - { id: 低分, title: 低分 }
actions:
  - { id: 表彰, title: 表彰, effect: commend }
phases:
  - id: 实施
    title: 实施
    window: 3月至6月
    evaluations:
      - { id: 自评, title: 党员自评, by: 单位, subject: member, scale: { min: 0, max: 100 }, due: 6月20日 }
      - { id: 测评, title: 单位测评, by: 办公室, subject: unit, scale: { min: 0, max: 100 }, due: 6月20日 }
consequences:
  - id: 低分标记
    title: 自评低于60分的党员标记低分
    on: { event: score-given, when: "subject.kind == 'member' and scores.自评 < 60" }
    subject: member
    flags: [低分]
rankings:
  - id: 标兵
    title: 标兵
    subject: member
    at: 6月30日
    weights: { 自评: 1 }
    top: { count: 1, actions: [表彰] }
`;

describe('scores', () => {
  it('are kept per evaluation by subject slot, copied on write', () => {
    const first = addScore(undefined, '2', 80);
    const second = addScore(first, undefined, 70);
    const third = addScore(second, '2', 60);
    expect(first).toEqual([0, 0, 0, 0, 0, 0, 80, 1]);
    expect(second).toEqual([70, 1, 0, 0, 0, 0, 80, 1]);
    // Member reference '2' is slot 3, '5' slot 6 (slot 0 is the unit).
    expect([sumAt(third, 3), countAt(third, 3)]).toEqual([140, 2]);
    expect([sumAt(third, 6), countAt(third, 6)]).toEqual([0, 0]);
    expect(meanScores({ 自评: third, 测评: addScore(undefined, undefined, 9) }, '2')).toEqual({ 自评: 70 });
    expect(meanScores({ 自评: third, 测评: addScore(undefined, undefined, 9) }, undefined)).toEqual({ 自评: 70, 测评: 9 });
  });

  it('sit with ladder counters, flags and ranks in arrays by subject slot, copied on write', () => {
    const first = withSlot<string>(undefined, '1', 'a');
    expect(first).toEqual([null, null, 'a']);
    expect(withSlot(first, undefined, 'b')).toEqual(['b', null, 'a']);
    expect(first).toEqual([null, null, 'a']);
    expect([subjectSlot(undefined), subjectSlot('0'), subjectSlot('12')]).toEqual([0, 1, 13]);
  });

  it('given to members in any order, then views, conditions and rankings see each member’s own mean', async () => {
    const h = await engineWith(SCORED, { start: '2024-03-01T00:00:00' });
    await h.engine.startCampaign({ process: h.processId, organisation: organisation(1, 3), campaignId: 's' });
    const score = (member: string | undefined, value: number) =>
      h.engine.send('s/u01', { type: 'score.given', evaluation: member === undefined ? '测评' : '自评', score: value, ...(member ? { member } : {}) });
    await score('u01-m3', 90);
    await score(undefined, 75);
    await score('u01-m1', 50);
    await score('u01-m3', 70);
    await score('u01-m2', 65);
    const subjects = Object.fromEntries((await h.engine.subjects('s/u01')).map((s) => [s.subject, s]));
    expect(subjects.unit?.scores).toEqual({ 测评: 75 });
    expect(subjects['u01-m1']?.scores).toEqual({ 自评: 50 });
    expect(subjects['u01-m2']?.scores).toEqual({ 自评: 65 });
    expect(subjects['u01-m3']?.scores).toEqual({ 自评: 80 });
    // Only the member whose own mean is under 60 is flagged.
    expect(Object.fromEntries(Object.entries(subjects).map(([k, s]) => [k, s.flags]))).toEqual({ unit: [], 'u01-m1': ['低分'], 'u01-m2': [], 'u01-m3': [] });
    const standings = await h.engine.standings('s', '标兵');
    expect(standings.map((s) => [s.member, s.score, s.rank])).toEqual([
      ['u01-m3', 80, 1],
      ['u01-m2', 65, 2],
      ['u01-m1', 50, 3],
    ]);
    await h.clock.advanceTo(shanghai('2024-07-01T00:00:00'));
    await h.engine.runDueTimers();
    await h.engine.deliverEffects();
    expect(h.effects.filter((e) => e.action === '表彰').map((e) => e.memberId)).toEqual(['u01-m3']);
    const placed = Object.fromEntries((await h.engine.subjects('s/u01')).map((s) => [s.subject, s.ranks]));
    expect(placed).toEqual({ unit: {}, 'u01-m1': { 标兵: 3 }, 'u01-m2': { 标兵: 2 }, 'u01-m3': { 标兵: 1 } });
    await expect(h.engine.replay('s/u01')).resolves.toBeTruthy();
  });
});
