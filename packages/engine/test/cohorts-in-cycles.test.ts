import { describe, expect, it } from 'vitest';
import { createEngine, createMemoryStore, VirtualClock, type Engine } from '@luoshi/engine';
import { validateProcessText } from '@luoshi/dsl';
import { compileMachine } from '../src/compiler/compile-machine.js';
import type { MachineEvent } from '../src/runtime/campaign-event.js';
import { campaignUnits, unitInput } from '../src/runtime/engine/campaign-start.js';
import type { InstanceContext, InstanceInput } from '../src/runtime/instance-context.js';
import { initialState, step, timersOfState, type UnitState } from '../src/runtime/step.js';
import { forEachTask } from '../src/runtime/task-table.js';
import { shanghai } from './support/harness.js';
import { planOf } from './support/records.js';
import { YEARLY_CYCLE } from '../../../test/support/cycles.js';

/*
 * 批次 × 周期: a yearly cycle over 2024–2026 (部署 1月, 自查 2–6月, 考核 11–12月, 年底排名) whose
 * units start in two cohorts. Counted from the text: a unit of a cohort that starts on 1 March 2025
 * has nothing in 2024; 部署.2025 (January) has ended before it starts, so it is skipped; it enters
 * 自查.2025 and opens its report on 1 March (due when 30 June is over), then 考核.2025 and the whole of
 * 2026: 5 tasks where a unit of the first cohort has 9. The ranking takes only units that have
 * started (`eligible: subject.started`): 2024 places two units, 2025 and 2026 three. A cohort
 * starting on 1 January 2025, the day the second cycle's 部署 opens, does that 部署 too (8 tasks).
 */
const COHORTS = YEARLY_CYCLE.replace(
  'subjects: [unit]\n',
  'subjects: [unit]\ncohorts:\n  - { id: 第一批, title: 第一批, start: 1月1日 }\n  - { id: 第二批, title: 第二批, start: 次年3月1日 }\n  - { id: 第三批, title: 第三批, start: 2025-01-01 }\n',
).replace('weights: { 年度考核: 1 } }', 'weights: { 年度考核: 1 }, eligible: subject.started }');
const ORGANISATION = { id: '区委', units: [{ id: '甲', cohort: '第一批' }, { id: '乙', cohort: '第二批' }, { id: '丙', cohort: '第三批' }] };
const UNITS = ['c/甲', 'c/乙', 'c/丙'];

async function started(): Promise<{ engine: Engine; clock: VirtualClock }> {
  const validation = validateProcessText(COHORTS, { file: 'cycle.yaml' });
  if (!validation.ok || !validation.definition) throw new Error(validation.diagnostics.map((d) => `${d.code} ${d.message.en}`).join('\n'));
  const clock = new VirtualClock(shanghai('2024-01-01T00:00:00'));
  const engine = createEngine({ store: createMemoryStore(), clock });
  await engine.deploy([validation.definition]);
  await engine.startCampaign({ process: validation.definition.id, organisation: ORGANISATION, campaignId: 'c' });
  return { engine, clock };
}

/** Every unit does all its open work at each timer, to the end. */
async function diligentToTheEnd(engine: Engine, clock: VirtualClock, scores: Record<string, number>): Promise<void> {
  for (;;) {
    for (const unit of UNITS)
      for (const task of await engine.tasks(unit, { status: ['open'] }))
        if (task.kind === 'evaluation') await engine.send(unit, { type: 'score.given', evaluation: task.item, score: scores[unit] ?? 0 });
        else await engine.send(unit, { type: 'task.completed', task: task.item });
    const next = await engine.nextTimerAt();
    if (next === undefined) break;
    clock.advanceTo(Math.max(next, clock.now()));
    await engine.runDueTimers();
  }
}

