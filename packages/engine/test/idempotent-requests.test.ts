import { describe, expect, it } from 'vitest';
import { createEngine, createMemoryStore, EngineError, VirtualClock, type Engine } from '@luoshi/engine';
import { validateProcessText } from '@luoshi/dsl';
import { shanghai } from './support/harness.js';
import { YEARLY_CYCLE } from '../../../test/support/cycles.js';
import { minimalCampaign, unit } from '../../../test/support/minimal-campaign.js';

/*
 * 幂等请求 — a request repeated with its idempotency key answers the first result; the same key with
 * another request is ENGINE_IDEMPOTENCY_KEY_REUSED. What makes "the same request" is what the event
 * names: a completion's occurrence (`period`) and cycle (`cycle`) are part of it, and a repeat is
 * compared as sent, not as the engine resolved it (a 2025 completion of 自查报告 is recorded as
 * 自查报告.2025).
 */

const MONTHLY = minimalCampaign({
  id: '月报制度',
  roles: [unit('单位', '各单位')],
  phases: [{ id: '实施', window: '1月至12月', body: `
    recurring:
      - { id: 月报, title: 每月报送工作进展, owner: 单位, every: 每月 }` }],
});

async function started(text: string, ...times: string[]): Promise<{ engine: Engine; clock: VirtualClock }> {
  const validation = validateProcessText(text, { file: 'x.yaml' });
  if (!validation.ok || !validation.definition) throw new Error(validation.diagnostics.map((d) => d.code).join());
  const clock = new VirtualClock(shanghai('2024-01-01T00:00:00'));
  const engine = createEngine({ store: createMemoryStore(), clock });
  await engine.deploy([validation.definition]);
  await engine.startCampaign({ process: validation.definition.id, organisation: { id: '区委', units: [{ id: '甲' }] }, campaignId: 'c' });
  for (const at of times) {
    clock.advanceTo(shanghai(at));
    await engine.runDueTimers();
  }
  return { engine, clock };
}

async function code(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
    return undefined;
  } catch (error) {
    if (error instanceof EngineError) return error.code;
    throw error;
  }
}

describe('an idempotency key names one request, occurrence and cycle included', () => {
  it("a key reused for another month's report is refused, and that month stays overdue; the same month again is a duplicate", async () => {
    // Looked at on 10 January and 10 March: January's report is overdue, March's open (February's
    // start passed while nothing ran: one late occurrence fires, the latest, by `missed`).
    const { engine } = await started(MONTHLY, '2024-01-10T09:00:00', '2024-03-10T09:00:00');
    const march = { type: 'task.completed', task: '月报', period: '2024-03' } as const;
    expect((await engine.send('c/甲', march, { idempotencyKey: 'k1' })).duplicate).toBeFalsy();
    expect((await engine.send('c/甲', march, { idempotencyKey: 'k1' })).duplicate).toBe(true);
    expect(await code(engine.send('c/甲', { ...march, period: '2024-01' }, { idempotencyKey: 'k1' }))).toBe('ENGINE_IDEMPOTENCY_KEY_REUSED');
    const statuses = new Map((await engine.tasks('c/甲')).map((t) => [t.key, t.status]));
    expect(statuses.get('月报#0')).toBe('overdue');
    expect(statuses.get('月报#2')).toBe('done');
    expect((await engine.send('c/甲', { ...march, period: '2024-01' }, { idempotencyKey: 'k2' })).duplicate).toBeFalsy();
  });

  it('a 2025 completion repeated as sent (no cycle, or cycle 2025) is a duplicate, not a reused key', async () => {
    const { engine } = await started(YEARLY_CYCLE, '2025-03-01T09:00:00');
    const report = { type: 'task.completed', task: '自查报告' } as const;
    expect((await engine.send('c/甲', report, { idempotencyKey: 'r1' })).duplicate).toBeFalsy();
    expect((await engine.send('c/甲', report, { idempotencyKey: 'r1' })).duplicate).toBe(true);

  });

  it("a key reused for another cycle's report is refused", async () => {
    const { engine } = await started(YEARLY_CYCLE, '2025-03-01T09:00:00');
    await engine.send('c/甲', { type: 'task.completed', task: '自查报告', cycle: '2025' }, { idempotencyKey: 'r3' });
    expect((await engine.send('c/甲', { type: 'task.completed', task: '自查报告', cycle: '2025' }, { idempotencyKey: 'r3' })).duplicate).toBe(true);
    expect(await code(engine.send('c/甲', { type: 'task.completed', task: '自查报告', cycle: '2024' }, { idempotencyKey: 'r3' }))).toBe('ENGINE_IDEMPOTENCY_KEY_REUSED');
  });
});
