import { describe, expect, it } from 'vitest';
import { compileMachine } from '../src/compiler/compile-machine.js';
import { EngineError } from '../src/errors/engine-error.js';
import type { MachineEvent } from '../src/runtime/campaign-event.js';
import { initialState, step, type Statechart, type UnitState } from '../src/runtime/step.js';
import { planOf, shanghai } from './support/records.js';

const CAMPAIGN = `
kind: campaign
id: 一步
title: 一步
source: { title: 测试 }
year: 2024
subjects: [unit, member]
roles:
  - { id: 单位, title: 各单位, level: unit }
  - { id: 党员, title: 党员, level: member }
actions: [{ id: 诫勉谈话, title: 诫勉谈话, effect: admonish }]
phases:
  - id: 动员
    title: 动员
    window: 3月
    tasks:
      - { id: 方案, title: 报送方案, owner: 单位, due: 3月15日, remindBefore: 2个工作日 }
      - { id: 细则, title: 细则, owner: 单位, due: 方案后5个工作日内 }
  - id: 总结
    title: 总结
    window: 4月
    tasks:
      - { id: 总结报告, title: 总结报告, owner: 单位, due: 4月20日 }
ladders:
  - id: 查实
    title: 查实一次诫勉谈话
    on: { event: complaint-verified }
    subject: unit
    period: year
    rungs:
      - { level: 1, actions: [诫勉谈话] }
`;

const plan = planOf(CAMPAIGN);
const chart: Statechart = { plan, machine: compileMachine(plan) };
const meta = { id: 'c/u01', campaignId: 'c', unitId: 'u01', unitPath: '/u01/' };
const start = () =>
  initialState(chart, meta, { campaignId: 'c', unit: 'u01', office: false, unitWork: true, members: ['m1'], startedAt: shanghai('2024-03-01T00:00:00') });
const origin = (at: number) => ({ at, actor: 'tester', cause: 'host', idempotencyKey: null });
const completed = (task: string, at: number): MachineEvent => ({ type: 'task.completed', task, at }) as MachineEvent;

/** A deep copy taken to show that the step left its input as it was. */
const copy = (state: UnitState) => JSON.parse(JSON.stringify({ value: state.snapshot.value, context: state.snapshot.context, revision: state.revision, time: state.time }));

describe('the pure step (推进一步)', () => {
  it('when a task is done, then the step returns the state after, the keys it wrote, the timers to drop and add, and the history entry, leaving its input as it was', () => {
    const before = start();
    const kept = copy(before);
    const at = shanghai('2024-03-05T10:00:00');
    const result = step(chart, before, completed('方案', at), origin(at));
    expect(copy(before)).toEqual(kept);
    expect(result.state.revision).toBe(2);
    expect(result.state.time).toBe(at);
    expect(result.state.phase).toBe('动员');
    // 方案 done, and 细则 (counted from it) counted again from the completion: five working days after 3月5日 (a Tuesday) is 3月12日, due at its end.
    expect([...result.changes.tasks].sort()).toEqual(['方案', '细则']);
    expect(result.changes.opened).toEqual([]);
    expect(result.timers.remove.slice().sort()).toEqual(['due:方案', 'remind:方案']);
    expect(result.timers.put.map((t) => [t.key, t.dueAt])).toEqual([['due:细则', shanghai('2024-03-13T00:00:00')]]);
    expect(result.effects).toEqual([]);
    expect(result.history).toMatchObject({ instanceId: 'c/u01', revision: 2, type: 'task.completed', actor: 'tester', cause: 'host', at });
    expect(JSON.parse(result.history.state)).toEqual(result.state.snapshot.value);
  });

  it('when the same state and event are stepped twice, then both results are equal', () => {
    const before = start();
    const at = shanghai('2024-03-05T10:00:00');
    const a = step(chart, before, completed('方案', at), origin(at));
    const b = step(chart, before, completed('方案', at), origin(at));
    expect(copy(a.state)).toEqual(copy(b.state));
    expect([...a.changes.tasks]).toEqual([...b.changes.tasks]);
    expect(a.timers).toEqual(b.timers);
  });

  it('when a complaint reaches the first rung, then the effect is in the step result with its id, cause and time', () => {
    const at = shanghai('2024-03-06T09:00:00');
    const result = step(chart, start(), { type: 'complaint.verified', at } as MachineEvent, origin(at));
    expect(result.effects.map((e) => JSON.parse(e.effect))).toEqual([
      expect.objectContaining({ id: 'c/u01:2:0', instanceId: 'c/u01', unitId: 'u01', effect: 'admonish', action: '诫勉谈话', cause: 'ladder:查实:1', at }),
    ]);
    expect(result.state.escalated).toBe(1);
  });

  it('when the window-end timer of a phase fires, then the next phase is entered in the same step with its timers', () => {
    const end = shanghai('2024-04-01T00:00:00');
    const result = step(chart, start(), { type: 'timer.fired', key: 'phase:动员', dueAt: end, at: end } as MachineEvent, { ...origin(end), cause: 'timer' });
    expect(result.state.phase).toBe('总结');
    expect(result.changes.opened).toContain('总结报告');
    expect(result.timers.put.map((t) => t.key)).toEqual(expect.arrayContaining(['due:总结报告', 'phase:总结']));
    expect(result.timers.remove).toEqual(expect.arrayContaining(['phase:动员']));
  });

  it('when an event is dated before the unit’s time, then it is refused and nothing is returned', () => {
    const at = shanghai('2024-03-05T10:00:00');
    const after = step(chart, start(), completed('方案', at), origin(at)).state;
    const earlier = at - 1;
    expect(() => step(chart, after, completed('细则', earlier), origin(earlier))).toThrow(expect.objectContaining({ code: 'ENGINE_TIME_BACKWARDS' }) as EngineError);
  });
});
