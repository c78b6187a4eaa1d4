import { describe, expect, it } from 'vitest';
import { compileMachine } from '../src/compiler/compile-machine.js';
import { EngineError } from '../src/errors/engine-error.js';
import type { HistoryRecord } from '../src/ports/store.js';
import type { InstanceContext, InstanceInput } from '../src/runtime/instance-context.js';
import type { Statechart, StepResult, UnitState } from '../src/runtime/step.js';
import { taskAt } from '../src/runtime/task-table.js';
import { startEntry, walkHistory, type HistoryVisitor } from '../src/runtime/walk-history.js';
import { minimalCampaign, unit } from '../../../test/support/minimal-campaign.js';
import { planOf, shanghai } from './support/records.js';

const CAMPAIGN = minimalCampaign({
  id: '重放',
  roles: [unit('单位', '各单位')],
  phases: [
    {
      id: '动员',
      window: '3月',
      body: `
        tasks:
          - { id: 方案, title: 报送方案, owner: 单位, due: 3月15日 }
          - { id: 细则, title: 细则, owner: 单位, due: 方案后5个工作日内 }`,
    },
    { id: '总结', window: '4月', body: 'tasks: [{ id: 总结报告, title: 总结报告, owner: 单位, due: 4月20日 }]' },
  ],
});

const plan = planOf(CAMPAIGN);
const chart: Statechart = { plan, machine: compileMachine(plan) };
// The whole stored record is passed, as the callers pass theirs; the walk keeps only the unit's place.
const instance = { id: 'c/u01', campaignId: 'c', unitId: 'u01', unitPath: '/u01/', revision: 4 };
const startedAt = shanghai('2024-03-01T00:00:00');
const input: InstanceInput = { campaignId: 'c', unit: 'u01', office: false, unitWork: true, members: [], startedAt };

const FANGAN_DONE = shanghai('2024-03-05T10:00:00');
const XIZE_DONE = shanghai('2024-03-08T16:00:00');
const MARCH_ENDS = shanghai('2024-04-01T00:00:00');

function entry(revision: number, event: { readonly type: string } & Record<string, unknown>, at: number, cause: string, actor: string | null = null, idempotencyKey: string | null = null): HistoryRecord {
  return { instanceId: instance.id, revision, type: event.type, event: JSON.stringify(event), actor, cause, at, state: '"?"', idempotencyKey };
}

const start = entry(1, { type: 'start', input }, startedAt, 'start');
/** The start, then three events: 方案 done, 细则 done (both on time), and the end of 动员's window. */
const history: readonly HistoryRecord[] = [
  start,
  entry(2, { type: 'task.completed', task: '方案', at: FANGAN_DONE }, FANGAN_DONE, 'host', '填报员', 'k-方案'),
  entry(3, { type: 'task.completed', task: '细则', at: XIZE_DONE }, XIZE_DONE, 'host', '填报员', 'k-细则'),
  entry(4, { type: 'timer.fired', key: 'phase:动员', dueAt: MARCH_ENDS, at: MARCH_ENDS }, MARCH_ENDS, 'timer'),
];

const status = (state: UnitState, task: string) => taskAt((state.snapshot.context as InstanceContext).tasks, task)?.s;
/** The three tasks' statuses, in the order the directive lists them. */
const statuses = (state: UnitState) => [status(state, '方案'), status(state, '细则'), status(state, '总结报告')];

