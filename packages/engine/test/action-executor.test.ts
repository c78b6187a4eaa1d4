import { describe, expect, it } from 'vitest';
import { runUntil } from '@luoshi/engine';
import { engineWith, organisation, shanghai } from './support/harness.js';

/**
 * 执行者 — an action names the role that carries it out ("由局党委约谈督促"): the effect the host
 * receives says so, so that it can be routed there (issue 18, construct coverage: `Action.by` was
 * compiled and never handed on).
 */
const CAMPAIGN = `
kind: campaign
id: 执行者
title: 执行者
source: { title: 测试 }
year: 2024
subjects: [unit]
roles:
  - { id: 局党委, title: 局党委, level: office }
  - { id: 单位, title: 各单位, level: unit }
actions:
  - { id: 约谈督促, title: 约谈督促, effect: admonish, by: 局党委 }
  - { id: 通报, title: 通报, effect: criticise }
phases:
  - id: 实施
    title: 实施
    window: 3月至6月
    tasks:
      - { id: 方案, title: 方案, owner: 单位, due: 3月20日, onOverdue: { actions: [约谈督促, 通报] } }
`;

describe('an action carried out by a named role (by: 局党委)', () => {
  it('when the task it follows falls overdue, then the effect names 局党委 as who carries it out, and an action without by names nobody', async () => {
    const h = await engineWith(CAMPAIGN, { start: '2024-03-01T00:00:00' });
    await h.engine.startCampaign({ process: h.processId, organisation: organisation(1, 0), campaignId: 'c' });
    await runUntil(h.engine, h.clock, shanghai('2024-03-22T00:00:00'));
    const talk = h.effects.find((e) => e.action === '约谈督促');
    const notice = h.effects.find((e) => e.action === '通报');
    expect(talk).toMatchObject({ effect: 'admonish', by: '局党委', unitId: 'u01' });
    expect(notice?.effect).toBe('criticise');
    expect(notice !== undefined && Object.hasOwn(notice, 'by')).toBe(false);
  });
});
