import { describe, expect, it } from 'vitest';
import { createEngine, createInProcessEngine, createMemoryStore, runUntil, VirtualClock, type InstanceState } from '@luoshi/engine';
import { createKyselyStore } from '@luoshi/store-kysely';
import { shanghai, tempDatabase } from './support/campaign-harness.js';
import { checkedDefinitions } from './support/checked-inputs.js';
import { GRADED_PROCESS, gradedCampaign } from './support/graded-campaign.js';
import { STANDING_CAMPAIGN, STANDING_ORGANISATION, STANDING_PROCESS } from './support/standing-close-campaign.js';

/*
 * 终止活动 under attack: what a hostile or careless office may send to `closeCampaign`, and what a
 * closing must not leave behind. Each case states the rule it guards.
 */

const code = (p: Promise<unknown>) => p.then(() => 'no error', (e: { code?: string }) => e.code);

/** The two drivers a closing runs on: the durable engine (memory store) and the simulator's in-process driver. */
type Driver = Pick<ReturnType<typeof createInProcessEngine>, 'deploy' | 'startCampaign' | 'send' | 'closeCampaign' | 'state' | 'runDueTimers' | 'nextTimerAt'>;
const drivers: [string, (clock: VirtualClock) => Driver][] = [
  ['the durable engine', (clock) => createEngine({ store: createMemoryStore(), clock })],
  ['the in-process driver', (clock) => createInProcessEngine({ clock })],
];

describe.each(drivers)('given 年度考核 graded at 年底 (优秀 from 90) over 甲 and 乙, both scored 95 in 自评 and 考核, on %s', (_name, make) => {
  it('when the office closes 甲 alone on 1 March, then the year-end grading grades 乙 (0.5 × 95 + 0.5 × 95 = 95 → 优秀) and leaves 甲 as the closing left it: a closed unit has left the campaign', async () => {
    const clock = new VirtualClock(shanghai('2024-01-01T09:00:00'));
    const driver = make(clock);
    await driver.deploy(checkedDefinitions(gradedCampaign()));
    await driver.startCampaign({ process: GRADED_PROCESS, organisation: { id: '考核办', units: [{ id: '甲' }, { id: '乙' }] }, campaignId: 'g' });
    await runUntil(driver, clock, shanghai('2024-02-01T09:00:00'));
    for (const unitId of ['甲', '乙']) {
      await driver.send(`g/${unitId}`, { type: 'score.given', evaluation: '自评', score: 95 }, { actor: unitId, roles: ['单位'] });
      await driver.send(`g/${unitId}`, { type: 'score.given', evaluation: '考核', score: 95 }, { actor: '考核办', roles: ['考核办'] });
    }
    await runUntil(driver, clock, shanghai('2024-03-01T09:00:00'));
    await driver.closeCampaign('g', { actor: '考核办主任', reason: '甲单位撤销', unit: '甲' });
    const closed: InstanceState = await driver.state('g/甲');
    expect(closed.grades).toBeUndefined();

    await runUntil(driver, clock, shanghai('2025-01-02T09:00:00'));
    expect((await driver.state('g/乙')).grades).toEqual({ 年度等次: '优秀' });
    expect(await driver.state('g/甲')).toEqual(closed);
  });
});

describe.each(drivers)('given a standing mechanism over units whose ids share a beginning (甲, 甲乙 under it, and 甲乙丙 beside it), on %s', (_name, make) => {
  it('when the office closes 甲, then 甲 and the units under it close and 甲乙丙 does not: "at and under" follows the tree, not the text of the id', async () => {
    const clock = new VirtualClock(shanghai('2024-01-01T09:00:00'));
    const driver = make(clock);
    await driver.deploy(checkedDefinitions(STANDING_CAMPAIGN));
    const organisation = { id: '县', units: [{ id: '甲', units: [{ id: '甲乙' }] }, { id: '甲乙丙' }] };
    await driver.startCampaign({ process: STANDING_PROCESS, organisation, campaignId: 'c' });
    const result = await driver.closeCampaign('c', { actor: '县办', reason: '甲撤并', unit: '甲' });
    expect(result.closed.map((c) => c.unitId)).toEqual(['甲', '甲乙']);
    expect(result.whole).toBe(false);
    expect((await driver.state('c/甲乙丙')).ended).toBe(false);
    expect((await driver.state('c/县')).ended).toBe(false);
  });

  it('when the office names a unit by a prototype name (constructor, __proto__, toString) or a campaign so named, then it is refused as not found and nothing closes', async () => {
    const clock = new VirtualClock(shanghai('2024-01-01T09:00:00'));
    const driver = make(clock);
    await driver.deploy(checkedDefinitions(STANDING_CAMPAIGN));
    await driver.startCampaign({ process: STANDING_PROCESS, organisation: { id: '县', units: [{ id: '甲' }] }, campaignId: 'c' });
    for (const unit of ['constructor', '__proto__', 'toString', 'hasOwnProperty'])
      expect(await code(driver.closeCampaign('c', { actor: '县办', reason: '撤并', unit })), unit).toBe('ENGINE_INSTANCE_NOT_FOUND');
    for (const campaign of ['constructor', '__proto__'])
      expect(await code(driver.closeCampaign(campaign, { actor: '县办', reason: '撤并' })), campaign).toBe('ENGINE_CAMPAIGN_NOT_FOUND');
    expect((await driver.state('c/甲')).ended).toBe(false);
    expect((await driver.state('c/县')).ended).toBe(false);
  });
});

