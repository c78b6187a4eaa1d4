import { describe, expect, it } from 'vitest';
import { EngineError } from '@luoshi/engine';
import { engineWith, shanghai } from './support/harness.js';

/**
 * 巩固/长效 (issue 18, D1): "已通过验收的小城镇……仍接受随机抽查". A town that passes acceptance goes on
 * to a follow-up phase 长效管理 that runs to the end of the campaign; the province's spot checks are
 * declared there, so they reach passed towns, and a campaign-wide consequence still applies to them.
 * (Removing the pass, 摘帽, is issue 19's.)
 */
const CAMPAIGN = `
kind: campaign
id: 验收长效
title: 验收长效
source: { title: 测试 }
year: 2024
subjects: [unit]
roles:
  - { id: 省办, title: 省整治办, level: office }
flags:
  - { id: 抽查发现问题, title: 抽查发现问题, lasts: campaign }
  - { id: 被举报, title: 被举报, lasts: campaign }
consequences:
  - { id: 举报查实, title: 举报查实, on: { event: complaint-verified }, flags: [被举报] }
phases:
  - id: 验收
    title: 验收
    window: 3月至6月
    exit: decision
    decisions:
      - id: 验收结论
        title: 验收结论
        by: 省办
        options:
          - { id: 通过, next: 长效管理 }
          - { id: 未通过, next: 整改 }
  - id: 整改
    title: 整改
    window: 7月
    next: end
  - id: 长效管理
    title: 长效管理
    window: 8月至12月
    inspections:
      - { id: 随机抽查, title: 省级随机抽查, by: 省办, rectifyWithin: 15天, onFinding: { flags: [抽查发现问题] } }
`;

describe('given a town that passed acceptance in May and entered 长效管理 (August to December)', () => {
  it('when a spot check finds a problem in October and a complaint is verified, then both reach the passed town', async () => {
    const { engine, clock, processId } = await engineWith(CAMPAIGN, { start: '2024-03-01T00:00:00' });
    await engine.startCampaign({ process: processId, organisation: { id: '省', units: [{ id: '镇A' }] }, campaignId: 'c' });
    clock.advanceTo(shanghai('2024-05-10T10:00:00'));
    await engine.send('c/镇A', { type: 'decision.taken', decision: '验收结论', option: '通过' });
    expect((await engine.state('c/镇A')).phase).toBe('长效管理');
    // Before its window (August) the follow-up phase waits: no spot check yet.
    const early = await engine.send('c/镇A', { type: 'finding.recorded', inspection: '随机抽查' }).catch((e: unknown) => e);
    expect((early as EngineError).code).toBe('ENGINE_PHASE_NOT_OPEN');
    clock.advanceTo(shanghai('2024-10-08T10:00:00'));
    await engine.runDueTimers();
    await engine.send('c/镇A', { type: 'finding.recorded', inspection: '随机抽查' });
    await engine.send('c/镇A', { type: 'complaint.verified' });
    const state = await engine.state('c/镇A');
    expect(state).toMatchObject({ phase: '长效管理', inspections: { 随机抽查: 'rectifying' } });
    expect((await engine.subjects('c/镇A')).find((s) => s.kind === 'unit')?.flags).toEqual(['抽查发现问题', '被举报']);
  });
});
