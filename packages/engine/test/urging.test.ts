import { describe, expect, it } from 'vitest';
import { runUntil } from '@luoshi/engine';
import { engineWith, shanghai } from './support/harness.js';
import { LIGHTS_CAMPAIGN } from './support/lights-campaign.js';

/**
 * 催办 (issue 19): urging notices every 2 working days while a task is yellow or overdue, at most a
 * stated count, each an effect. 整改方案 is due Friday 10 May 2024 (yellow from Tuesday 7 May,
 * overdue from Saturday 11 May, a worked day: 调休).
 */
function withUrging(urge: string): string {
  return LIGHTS_CAMPAIGN.replace('  blue: true\n', `  blue: true\n  urge: ${urge}\n`).replace(
    'actions:\n',
    'actions:\n  - { id: 催办通知, title: 催办通知, effect: remind, by: 办公室 }\n',
  );
}

async function started(urge: string) {
  const h = await engineWith(withUrging(urge), { start: '2024-04-01T00:00:00' });
  await h.engine.startCampaign({ process: h.processId, organisation: { id: '市', units: [{ id: '甲县' }] }, campaignId: 'c' });
  // Only 整改方案 is left undone.
  for (const task of ['节后报告', '整改报告', '复查报告']) await h.engine.send('c/甲县', { type: 'task.completed', task });
  return h;
}

type Harness = Awaited<ReturnType<typeof started>>;

function notices(h: Harness): [string, number][] {
  return h.effects.filter((e) => e.cause.startsWith('urge:')).map((e) => [e.cause, e.at]);
}

describe('given 整改方案 due Friday 10 May 2024 and urging every 2 working days', () => {
  it('when it is urged from yellow, 4 times at most, and done on Wednesday 15 May, then notices go on Tuesday 7, Thursday 9, Saturday 11 (worked) and Tuesday 14 May', async () => {
    const h = await started('{ from: yellow, every: 2个工作日, times: 4 }');
    await runUntil(h.engine, h.clock, shanghai('2024-05-15T09:00:00'));
    await h.engine.send('c/甲县', { type: 'task.completed', task: '整改方案' });
    await runUntil(h.engine, h.clock, shanghai('2024-06-01T00:00:00'));
    expect(notices(h)).toEqual([
      ['urge:整改方案:1', shanghai('2024-05-07T00:00:00')],
      ['urge:整改方案:2', shanghai('2024-05-09T00:00:00')],
      ['urge:整改方案:3', shanghai('2024-05-11T00:00:00')],
      ['urge:整改方案:4', shanghai('2024-05-14T00:00:00')],
    ]);
    expect((await h.engine.tasks('c/甲县')).find((t) => t.key === '整改方案')?.urged).toBe(4);
  });

  it('when it is urged from overdue, 3 times at most, and never done, then notices go on Saturday 11 (worked), Tuesday 14 and Thursday 16 May, and no more', async () => {
    const h = await started('{ from: overdue, every: 2个工作日, times: 3, action: 催办通知 }');
    await runUntil(h.engine, h.clock, shanghai('2024-06-30T00:00:00'));
    expect(notices(h)).toEqual([
      ['urge:整改方案:1', shanghai('2024-05-11T00:00:00')],
      ['urge:整改方案:2', shanghai('2024-05-14T00:00:00')],
      ['urge:整改方案:3', shanghai('2024-05-16T00:00:00')],
    ]);
    // The campaign's action: its effect kind, title and the role that carries it out.
    expect(h.effects.find((e) => e.cause === 'urge:整改方案:1')).toMatchObject({ effect: 'remind', action: '催办通知', by: '办公室', title: '催办通知：整改方案' });
  });

  it('when it is done on Thursday 9 May before the second notice is sent, then there is one notice and no timer left for it', async () => {
    const h = await started('{ from: yellow, every: 2个工作日, times: 4 }');
    await runUntil(h.engine, h.clock, shanghai('2024-05-08T12:00:00'));
    await h.engine.send('c/甲县', { type: 'task.completed', task: '整改方案' });
    await runUntil(h.engine, h.clock, shanghai('2024-06-01T00:00:00'));
    expect(notices(h)).toEqual([['urge:整改方案:1', shanghai('2024-05-07T00:00:00')]]);
    expect((await h.store.timers('c/甲县')).filter((t) => t.key.startsWith('urge:'))).toEqual([]);
  });
});