describe('given the standing mechanism over 县委办 → 甲镇 (甲一村, 甲二村), 乙镇 (乙一村) on the durable engine', () => {
  async function standing() {
    const clock = new VirtualClock(shanghai('2024-01-01T09:00:00'));
    const engine = createEngine({ store: createMemoryStore(), clock });
    await engine.deploy(checkedDefinitions(STANDING_CAMPAIGN));
    await engine.startCampaign({ process: STANDING_PROCESS, organisation: STANDING_ORGANISATION, campaignId: 'c' });
    await runUntil(engine, clock, shanghai('2024-03-01T12:00:00'));
    return engine;
  }

  it('when a closing of 甲镇 under key k is followed by one of 乙镇 under the same key, then the second is refused (ENGINE_IDEMPOTENCY_KEY_REUSED) and 乙镇 runs on; the first repeated is a duplicate', async () => {
    const engine = await standing();
    const first = await engine.closeCampaign('c', { actor: '县委办主任', reason: '甲镇撤并', unit: '甲镇', idempotencyKey: 'k' });
    expect(first.closed.map((c) => c.unitId)).toEqual(['甲镇', '甲一村', '甲二村']);
    // The key names the first closing, whose part (甲镇 and below) does not meet 乙镇's.
    expect(await code(engine.closeCampaign('c', { actor: '县委办主任', reason: '甲镇撤并', unit: '乙镇', idempotencyKey: 'k' }))).toBe('ENGINE_IDEMPOTENCY_KEY_REUSED');
    expect((await engine.state('c/乙镇')).ended).toBe(false);
    expect((await engine.state('c/乙一村')).ended).toBe(false);
    const again = await engine.closeCampaign('c', { actor: '县委办主任', reason: '甲镇撤并', unit: '甲镇', idempotencyKey: 'k' });
    expect(again).toMatchObject({ duplicate: true, closed: first.closed });
    // Another key closes 乙镇.
    expect((await engine.closeCampaign('c', { actor: '县委办主任', reason: '乙镇撤并', unit: '乙镇', idempotencyKey: 'k2' })).closed.map((c) => c.unitId)).toEqual(['乙镇', '乙一村']);
  });

  it('when a host passes options that are no object, or a key that is no text, then ENGINE_INVALID_PAYLOAD, and nothing closes', async () => {
    const engine = await standing();
    // @ts-expect-error a host's JavaScript passing no options at all
    expect(await code(engine.closeCampaign('c', null))).toBe('ENGINE_INVALID_PAYLOAD');
    // @ts-expect-error a key that is a number
    expect(await code(engine.closeCampaign('c', { actor: '县委办主任', reason: '废止', idempotencyKey: 5 }))).toBe('ENGINE_INVALID_PAYLOAD');
    expect(await code(engine.closeCampaign('c', { actor: '县委办主任', reason: '废止', idempotencyKey: '' }))).toBe('ENGINE_INVALID_PAYLOAD');
    expect((await engine.instances('c')).filter((i) => i.ended)).toEqual([]);
  });
});

describe('given the standing mechanism in one SQLite file served by two engines (a worker and the office\'s)', () => {
  it('when the worker fires the month turns the office\'s engine has not seen and the office then closes the campaign, then the closing commits over the worker\'s states, and the worker\'s next event is refused as closed', async () => {
    const file = tempDatabase();
    const officeClock = new VirtualClock(shanghai('2024-01-01T09:00:00'));
    const office = createEngine({ store: await createKyselyStore({ sqlite: file }), clock: officeClock });
    await office.deploy(checkedDefinitions(STANDING_CAMPAIGN));
    await office.startCampaign({ process: STANDING_PROCESS, organisation: STANDING_ORGANISATION, campaignId: 'c' });
    // The office's engine caches every unit at its start.
    const cached = await Promise.all(['甲一村', '乙一村'].map(async (u) => (await office.state(`c/${u}`)).revision));
    const workerClock = new VirtualClock(shanghai('2024-03-01T12:00:00'));
    const worker = createEngine({ store: await createKyselyStore({ sqlite: file }), clock: workerClock });
    expect(await runUntil(worker, workerClock, shanghai('2024-03-01T12:00:00'))).toBeGreaterThan(0);
    const moved = await Promise.all(['甲一村', '乙一村'].map(async (u) => (await worker.state(`c/${u}`)).revision));
    expect(moved.every((r, i) => r > (cached[i] as number))).toBe(true);

    officeClock.advanceTo(shanghai('2024-03-01T12:00:00'));
    const closing = await office.closeCampaign('c', { actor: '县委办主任', reason: '原办法废止' });
    expect(closing.closed).toHaveLength(6);
    // Each closing step follows the worker's: one revision on.
    expect(closing.closed.filter((c) => c.unitId === '甲一村' || c.unitId === '乙一村').map((c) => c.revision).sort()).toEqual(moved.map((r) => r + 1).sort());
    expect(await code(worker.send('c/乙一村', { type: 'task.completed', task: '整改方案' }))).toBe('ENGINE_CAMPAIGN_CLOSED');
    expect(await worker.nextTimerAt()).toBeUndefined();
    await office.close();
    await worker.close();
  });
});
