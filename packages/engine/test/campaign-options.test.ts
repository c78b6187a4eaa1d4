import { describe, expect, it } from 'vitest';
import { engineWith, organisation, shanghai } from './support/harness.js';
import { planOf } from './support/records.js';

/**
 * Options of the campaign and its phases, each shown to change what runs (issue 18, construct
 * coverage): the phase that follows (`next`) and the campaign's time zone.
 */
const SKIPPING = `
kind: campaign
id: 跳过阶段
title: 跳过阶段
source: { title: 测试 }
year: 2024
subjects: [unit]
roles:
  - { id: 单位, title: 各单位, level: unit }
phases:
  - id: 动员
    title: 动员
    exit: all-required-done
    next: 总结
    tasks:
      - { id: 动员会, title: 动员会, owner: 单位, due: 1月20日 }
  - id: 实施
    title: 实施
    exit: all-required-done
    next: end
    tasks:
      - { id: 实施方案, title: 实施方案, owner: 单位, due: 6月20日 }
  - id: 总结
    title: 总结
    exit: all-required-done
    next: 实施
    tasks:
      - { id: 总结报告, title: 总结报告, owner: 单位, due: 3月20日 }
`;

describe('the options of a campaign and its phases', () => {
  it('when a phase names the phase that follows it (next: 总结), then once its work is done the unit goes there, not to the phase written after it', async () => {
    const h = await engineWith(SKIPPING, { start: '2024-01-01T00:00:00' });
    await h.engine.startCampaign({ process: h.processId, organisation: organisation(1, 0), campaignId: 'c' });
    h.clock.advanceTo(shanghai('2024-01-10T10:00:00'));
    await h.engine.send('c/u01', { type: 'task.completed', task: '动员会' });
    expect((await h.engine.state('c/u01')).phase).toBe('总结');
    await h.engine.send('c/u01', { type: 'task.completed', task: '总结报告' });
    expect((await h.engine.state('c/u01')).phase).toBe('实施');
  });

  it('when the campaign is kept in another time zone (timezone: Europe/Berlin), then a deadline day ends at midnight there, not in Beijing', () => {
    const berlin = planOf(SKIPPING.replace('year: 2024\n', 'year: 2024\ntimezone: Europe/Berlin\n'));
    const beijing = planOf(SKIPPING);
    // 1月20日 ends at 24:00 on 20 January: UTC+1 in a Berlin winter, UTC+8 in Beijing.
    expect(berlin.items.get('动员会')?.dueAt).toBe(Date.parse('2024-01-21T00:00:00+01:00'));
    expect(beijing.items.get('动员会')?.dueAt).toBe(Date.parse('2024-01-21T00:00:00+08:00'));
    expect(berlin.zone).toBe('Europe/Berlin');
  });
});
