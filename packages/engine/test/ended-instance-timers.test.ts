import { describe, expect, it } from 'vitest';
import { runUntil } from '@luoshi/engine';
import { engineWith, shanghai } from './support/harness.js';
import { LIGHTS_CAMPAIGN } from './support/lights-campaign.js';

/*
 * An instance that ends removes every timer it held (desired-timers.ts `desiredTimerKeys`: the keys
 * its state before needed, made without the records). The lights campaign (tasks due 6, 10 and
 * 13 May 2024, yellow 3 working days before), run on to the end of 2025 so that it has a second
 * campaign year, with: urging every 2 working days from yellow; a flag
 * 黄牌 that lasts a year, set on a unit's first yellow (so a `lapse` timer waits for the next
 * campaign year); a monthly 月报 (a `recur` timer for the next month); a decision of 办公室 that ends
 * the unit (撤销, `next: end`). On 8 May 2024 甲县 has done nothing: 节后报告 (due 6 May) is
 * overdue (its first yellow set 黄牌), 整改方案 (due 10 May) yellow since 7 May and urged, so it holds
 * deadline, yellow, urge, recur, lapse and phase timers. Struck off then, it holds none; 乙县, still in, keeps its own.
 */
const CAMPAIGN = LIGHTS_CAMPAIGN.replace('year: 2024\n', 'year: 2024\nend: 2025-12-31\n')
  .replace('  blue: true\n', '  blue: true\n  urge: { from: yellow, every: 2个工作日, times: 4 }\n')
  .replace('actions:\n', 'flags:\n  - { id: 黄牌, title: 黄牌, lasts: year }\nactions:\n')
  .replace('consequences:\n', 'consequences:\n  - id: 首次黄牌\n    title: 首次黄牌\n    on: { event: task-yellow }\n    flags: [黄牌]\n')
  .replace(
    '    evaluations:\n',
    '    recurring:\n      - { id: 月报, title: 月报, owner: 单位, every: 每月 }\n    decisions:\n      - id: 撤销\n        title: 撤销\n        by: 办公室\n        options:\n          - { id: 撤销, title: 撤销建制，退出活动, next: end }\n    evaluations:\n',
  );

const kinds = (timers: readonly { readonly key: string }[]) => [...new Set(timers.map((t) => t.key.split(':')[0]))].sort();

describe('given a unit holding deadline, yellow, urge, recur, lapse and phase timers', () => {
  it('when a decision ends it, then it holds no timer at all, and the unit still in the campaign keeps its own', async () => {
    const h = await engineWith(CAMPAIGN, { start: '2024-04-01T00:00:00' });
    await h.engine.startCampaign({ process: h.processId, organisation: { id: '市', units: [{ id: '甲县' }, { id: '乙县' }] }, campaignId: 'c' });
    await runUntil(h.engine, h.clock, shanghai('2024-05-08T09:00:00'));
    const held = await h.store.timers('c/甲县');
    for (const kind of ['due', 'lapse', 'phase', 'recur', 'urge', 'yellow']) expect(kinds(held), kind).toContain(kind);
    const other = await h.store.timers('c/乙县');

    await h.engine.send('c/甲县', { type: 'decision.taken', decision: '撤销', option: '撤销' });
    expect((await h.engine.state('c/甲县')).ended).toBe(true);
    expect(await h.store.timers('c/甲县')).toEqual([]);
    expect(await h.store.timers('c/乙县')).toEqual(other);
  });
});