describe('walking a stored history through the pure step (重放, walkHistory)', () => {
  it('when an instance started and three events followed, then the visitor sees the start state, each state before an entry and each result, in order', () => {
    const seen: string[] = [];
    const befores: UnitState[] = [];
    const results: StepResult[] = [];
    let initial: UnitState | undefined;
    const end = walkHistory(chart, instance, history, {
      started: (state, at) => {
        seen.push(`started r${state.revision}`);
        expect(at).toBe(start);
        initial = state;
      },
      before: (state, at) => {
        seen.push(`before r${at.revision}`);
        befores.push(state);
      },
      stepped: (result, at) => {
        seen.push(`stepped r${at.revision}`);
        results.push(result);
      },
    });
    expect(seen).toEqual(['started r1', 'before r2', 'stepped r2', 'before r3', 'stepped r3', 'before r4', 'stepped r4']);

    // The start: 动员 entered on 3月1日, its two tasks open (细则 counts from 方案's due, so it is open
    // too); 总结's work is not opened before its phase.
    const first = initial as UnitState;
    expect(first.meta).toEqual({ id: 'c/u01', campaignId: 'c', unitId: 'u01', unitPath: '/u01/' });
    expect([first.revision, first.time, first.phase]).toEqual([1, startedAt, '动员']);
    expect(statuses(first)).toEqual(['open', 'open', undefined]);

    // Each entry applies to the state the one before it left.
    expect(befores[0]).toBe(first);
    expect(befores[1]).toBe(results[0]?.state);
    expect(befores[2]).toBe(results[1]?.state);

    const [fangan, xize, window] = results as [StepResult, StepResult, StepResult];
    // 方案 done on 3月5日, before its due (3月15日).
    expect([fangan.state.revision, fangan.state.time]).toEqual([2, FANGAN_DONE]);
    expect(statuses(fangan.state)).toEqual(['done', 'open', undefined]);
    expect(fangan.changes.opened).toEqual([]);
    // The entry's actor, cause and idempotency key are the step's.
    expect(fangan.history).toMatchObject({ revision: 2, type: 'task.completed', actor: '填报员', cause: 'host', at: FANGAN_DONE, idempotencyKey: 'k-方案' });
    // 细则 done on 3月8日, within five working days of 3月5日 (3月12日).
    expect(statuses(xize.state)).toEqual(['done', 'done', undefined]);
    expect(xize.changes.opened).toEqual([]);
    // 动员's window ends with March: 总结 is entered and its report opened, at the entry's time.
    expect([window.state.revision, window.state.time, window.state.phase]).toEqual([4, MARCH_ENDS, '总结']);
    expect(statuses(window.state)).toEqual(['done', 'done', 'open']);
    expect(window.changes.opened).toEqual(['总结报告']);
    expect(window.history).toMatchObject({ actor: null, cause: 'timer', idempotencyKey: null });

    expect(end).toBe(window.state);
  });

  it('when `before` answers false, then the walk stops there without stepping that entry, and returns the state it stood in', () => {
    const stepped: number[] = [];
    const end = walkHistory(chart, instance, history, {
      before: (_state, at) => at.at < XIZE_DONE,
      stepped: (_result, at) => stepped.push(at.revision),
    });
    expect(stepped).toEqual([2]);
    expect(end?.revision).toBe(2);
    expect(statuses(end as UnitState)).toEqual(['done', 'open', undefined]);
  });

  it('when the first entry is not a start (or there is none), then nothing is stepped or told and the walk returns undefined', () => {
    const told: string[] = [];
    const visitor: HistoryVisitor = {
      started: () => void told.push('started'),
      before: () => void told.push('before'),
      stepped: () => void told.push('stepped'),
    };
    expect(walkHistory(chart, instance, history.slice(1), visitor)).toBeUndefined();
    expect(walkHistory(chart, instance, [], visitor)).toBeUndefined();
    expect(told).toEqual([]);
    expect(startEntry(history.slice(1))).toBeUndefined();
    expect(startEntry(history)).toBe(start);
  });

  it("when a step fails, then its error is thrown as it is, or as `failed` makes it (replay's ENGINE_REPLAY_MISMATCH)", () => {
    // 细则's entry dated before 方案's: time would run backwards.
    const backwards = [start, history[1], { ...(history[2] as HistoryRecord), at: shanghai('2024-03-04T00:00:00') }] as HistoryRecord[];
    expect(() => walkHistory(chart, instance, backwards)).toThrow(expect.objectContaining({ code: 'ENGINE_TIME_BACKWARDS' }));
    const failed = (cause: unknown) => new EngineError('ENGINE_REPLAY_MISMATCH', { id: instance.id }, { cause });
    let thrown: unknown;
    try {
      walkHistory(chart, instance, backwards, { failed });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ code: 'ENGINE_REPLAY_MISMATCH', cause: expect.objectContaining({ code: 'ENGINE_TIME_BACKWARDS' }) });
  });
});
