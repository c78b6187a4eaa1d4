import { describe, expect, it } from 'vitest';
import { EngineError, runUntil, type HostEvent } from '@luoshi/engine';
import { engineWith, organisation, shanghai } from './support/harness.js';

/**
 * 检查整改 runs in the phase that declares it (issue 18, defect 3): 督查 is declared in 对照检查
 * (4月至5月), 专项督查 in a workstream of it; 动员 (3月) and 巩固 (6月) have no inspection.
 */
const CAMPAIGN = `
kind: campaign
id: 分阶段检查
title: 分阶段检查
source: { title: 测试 }
year: 2024
subjects: [unit]
roles:
  - { id: 办公室, title: 办公室, level: office }
  - { id: 督查组, title: 督查组, level: office }
  - { id: 单位, title: 各单位, level: unit }
actions:
  - { id: 整改通知, title: 整改通知书, effect: notify }
  - { id: 复验不合格通报, title: 复验不合格通报, effect: criticise }
phases:
  - id: 动员
    title: 动员部署
    window: 3月
    tasks:
      - { id: 方案, title: 报送方案, owner: 单位, due: 3月15日 }
  - id: 对照检查
    title: 对照检查
    window: 4月至5月
    inspections:
      - id: 督查
        title: 督查
        by: 督查组
        rectifyWithin: 10天
        maxRounds: 2
        onFinding: { actions: [整改通知] }
        onFailed: { actions: [复验不合格通报] }
    workstreams:
      - id: 专项
        title: 专项整治
        tasks:
          - { id: 自查, title: 自查报告, owner: 单位, due: 5月20日 }
        inspections:
          - { id: 专项督查, title: 专项督查, by: 督查组, rectifyWithin: 10天, maxRounds: 1 }
  - id: 巩固
    title: 巩固提高
    window: 6月
`;

async function setup() {
  const h = await engineWith(CAMPAIGN, { start: '2024-03-01T00:00:00' });
  await h.engine.startCampaign({ process: h.processId, organisation: organisation(1, 0), campaignId: 'c' });
  return h;
}

async function refusal(promise: Promise<unknown>): Promise<EngineError | 'applied'> {
  return promise.then(
    () => 'applied' as const,
    (e: unknown) => {
      if (e instanceof EngineError) return e;
      throw e;
    },
  );
}

describe('given an inspection declared in the phase 对照检查 (4月至5月)', () => {
  for (const [when, day] of [
    ['before its phase (in 动员部署, 3月)', '2024-03-10T10:00:00'],
    ['after its phase (in 巩固提高, 6月)', '2024-06-10T10:00:00'],
  ] as const) {
    it(`when a finding is recorded ${when}, then ENGINE_INSPECTION_NOT_ACTIVE names the phase and nothing changes`, async () => {
      const { engine, clock, store, effects } = await setup();
      await runUntil(engine, clock, shanghai(day));
      const before = await store.getInstance('c/u01');
      const timers = await store.timers('c/u01');
      const history = (await store.history('c/u01')).length;
      const error = await refusal(engine.send('c/u01', { type: 'finding.recorded', inspection: '督查' } as HostEvent));
      expect(error).toBeInstanceOf(EngineError);
      expect((error as EngineError).code).toBe('ENGINE_INSPECTION_NOT_ACTIVE');
      expect((error as EngineError).messages.zh).toContain('只在「对照检查」阶段开展');
      expect((error as EngineError).messages.en).toContain('runs only during the phase 对照检查');
      expect(await store.getInstance('c/u01')).toEqual(before);
      expect(await store.timers('c/u01')).toEqual(timers);
      expect(await store.history('c/u01')).toHaveLength(history);
      await engine.deliverEffects();
      expect(effects.filter((e) => e.action === '整改通知')).toEqual([]);
      expect((await engine.state('c/u01')).inspections.督查).toBe('clear');
    });
  }

  it('when a finding is recorded in its phase, then the round starts and its action fires', async () => {
    const { engine, clock, effects } = await setup();
    await runUntil(engine, clock, shanghai('2024-04-10T10:00:00'));
    await engine.send('c/u01', { type: 'finding.recorded', inspection: '督查' });
    await engine.deliverEffects();
    expect((await engine.state('c/u01')).inspections.督查).toBe('rectifying');
    expect(effects.filter((e) => e.action === '整改通知').map((e) => e.cause)).toEqual(['finding:督查']);
  });

  it('when an inspection is declared in a workstream, then it runs while the workstream’s phase does', async () => {
    const { engine, clock } = await setup();
    await runUntil(engine, clock, shanghai('2024-03-20T10:00:00'));
    expect(((await refusal(engine.send('c/u01', { type: 'finding.recorded', inspection: '专项督查' }))) as EngineError).code).toBe('ENGINE_INSPECTION_NOT_ACTIVE');
    await runUntil(engine, clock, shanghai('2024-04-02T10:00:00'));
    await engine.send('c/u01', { type: 'finding.recorded', inspection: '专项督查' });
    expect((await engine.state('c/u01')).inspections.专项督查).toBe('rectifying');
    await runUntil(engine, clock, shanghai('2024-06-02T10:00:00'));
    expect(((await refusal(engine.send('c/u01', { type: 'finding.recorded', inspection: '专项督查' }))) as EngineError).code).toBe('ENGINE_INSPECTION_NOT_ACTIVE');
  });

  it('when a round started in the phase runs past its end, then the rectification and re-inspection are still taken after it', async () => {
    const { engine, clock } = await setup();
    await runUntil(engine, clock, shanghai('2024-05-28T10:00:00'));
    await engine.send('c/u01', { type: 'finding.recorded', inspection: '督查' });
    // 对照检查 ends with 31 May; the notice's deadline (10 days: 29 May … 7 June) lies beyond it.
    await runUntil(engine, clock, shanghai('2024-06-03T10:00:00'));
    expect((await engine.state('c/u01')).phase).toBe('巩固');
    await engine.send('c/u01', { type: 'rectification.done', inspection: '督查' });
    expect((await engine.state('c/u01')).inspections.督查).toBe('reinspecting');
    await engine.send('c/u01', { type: 'reinspection.recorded', inspection: '督查', passed: true });
    expect((await engine.state('c/u01')).inspections.督查).toBe('clear');
  });

  it('when a round’s deadline passes after the phase has ended, then the round fails and the next one runs', async () => {
    const { engine, clock, effects } = await setup();
    await runUntil(engine, clock, shanghai('2024-05-28T10:00:00'));
    await engine.send('c/u01', { type: 'finding.recorded', inspection: '督查' });
    // Deadline: when 7 June is over.
    await runUntil(engine, clock, shanghai('2024-06-08T01:00:00'));
    await engine.deliverEffects();
    expect(effects.filter((e) => e.action === '复验不合格通报').map((e) => [e.cause, e.at])).toEqual([['reinspection:督查:1', shanghai('2024-06-08T00:00:00')]]);
    expect((await engine.state('c/u01')).inspections.督查).toBe('rectifying');
  });
});
