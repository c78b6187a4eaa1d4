import { describe, expect, it } from 'vitest';
import { EngineError, type HostEvent } from '@luoshi/engine';
import { engineWith, organisation } from './support/harness.js';

// Every host event needs the role its process names, checked before the instance's state: a task's
// owner, an evaluation's, inspection's (findings, re-inspections) or decision's `by`; a verified
// complaint or a notice a role of the office level; a rectification no role (the inspected unit
// reports it). A refused actor learns neither a task's status, an inspection's round, the members
// of the unit, nor the current phase.
const CAMPAIGN = `
kind: campaign
id: 权限活动
title: 权限活动
source: { title: 测试 }
year: 2024
subjects: [unit, member]
roles:
  - { id: 办公室, title: 办公室, level: office }
  - { id: 督查组, title: 督查组, level: office }
  - { id: 单位, title: 各单位, level: unit }
  - { id: 党员, title: 党员, level: member }
actions:
  - { id: 诫勉谈话, title: 诫勉谈话, effect: admonish }
phases:
  - id: 动员
    title: 动员
    window: 3月
    tasks:
      - { id: 方案, title: 报送方案, owner: 单位, due: 3月15日前 }
    inspections:
      - { id: 督查, title: 督查, by: 督查组, rectifyWithin: 10天, maxRounds: 2 }
  - id: 实施
    title: 实施
    window: 4月至5月
    exit: decision
    decisions:
      - id: 是否延长
        title: 是否延长
        by: 办公室
        options:
          - { id: 结束, next: end }
    evaluations:
      - { id: 测评, title: 测评, by: 办公室, subject: unit, scale: { min: 0, max: 10 } }
ladders:
  - id: 投诉
    title: 投诉
    on: { event: complaint-verified }
    subject: member
    rungs:
      - { level: 1, actions: [诫勉谈话] }
`;

async function refusal(promise: Promise<unknown>): Promise<string> {
  return promise.then(
    () => 'applied',
    (e: unknown) => (e instanceof EngineError ? `${e.code}${e.code === 'ENGINE_FORBIDDEN' ? ` ${String(e.details.role)}` : ''}` : `not an EngineError: ${String(e)}`),
  );
}

describe('the role an event needs', () => {
  it('is checked for every event type, before the state, and a refusal changes nothing', async () => {
    const { engine } = await engineWith(CAMPAIGN, { start: '2024-03-01T00:00:00' });
    await engine.startCampaign({ process: '权限活动', organisation: organisation(1, 1), campaignId: 'c' });
    const as = (roles: string[]) => ({ actor: '某人', roles });
    const send = (event: unknown, roles: string[]) => refusal(engine.send('c/u01', event as HostEvent, as(roles)));
    const cases: [string, unknown, string, string[]][] = [
      // [what, event, the refusal of an actor with the wrong role, the right roles]
      ['a task', { type: 'task.completed', task: '方案' }, 'ENGINE_FORBIDDEN 单位', ['单位']],
      ['a report', { type: 'report.submitted', task: '方案' }, 'ENGINE_FORBIDDEN 单位', ['单位']],
      ['a finding', { type: 'finding.recorded', inspection: '督查' }, 'ENGINE_FORBIDDEN 督查组', ['督查组']],
      ['a re-inspection', { type: 'reinspection.recorded', inspection: '督查', passed: true }, 'ENGINE_FORBIDDEN 督查组', ['督查组']],
      ['a complaint', { type: 'complaint.verified', member: 'u01-m1' }, 'ENGINE_FORBIDDEN 办公室 / 督查组', ['督查组']],
      ['a notice', { type: 'notified', member: 'u01-m1' }, 'ENGINE_FORBIDDEN 办公室 / 督查组', ['办公室']],
      ['a score', { type: 'score.given', evaluation: '测评', score: 5 }, 'ENGINE_FORBIDDEN 办公室', ['办公室']],
      ['a decision', { type: 'decision.taken', decision: '是否延长', option: '结束' }, 'ENGINE_FORBIDDEN 办公室', ['办公室']],
    ];
    for (const [what, event, refused] of cases) expect(await send(event, ['党员']), what).toBe(refused);
    // Those with the role get past the check to the state: the re-inspection has no round open, the
    // score's and the decision's phase has not begun.
    expect(await send({ type: 'reinspection.recorded', inspection: '督查', passed: true }, ['督查组'])).toBe('ENGINE_INSPECTION_STATE');
    expect(await send({ type: 'score.given', evaluation: '测评', score: 5 }, ['办公室'])).toBe('ENGINE_TASK_NOT_OPEN');
    expect(await send({ type: 'decision.taken', decision: '是否延长', option: '结束' }, ['办公室'])).toBe('ENGINE_UNKNOWN_ITEM');
    // An unknown member is not revealed to one who may not act.
    expect(await send({ type: 'complaint.verified', member: '无此人' }, ['单位'])).toBe('ENGINE_FORBIDDEN 办公室 / 督查组');
    expect(await send({ type: 'complaint.verified', member: '无此人' }, ['办公室'])).toBe('ENGINE_UNKNOWN_MEMBER');
    expect((await engine.state('c/u01')).revision).toBe(1);

    // The rectification is the inspected unit's to report: no role.
    expect(await send({ type: 'finding.recorded', inspection: '督查' }, ['督查组'])).toBe('applied');
    expect(await send({ type: 'rectification.done', inspection: '督查' }, ['党员'])).toBe('applied');
    expect(await send({ type: 'task.completed', task: '方案' }, ['单位'])).toBe('applied');
    // Done: the owner learns it is no longer open, anyone else only that it is not theirs.
    expect(await send({ type: 'task.completed', task: '方案' }, ['单位'])).toBe('ENGINE_TASK_NOT_OPEN');
    expect(await send({ type: 'task.completed', task: '方案' }, ['党员'])).toBe('ENGINE_FORBIDDEN 单位');
  });

  it('is not checked when the host gives no roles (an embedder that checks them itself)', async () => {
    const { engine } = await engineWith(CAMPAIGN, { start: '2024-03-01T00:00:00' });
    await engine.startCampaign({ process: '权限活动', organisation: organisation(1, 1), campaignId: 'c' });
    expect(await refusal(engine.send('c/u01', { type: 'complaint.verified', member: 'u01-m1' }, { actor: '宿主' }))).toBe('applied');
  });
});
