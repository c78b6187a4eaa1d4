import { describe, expect, it } from 'vitest';
import { compileMachine } from '../src/compiler/compile-machine.js';
import type { MachineEvent } from '../src/runtime/campaign-event.js';
import type { InstanceInput } from '../src/runtime/instance-context.js';
import { initialState, restoredState, step, timersOfState, type Statechart, type UnitState } from '../src/runtime/step.js';
import { planOf, shanghai } from './support/records.js';

/*
 * 收尾 (wrap-up): the last phase (专项整治, 4月至5月) ends on 31 May while its summary is due 6月15日,
 * before the campaign ends on 30 June. A unit's phases are over; its instance is not closed until
 * the summary is done or the campaign ends. An instance release 7967bde started (no
 * `scoresPerOccurrence` in its start) closes with its phases, as it did; a decision that ends the
 * unit's campaign closes it at once.
 */
const CAMPAIGN = `
kind: campaign
id: 整治总结
title: 整治总结
source: { title: 测试 }
year: 2024
end: 2024-06-30
subjects: [unit]
roles:
  - { id: 办公室, title: 办公室, level: office }
  - { id: 单位, title: 各单位, level: unit }
phases:
  - id: 专项整治
    title: 专项整治
    window: 4月至5月
    tasks:
      - { id: 工作总结, title: 报送工作总结, owner: 单位, due: 6月15日 }
    decisions:
      - id: 提前结束
        title: 提前结束
        by: 办公室
        options:
          - { id: 结束, next: end }
`;

const plan = planOf(CAMPAIGN);
const chart: Statechart = { plan, machine: compileMachine(plan) };
const meta = { id: 'c/u01', campaignId: 'c', unitId: 'u01', unitPath: '/u01/' };
const STARTED = shanghai('2024-04-01T00:00:00');
const PHASE_END = shanghai('2024-06-01T00:00:00');
const input: InstanceInput = { campaignId: 'c', unit: 'u01', office: false, unitWork: true, members: [], startedAt: STARTED, scoresPerOccurrence: true, partsInSequence: true };
const origin = (at: number) => ({ at, actor: null, cause: 'timer', idempotencyKey: null });
const fired = (key: string, at: number): MachineEvent => ({ type: 'timer.fired', key, dueAt: at, at }) as MachineEvent;
const phaseEnds = (state: UnitState) => step(chart, state, fired('phase:专项整治', PHASE_END), origin(PHASE_END));

describe('given a last phase whose summary is due two weeks after it (收尾)', () => {
  it('when the window ends, then the phases are over but the instance is not ended: it keeps the summary’s deadline and the campaign end as its timers', () => {
    const result = phaseEnds(initialState(chart, meta, input));
    expect(result.state).toMatchObject({ phase: 'ended', ended: false });
    expect(result.state.snapshot.context.closesAt).toBe(shanghai('2024-07-01T00:00:00'));
    // The window's timer is gone; the summary's deadline stays; the campaign's end closes it.
    expect(result.timers.remove).toEqual(['phase:专项整治']);
    expect(result.timers.put).toEqual([{ instanceId: 'c/u01', key: 'close:end', dueAt: shanghai('2024-07-01T00:00:00') }]);
    expect(timersOfState(plan, result.state).map((t) => t.key).sort()).toEqual(['close:end', 'due:工作总结']);
  });

  it('when the campaign ends with the summary overdue, then the instance closes and needs no timers', () => {
    let state = phaseEnds(initialState(chart, meta, input)).state;
    const due = shanghai('2024-06-16T00:00:00');
    state = step(chart, state, fired('due:工作总结', due), origin(due)).state;
    expect(state).toMatchObject({ ended: false, overdue: 1 });
    const end = shanghai('2024-07-01T00:00:00');
    const closed = step(chart, state, fired('close:end', end), origin(end));
    expect(closed.state).toMatchObject({ phase: 'ended', ended: true, overdue: 1 });
    expect(closed.timers).toEqual({ put: [], remove: ['close:end'] });
    expect(timersOfState(plan, closed.state)).toEqual([]);
  });

  it('when an instance release 7967bde started (no scoresPerOccurrence) reaches the window’s end, then it ends with its phases, as it did', () => {
    const { scoresPerOccurrence: _s, partsInSequence: _p, ...old } = input;
    const result = phaseEnds(initialState(chart, meta, old));
    expect(result.state).toMatchObject({ phase: 'ended', ended: true });
    expect(timersOfState(plan, result.state)).toEqual([]);
  });

  it('when an instance that had already ended is restored from an older database, its summary still open, then it stays ended, as it was', () => {
    // Stored before the wrap-up existed: its phases over (value `ended`), no closesAt.
    const before = initialState(chart, meta, input).snapshot.context;
    const restored = restoredState(chart, meta, { value: 'ended', context: before }, { revision: 3, time: PHASE_END, overdue: 0, escalated: 0 });
    expect(restored).toMatchObject({ phase: 'ended', ended: true });
    expect(timersOfState(plan, restored)).toEqual([]);
  });

  it('when the office ends the unit’s campaign by a decision (next: end), then it is closed at once, the summary left open', () => {
    const at = shanghai('2024-05-10T10:00:00');
    const decided: MachineEvent = { type: 'decision.taken', decision: '提前结束', option: '结束', at } as MachineEvent;
    const result = step(chart, initialState(chart, meta, input), decided, { at, actor: 'office', cause: 'host', idempotencyKey: null });
    expect(result.state).toMatchObject({ phase: 'ended', ended: true });
    expect(timersOfState(plan, result.state)).toEqual([]);
  });
});
