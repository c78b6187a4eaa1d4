import { describe, expect, it } from 'vitest';
import { validateProcessText } from '@luoshi/dsl';
import { createEngine, createMemoryStore, EngineError, type Clock, type HostEvent } from '@luoshi/engine';
import { minimalCampaign, unit } from './support/minimal-campaign.js';

/*
 * 消息中的时间: a message that names an instant gives it in the campaign's time zone and says which
 * zone, as the simulator's messages do (SIM_UNTIL_PASSED); an instant the zone cannot give with an ISO
 * offset (local mean time, offset in seconds) is given in UTC, marked `Z`.
 */

/** A campaign in Berlin (summer time +02:00, winter +01:00), not the default Asia/Shanghai. */
const BERLIN = minimalCampaign({
  id: '柏林',
  roles: [unit('单位')],
  blocks: 'timezone: Europe/Berlin',
  phases: [{ id: '实施', window: '1月至12月', body: 'tasks:\n  - { id: 报送, title: 报送, owner: 单位, due: 11月30日 }' }],
});

/** A clock a test sets anywhere, backwards too. */
class HandClock implements Clock {
  constructor(public at: number) {}
  now(): number {
    return this.at;
  }
}

const report: HostEvent = { type: 'task.completed', task: '报送' };

async function refusal(promise: Promise<unknown>): Promise<EngineError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof EngineError) return error;
    throw error;
  }
  throw new Error('expected a refusal, but the promise resolved');
}

async function berlinCampaign(at: number) {
  const validation = validateProcessText(BERLIN, { file: 'berlin.yaml' });
  if (!validation.definition) throw new Error(`invalid test campaign: ${JSON.stringify(validation.diagnostics)}`);
  const clock = new HandClock(at);
  const engine = createEngine({ store: createMemoryStore(), clock });
  await engine.deploy([validation.definition]);
  await engine.startCampaign({ process: '柏林', organisation: { id: 'office', units: [{ id: 'u01' }] }, campaignId: 'c' });
  return { engine, clock };
}

describe('an instant in an engine message', () => {
  it('when an event is dated before the instance’s time, then ENGINE_TIME_BACKWARDS gives both times in the campaign’s zone (summer and winter offsets) and names it', async () => {
    // Started 1 July 2024 10:00 UTC = 12:00 in Berlin (CEST, +02:00).
    const { engine, clock } = await berlinCampaign(Date.UTC(2024, 6, 1, 10, 0, 0));
    // 15 January 2024 08:30 UTC = 09:30 in Berlin (CET, +01:00).
    clock.at = Date.UTC(2024, 0, 15, 8, 30, 0);
    const error = await refusal(engine.send('c/u01', report));
    expect(error.code).toBe('ENGINE_TIME_BACKWARDS');
    expect(error.details).toMatchObject({ id: 'c/u01', last: '2024-07-01T12:00:00+02:00', at: '2024-01-15T09:30:00+01:00', zone: 'Europe/Berlin' });
    expect(error.localized('en')).toBe('Instance c/u01 is already at 2024-07-01T12:00:00+02:00; an event at 2024-01-15T09:30:00+01:00 would move its time backwards (times in Europe/Berlin)');
    expect(error.localized('zh')).toBe('实例 c/u01 的时间已到 2024-07-01T12:00:00+02:00，2024-01-15T09:30:00+01:00 的事件会使时间倒流，不予受理（Europe/Berlin 时间）');
    await engine.close();
  });

  it('when the times differ by less than a second, then the milliseconds are shown (and only then)', async () => {
    const { engine, clock } = await berlinCampaign(Date.UTC(2024, 6, 1, 10, 0, 0, 500));
    clock.at = Date.UTC(2024, 6, 1, 10, 0, 0, 200);
    const error = await refusal(engine.send('c/u01', report));
    expect(error.details).toMatchObject({ last: '2024-07-01T12:00:00.500+02:00', at: '2024-07-01T12:00:00.200+02:00' });
    await engine.close();
  });

  it('when the time falls where the zone kept local mean time (Berlin in year −1, +00:53:28), then it is given in UTC, marked Z', async () => {
    const { engine, clock } = await berlinCampaign(Date.UTC(2024, 6, 1, 10, 0, 0));
    clock.at = Date.UTC(-1, 4, 10);
    const error = await refusal(engine.send('c/u01', report));
    expect(error.details).toMatchObject({ at: '-000001-05-10T00:00:00.000Z', last: '2024-07-01T12:00:00+02:00' });
    await engine.close();
  });

  it('when an event reaches an instance the office closed, then ENGINE_CAMPAIGN_CLOSED gives the closing time in the campaign’s zone and names it', async () => {
    // Started 1 July 2024 10:00 UTC = 12:00 in Berlin; closed at 15 October 2024 08:00 UTC = 10:00 (CEST, +02:00).
    const { engine, clock } = await berlinCampaign(Date.UTC(2024, 6, 1, 10, 0, 0));
    clock.at = Date.UTC(2024, 9, 15, 8, 0, 0);
    await engine.closeCampaign('c', { actor: '办公室', reason: '提前结束' });
    const error = await refusal(engine.send('c/u01', report));
    expect(error.code).toBe('ENGINE_CAMPAIGN_CLOSED');
    expect(error.details).toMatchObject({ at: '2024-10-15T10:00:00+02:00', zone: 'Europe/Berlin' });
    expect(error.localized('en')).toBe('The office closed the campaign for instance c/u01 at 2024-10-15T10:00:00+02:00 (提前结束); no more events are accepted (times in Europe/Berlin)');
    expect(error.localized('zh')).toBe('实例 c/u01 的活动已于 2024-10-15T10:00:00+02:00 终止（提前结束），不再接受事件（Europe/Berlin 时间）');
    await engine.close();
  });
});