describe('given a yearly cycle whose units start in cohorts: 甲 with the campaign, 乙 on 1 March 2025, 丙 on 1 January 2025 (批次 × 周期)', () => {
  it('when 2024 runs, then 乙 and 丙 have no task and show 未启动 with their starts', async () => {
    const { engine, clock } = await started();
    clock.advanceTo(shanghai('2024-06-01T00:00:00'));
    await engine.runDueTimers();
    expect(await engine.tasks('c/乙')).toEqual([]);
    expect(await engine.state('c/乙')).toMatchObject({ cohort: '第二批', started: false, startsAt: shanghai('2025-03-01T00:00:00') });
    expect(await engine.state('c/丙')).toMatchObject({ cohort: '第三批', started: false, startsAt: shanghai('2025-01-01T00:00:00') });
    expect((await engine.tasks('c/甲')).map((t) => t.key)).toEqual(['部署会议', '自查报告']);
  });

  it('when every started unit does its work to the end, then 乙 starts in 自查.2025 (部署.2025 skipped) and 丙 in 部署.2025, each with its cycles’ work due on the same days as 甲’s', async () => {
    const { engine, clock } = await started();
    await diligentToTheEnd(engine, clock, { 'c/甲': 90, 'c/乙': 80, 'c/丙': 70 });
    const of = async (unit: string) => (await engine.tasks(unit)).map((t) => [t.key, t.cycle, t.status, t.dueAt]);
    const day = (d: string) => shanghai(`${d}T00:00:00`);
    expect(await of('c/乙')).toEqual([
      ['自查报告.2025', '2025', 'done', day('2025-07-01')],
      ['年度考核.2025', '2025', 'done', day('2025-12-21')],
      ['部署会议.2026', '2026', 'done', day('2026-02-01')],
      ['自查报告.2026', '2026', 'done', day('2026-07-01')],
      ['年度考核.2026', '2026', 'done', day('2026-12-21')],
    ]);
    expect((await of('c/丙')).map((t) => t[0])).toEqual(['部署会议.2025', '自查报告.2025', '年度考核.2025', '部署会议.2026', '自查报告.2026', '年度考核.2026']);
    expect(await of('c/甲')).toHaveLength(9);
    for (const unit of UNITS) expect(await engine.state(unit)).toMatchObject({ phase: 'ended', started: true });
  });

  it('when the units are scored 甲 90, 乙 80, 丙 70 each year, then 2024 ranks only 甲; 2025 and 2026 rank 甲 1, 乙 2, 丙 3', async () => {
    const { engine, clock } = await started();
    await diligentToTheEnd(engine, clock, { 'c/甲': 90, 'c/乙': 80, 'c/丙': 70 });
    const placed = async (unit: string) =>
      (await engine.history(unit)).filter((h) => h.type === 'ranking.placed').map((h) => [new Date(h.at).toISOString().slice(0, 10), (h.event as { places: { rank: number }[] }).places[0]?.rank]);
    // Rankings fire at the end of 31 December (1 January 00:00 in Shanghai, 16:00 UTC the day before).
    expect(await placed('c/甲')).toEqual([['2024-12-31', 1], ['2025-12-31', 1], ['2026-12-31', 1]]);
    expect(await placed('c/乙')).toEqual([['2025-12-31', 2], ['2026-12-31', 2]]);
    expect(await placed('c/丙')).toEqual([['2025-12-31', 3], ['2026-12-31', 3]]);
  });
});

describe('given the unit of the 1 January 2025 cohort stepped alone (the start flag)', () => {
  const plan = planOf(COHORTS);
  const chart = { plan, machine: compileMachine(plan) };
  const meta = { id: 'c/丙', campaignId: 'c', unitId: '丙', unitPath: '/区委/丙/' };

  /** The unit's task keys once every timer due by 1 January 2025 00:00 has fired, in due order. */
  function tasksAtNewYear(input: InstanceInput): string[] {
    let state: UnitState = initialState(chart, meta, input);
    const until = shanghai('2025-01-01T00:00:00');
    for (;;) {
      const next = timersOfState(plan, state).sort((a, b) => a.dueAt - b.dueAt || (a.key < b.key ? -1 : 1))[0];
      if (!next || next.dueAt > until) break;
      const at = Math.max(next.dueAt, state.time);
      state = step(chart, state, { type: 'timer.fired', key: next.key, dueAt: next.dueAt, at } as MachineEvent, { at, actor: null, cause: 'timer', idempotencyKey: null }).state;
    }
    const keys: string[] = [];
    forEachTask((state.snapshot.context as InstanceContext).tasks, (key) => keys.push(key));
    return keys;
  }

  const unit = campaignUnits(plan, ORGANISATION).find((u) => u.id === '丙');
  const input = unit && unitInput(plan, 'c', unit, plan.start);

  it('when it starts as 考核 ends, then it opens 部署.2025’s meeting and none of 2024’s 考核', () => {
    expect(input?.startSkipsEndedPhase).toBe(true);
    expect(tasksAtNewYear(input!)).toEqual(['部署会议.2025']);
  });

  it('when an instance an earlier release started (no startSkipsEndedPhase) starts so, then it opens 2024’s assessment as it did', () => {
    const { startSkipsEndedPhase: _s, ...old } = input!;
    expect(tasksAtNewYear(old).sort()).toEqual(['年度考核', '部署会议.2025'].sort());
  });
});
