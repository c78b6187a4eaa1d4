import { describe, expect, it } from 'vitest';
import { engineWith, organisation, shanghai } from './support/harness.js';

/*
 * The machine's root is the sequence of phases itself, and the records are kept by the root's own
 * transition on every event: these pin what that shape must still do.
 */

/** A pilot ended by a decision (to spread it, or to stop: the unit's campaign ends), and a ranking in June. */
const PILOT = `
kind: campaign
id: 试点
title: 试点
source: { title: 测试 }
year: 2024
subjects: [unit]
scale: { units: 2 }
roles:
  - { id: 领导小组, title: 领导小组, level: office }
  - { id: 单位, title: 各单位, level: unit }
actions:
  - { id: 通知, title: 通知推广, effect: notify }
phases:
  - id: 试点
    title: 试点阶段
    window: 3月至4月
    exit: decision
    decisions:
      - id: 是否推广
        title: 是否推广
        by: 领导小组
        options:
          - { id: 推广, next: 推广 }
          - { id: 停止, next: end }
    evaluations:
      - { id: 测评, title: 测评, by: 领导小组, subject: unit, scale: { min: 0, max: 100 }, due: 4月20日 }
  - id: 推广
    title: 推广阶段
    window: 5月至6月
    tasks:
      - { id: 推广总结, title: 推广总结, owner: 单位, due: 6月20日 }
consequences:
  - id: 推广通知
    title: 决定后通知
    on: { event: decision-taken }
    subject: unit
    actions: [通知]
rankings:
  - id: 年终
    title: 年终排名
    subject: unit
    at: 6月25日
    weights: { 测评: 1 }
    top: { count: 1 }
`;

describe('given a campaign whose phases are the root of the statechart', () => {
  it('when a decision moves the phase, then the same event is recorded: its consequence follows', async () => {
    const h = await engineWith(PILOT, { start: '2024-03-01T00:00:00' });
    await h.engine.startCampaign({ process: h.processId, organisation: organisation(1, 0), campaignId: 'p' });
    expect((await h.engine.state('p/u01')).value).toEqual({ 试点: { work: 'working' } });
    await h.engine.send('p/u01', { type: 'decision.taken', decision: '是否推广', option: '推广' });
    await h.engine.deliverEffects();
    expect((await h.engine.state('p/u01')).phase).toBe('推广');
    expect(h.effects.filter((e) => e.action === '通知').map((e) => e.unitId)).toEqual(['u01']);
  });

  it('when an instance has ended early by a decision (停止), then it has left the campaign: the June ranking places only the unit still in it, and the ended one still replays', async () => {
    const h = await engineWith(PILOT, { start: '2024-03-01T00:00:00' });
    await h.engine.startCampaign({ process: h.processId, organisation: organisation(2, 0), campaignId: 'p' });
    await h.engine.send('p/u01', { type: 'score.given', evaluation: '测评', score: 60 });
    await h.engine.send('p/u02', { type: 'score.given', evaluation: '测评', score: 90 });
    await h.engine.send('p/u01', { type: 'decision.taken', decision: '是否推广', option: '停止' });
    await h.engine.send('p/u02', { type: 'decision.taken', decision: '是否推广', option: '推广' });
    expect((await h.engine.state('p/u01')).value).toBe('ended');
    expect((await h.engine.state('p/u01')).ended).toBe(true);
    await h.clock.advanceTo(shanghai('2024-06-26T00:00:00'));
    await h.engine.runDueTimers();
    expect((await h.engine.state('p/u02')).phase).toBe('推广');
    const rankOf = async (id: string) => (await h.engine.subjects(id))[0]?.ranks;
    // Before the rule "a ranking places only units still in the campaign" u01 was placed 2nd; an
    // ended instance still records what reaches it (a unit whose phases ended by their own course is
    // placed: ranking-units-in-campaign.test.ts).
    expect([await rankOf('p/u01'), await rankOf('p/u02')]).toEqual([{}, { 年终: 1 }]);
    await expect(h.engine.replay('p/u01')).resolves.toBeTruthy();
  });
});
