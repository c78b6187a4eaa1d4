import { describe, expect, it } from 'vitest';
import { createEngine, createMemoryStore, EngineError, runUntil, VirtualClock } from '@luoshi/engine';
import { validateProcessText, validateProcessTexts } from '@luoshi/dsl';
import { shanghai } from './support/harness.js';
import { STANDING } from '../../../test/support/three-years.js';

/*
 * 长效机制 (issue 18, "Time"): a standing mechanism has no end date — "建立作风建设长效机制，每半年报告
 * 落实情况，每年考核、年底排名". It runs year after year until the leading group closes it by a
 * decision. Over three years each unit has 6 half-yearly reports, 3 assessments and 3 rankings; at
 * no time is more than the next occurrence of anything set ahead (the campaign holds one ranking
 * timer, not one per year); closed, nothing is left to fire.
 */

const UNITS = ['c/甲', 'c/乙'];

describe('given a standing mechanism (长效机制, standing: true) from 2024', () => {
  it('when validated, then it is valid; with an end date as well, then DSL_STANDING_WITH_END', () => {
    const ok = validateProcessText(STANDING, { file: 'standing.yaml' });
    expect(ok.diagnostics.filter((d) => d.code !== 'DSL_SCHEMA_COMMENT')).toEqual([]);
    const both = validateProcessText(STANDING.replace('standing: true', 'standing: true\nend: 2026-12-31'), { file: 'both.yaml' });
    expect(both.diagnostics.map((d) => d.code)).toContain('DSL_STANDING_WITH_END');
  });

  it('when it runs three years, then each unit has 6 half-yearly reports, 3 assessments and 3 rankings, with only the next of each set ahead; closed, nothing is left', async () => {
    const validation = validateProcessTexts([{ file: 'standing.yaml', text: STANDING }]);
    const store = createMemoryStore();
    const clock = new VirtualClock(shanghai('2024-01-01T00:00:00'));
    const engine = createEngine({ store, clock });
    await engine.deploy(validation);
    await engine.startCampaign({ process: '长效机制', organisation: { id: '区委', units: [{ id: '甲' }, { id: '乙' }] }, campaignId: 'c' });
    let most = 0;
    for (;;) {
      for (const [i, unit] of UNITS.entries())
        for (const task of await engine.tasks(unit, { status: ['open', 'overdue'] })) {
          if (task.kind === 'evaluation') await engine.send(unit, { type: 'score.given', evaluation: task.item, score: 80 + i });
          else await engine.send(unit, { type: 'task.completed', task: task.item });
        }
      for (const id of ['c', ...UNITS]) most = Math.max(most, (await store.timers(id)).length);
      const next = await engine.nextTimerAt();
      if (next === undefined || next > shanghai('2027-01-01T00:00:00')) break;
      clock.advanceTo(Math.max(next, clock.now()));
      await engine.runDueTimers();
    }
    // A unit holds at most its two duties' next starts and two open tasks' deadlines; the campaign one ranking.
    expect(most).toBeLessThanOrEqual(4);
    expect(await store.timers('c')).toHaveLength(1);
    for (const unit of UNITS) {
      const tasks = await engine.tasks(unit);
      const halfYears = tasks.filter((t) => t.item === '半年报告' && (t.dueAt ?? Infinity) <= shanghai('2027-01-01T00:00:00'));
      expect(halfYears).toHaveLength(6);
      const assessments = tasks.filter((t) => t.item === '年度考核' && (t.dueAt ?? Infinity) < shanghai('2027-06-01T00:00:00'));
      expect(assessments.map((t) => [t.status, t.dueAt])).toEqual(['2024-12-21', '2025-12-21', '2026-12-21'].map((d) => ['done', shanghai(`${d}T00:00:00`)]));
      const rankings = (await engine.history(unit)).filter((h) => h.type === 'ranking.placed').map((h) => h.at);
      expect(rankings).toEqual(['2025-01-01', '2026-01-01', '2027-01-01'].map((d) => shanghai(`${d}T00:00:00`)));
      expect((await engine.state(unit)).phase).toBe('常态长效');
    }
    // The leading group closes the mechanism in March 2027: every unit ends, and once the ranking
    // already set for the end of 2027 has passed, nothing is left to fire.
    await runUntil(engine, clock, shanghai('2027-03-01T10:00:00'));
    // The decision is taken for the office's own instance as for every unit's.
    for (const unit of ['c/区委', ...UNITS]) await engine.send(unit, { type: 'decision.taken', decision: '机制调整', option: '终止' });
    for (const unit of ['c/区委', ...UNITS]) expect((await engine.state(unit)).phase).toBe('ended');
    await runUntil(engine, clock, shanghai('2028-06-01T00:00:00'));
    expect(await engine.nextTimerAt()).toBeUndefined();
    await expect(engine.send(UNITS[0] as string, { type: 'task.completed', task: '半年报告' })).rejects.toBeInstanceOf(EngineError);
    await engine.close();
  });
});
