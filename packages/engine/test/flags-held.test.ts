import { describe, expect, it } from 'vitest';
import { createInProcessEngine, runUntil, VirtualClock, type Engine } from '@luoshi/engine';
import { validateProcessText } from '@luoshi/dsl';
import { memberOverdueCampaign } from './support/member-overdue-campaign.js';
import { engineWith, organisation, shanghai } from './support/harness.js';

/**
 * 标记在身 (`Engine.flagsHeld`): the subjects holding each declared flag, without the task counts of
 * `outcomes`. Two units of two members from 1 March 2024; each member's 承诺 is due when 11 March
 * ends. Only u01-m1 does it (on 5 March); the other three members go overdue on 12 March 00:00 and
 * are flagged 个人逾期. 表彰 is declared and nobody holds it. By hand, on 20 March: the campaign
 * 个人逾期 3 (u01-m2, u02-m1, u02-m2), 表彰 0; under u01: 个人逾期 1; under u02: 个人逾期 2.
 */
const CAMPAIGN = memberOverdueCampaign('标记在身', `
      - { id: 表彰, title: 表彰 }`);

type Driver = Pick<Engine, 'startCampaign' | 'send' | 'flagsHeld' | 'outcomes' | 'nextTimerAt' | 'runDueTimers'>;

async function play(engine: Driver, clock: VirtualClock): Promise<void> {
  await engine.startCampaign({ process: '标记在身', organisation: organisation(2, 2), campaignId: 'c' });
  await runUntil(engine as Engine, clock, shanghai('2024-03-05T09:00:00'));
  await engine.send('c/u01', { type: 'task.completed', task: '承诺', member: 'u01-m1' });
  await runUntil(engine as Engine, clock, shanghai('2024-03-20T00:00:00'));
}

async function expectCounted(engine: Driver): Promise<void> {
  expect(await engine.flagsHeld('c')).toEqual({ 个人逾期: 3, 表彰: 0 });
  expect(await engine.flagsHeld('c', 'u01')).toEqual({ 个人逾期: 1, 表彰: 0 });
  expect(await engine.flagsHeld('c', 'u02')).toEqual({ 个人逾期: 2, 表彰: 0 });
  // The same count as the outcomes' (which also counts every task).
  expect(await engine.flagsHeld('c')).toEqual((await engine.outcomes('c')).flags);
}

describe('given the flags held (标记在身)', () => {
  it('when the durable engine is asked, then each flag counts the subjects holding it, as counted by hand', async () => {
    const h = await engineWith(CAMPAIGN, { start: '2024-03-01T00:00:00' });
    await play(h.engine, h.clock);
    await expectCounted(h.engine);
  });

  it('when the in-process driver is asked, then it counts the same', async () => {
    const validation = validateProcessText(CAMPAIGN, { file: 'test.yaml' });
    const clock = new VirtualClock(shanghai('2024-03-01T00:00:00'));
    const engine = createInProcessEngine({ clock });
    await engine.deploy([validation.definition] as Parameters<typeof engine.deploy>[0]);
    await play(engine, clock);
    await expectCounted(engine);
  });

  it('when a unit is not in the campaign, then it is refused as for the other queries', async () => {
    const h = await engineWith(CAMPAIGN, { start: '2024-03-01T00:00:00' });
    await play(h.engine, h.clock);
    await expect(h.engine.flagsHeld('c', 'constructor')).rejects.toMatchObject({ code: 'ENGINE_INSTANCE_NOT_FOUND' });
  });
});
