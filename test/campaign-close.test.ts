import { describe, expect, it } from 'vitest';
import { createEngine, createInProcessEngine, createMemoryStore, runUntil, VirtualClock, type Effect, type Engine, type Store } from '@luoshi/engine';
import { createKyselyStore } from '@luoshi/store-kysely';
import { shanghai, tempDatabase } from './support/campaign-harness.js';
import { checkedDefinitions } from './support/checked-inputs.js';
import { STANDING_CAMPAIGN, STANDING_ORGANISATION, STANDING_PROCESS } from './support/standing-close-campaign.js';

/*
 * 终止活动 — the office closes a standing mechanism (长效机制) in one act, although the process offers
 * no decision to end it: "本通知自印发之日起施行，原《常态督查办法》同时废止". The mechanism started on
 * 1 January 2024 over 县委办 → 甲镇 (甲一村, 甲二村), 乙镇 (乙一村); each unit reports monthly (due 25
 * days after the month opens), owes a 整改方案 due 30 September, and is ranked on 25 December.
 */

const START = shanghai('2024-01-01T09:00:00');
const CLOSE_AT = shanghai('2024-06-30T12:00:00');
const REASON = '新办法印发，原常态督查办法同时废止';
const UNITS = ['县委办', '甲镇', '甲一村', '甲二村', '乙镇', '乙一村'];
const UNDER_JIA = ['甲镇', '甲一村', '甲二村'];

async function started(store: Store, effects: Effect[] = []): Promise<{ engine: Engine; clock: VirtualClock }> {
  const clock = new VirtualClock(START);
  const engine = createEngine({ store, clock, effects: { deliver: (e) => void effects.push(e) } });
  await engine.deploy(checkedDefinitions(STANDING_CAMPAIGN));
  await engine.startCampaign({ process: STANDING_PROCESS, organisation: STANDING_ORGANISATION, campaignId: 'c' });
  await runUntil(engine, clock, CLOSE_AT);
  return { engine, clock };
}

const code = (p: Promise<unknown>) => p.then(() => 'no error', (e: { code?: string }) => e.code);

const stores: [string, () => Promise<Store>][] = [
  ['the memory store', async () => createMemoryStore()],
  ['SQLite', () => createKyselyStore({ sqlite: tempDatabase() })],
];

describe.each(stores)('given a standing mechanism without a decision to end it, run to 30 June 2024 on %s', (_name, openStore) => {
  it('when the office closes the whole campaign, then every instance ends at that instant with the closing in its history, and no timer is left', async () => {
    const effects: Effect[] = [];
    const { engine } = await started(await openStore(), effects);
    const before = (await engine.tasks('c/甲一村')).map((t) => [t.item, t.occurrence, t.status]);
    // 整改方案 is open (due 30 September); the months' reports January to June are overdue (due the 26th, 00:00).
    expect(before.filter(([item, , status]) => item === '整改方案' && status === 'open')).toHaveLength(1);
    expect(before.filter(([item, , status]) => item === '月报' && status === 'overdue')).toHaveLength(6);

    const result = await engine.closeCampaign('c', { actor: '县委办主任', reason: REASON });
    expect(result).toMatchObject({ campaignId: 'c', unitId: '县委办', at: CLOSE_AT, alreadyEnded: 0, whole: true, duplicate: false });
    expect(result.closed.map((c) => c.unitId).sort()).toEqual([...UNITS].sort());
    for (const unitId of UNITS) {
      const state = await engine.state(`c/${unitId}`);
      expect(state).toMatchObject({ phase: 'ended', ended: true, closed: { at: CLOSE_AT, reason: REASON } });
      const last = (await engine.history(`c/${unitId}`)).at(-1);
      expect(last).toMatchObject({ type: 'campaign.closed', actor: '县委办主任', cause: 'close', at: CLOSE_AT, event: { type: 'campaign.closed', reason: REASON } });
      expect(await engine.store.timers(`c/${unitId}`)).toEqual([]);
    }
    // The campaign's own timer, the ranking of 25 December, went with the whole campaign.
    expect(await engine.store.timers('c')).toEqual([]);
    expect(await engine.nextTimerAt()).toBeUndefined();
    // Each unit is told (a notice caused by the closing, titled with the reason).
    await engine.deliverEffects();
    expect(effects.filter((e) => e.cause === 'close').map((e) => [e.unitId, e.effect, e.title]).sort()).toEqual(
      [...UNITS].sort().map((u) => [u, 'notify', `活动终止：${REASON}`]),
    );
    await engine.close();
  });

  it('when the whole campaign is closed and the clock runs on a year, then nothing fires: the open 整改方案 never goes overdue, no report opens, no ranking is made', async () => {
    const { engine, clock } = await started(await openStore());
    await engine.closeCampaign('c', { actor: '县委办主任', reason: REASON });
    const tasks = await engine.tasks('c/乙一村');
    const revisions = await Promise.all(UNITS.map(async (u) => (await engine.state(`c/${u}`)).revision));
    expect(await runUntil(engine, clock, shanghai('2025-06-30T00:00:00'))).toBe(0);
    expect(await engine.tasks('c/乙一村')).toEqual(tasks);
    expect((await engine.tasks('c/乙一村')).find((t) => t.item === '整改方案')?.status).toBe('open');
    expect(await Promise.all(UNITS.map(async (u) => (await engine.state(`c/${u}`)).revision))).toEqual(revisions);
    expect((await engine.subjects('c/乙一村'))[0]?.ranks).toEqual({});
    await engine.close();
  });

  it('when a unit completes a task after the closing, then it is refused with ENGINE_CAMPAIGN_CLOSED, saying when and why, in Chinese and English', async () => {
    const { engine } = await started(await openStore());
    await engine.closeCampaign('c', { actor: '县委办主任', reason: REASON });
    const error = await engine.send('c/甲一村', { type: 'task.completed', task: '整改方案' }).then(
      () => undefined,
      (e: { code: string; message: string; messages: { zh: string; en: string } }) => e,
    );
    expect(error?.code).toBe('ENGINE_CAMPAIGN_CLOSED');
    expect(error?.messages.zh).toContain('2024-06-30T12:00:00+08:00');
    expect(error?.messages.zh).toContain(`终止（${REASON}）`);
    expect(error?.messages.en).toContain('The office closed the campaign for instance c/甲一村 at 2024-06-30T12:00:00+08:00');
    await engine.close();
  });

  it('when it is closed a second time, then nothing changes: every instance is counted as already ended', async () => {
    const { engine } = await started(await openStore());
    await engine.closeCampaign('c', { actor: '县委办主任', reason: REASON });
    const histories = await Promise.all(UNITS.map((u) => engine.history(`c/${u}`)));
    const again = await engine.closeCampaign('c', { actor: '县委办主任', reason: '再次终止' });
    expect(again).toMatchObject({ closed: [], alreadyEnded: 6, whole: true, duplicate: false });
    expect(await Promise.all(UNITS.map((u) => engine.history(`c/${u}`)))).toEqual(histories);
    expect((await engine.state('c/乙镇')).closed?.reason).toBe(REASON);
    await engine.close();
  });

  it('when the office closes it under 甲镇 only, then 甲镇 and its villages end, 乙镇 and 乙一村 run on: reports open and fall overdue, and the ranking places only them', async () => {
    const { engine, clock } = await started(await openStore());
    const result = await engine.closeCampaign('c', { actor: '县委办主任', reason: '甲镇撤并', unit: '甲镇' });
    expect(result).toMatchObject({ unitId: '甲镇', whole: false, alreadyEnded: 0 });
    expect(result.closed.map((c) => c.unitId).sort()).toEqual([...UNDER_JIA].sort());
    expect((await engine.history('c/甲镇')).at(-1)?.event).toEqual({ type: 'campaign.closed', reason: '甲镇撤并', unit: '甲镇', at: CLOSE_AT, actor: '县委办主任' });
    for (const u of ['县委办', '乙镇', '乙一村']) expect((await engine.state(`c/${u}`)).ended).toBe(false);
    // The ranking of 25 December stays (the campaign is not closed whole).
    expect((await engine.store.timers('c')).map((t) => t.key)).toEqual(['ranking:年度排名']);
    await runUntil(engine, clock, shanghai('2024-12-26T00:00:00'));
    const plan = async (u: string) => (await engine.tasks(`c/${u}`)).find((t) => t.item === '整改方案')?.status;
    expect(await plan('乙一村')).toBe('overdue');
    expect(await plan('甲一村')).toBe('open');
    // 乙一村 has had a report each month, July to December too: 12 in all; 甲一村 stopped at June's: 6.
    const reports = async (u: string) => (await engine.tasks(`c/${u}`)).filter((t) => t.item === '月报').length;
    expect(await reports('乙一村')).toBe(12);
    expect(await reports('甲一村')).toBe(6);
    // Ranked on 25 December: the two units still in the campaign that do unit work (乙镇, 乙一村), none of 甲镇's.
    const rank = async (u: string) => (await engine.subjects(`c/${u}`))[0]?.ranks['年度排名'];
    expect(await Promise.all(['乙镇', '乙一村'].map(rank))).toEqual(expect.arrayContaining([1, 2]));
    expect(await Promise.all(UNDER_JIA.map(rank))).toEqual([undefined, undefined, undefined]);
    // Closing the rest later finishes the campaign: the three under 甲镇 already ended, the ranking's next date gone.
    const rest = await engine.closeCampaign('c', { actor: '县委办主任', reason: REASON });
    expect(rest).toMatchObject({ whole: true, alreadyEnded: 3 });
    expect(rest.closed.map((c) => c.unitId).sort()).toEqual(['乙一村', '乙镇', '县委办'].sort());
    expect(await engine.store.timers('c')).toEqual([]);
    await engine.close();
  });

  it('when the closing is dated before an instance\'s time, then the whole closing is refused with ENGINE_TIME_BACKWARDS and nothing is closed', async () => {
    const { engine } = await started(await openStore());
    expect(await code(engine.closeCampaign('c', { actor: '县委办主任', reason: REASON, at: shanghai('2024-03-01T00:00:00') }))).toBe('ENGINE_TIME_BACKWARDS');
    for (const u of UNITS) expect((await engine.state(`c/${u}`)).ended).toBe(false);
    expect((await engine.store.timers('c')).length).toBe(1);
    await engine.close();
  });

  it('when a closing is repeated under its idempotency key, then the first answers (duplicate); the key with another reason is refused', async () => {
    const { engine } = await started(await openStore());
    const first = await engine.closeCampaign('c', { actor: '县委办主任', reason: REASON, idempotencyKey: 'close-1' });
    const again = await engine.closeCampaign('c', { actor: '县委办主任', reason: REASON, idempotencyKey: 'close-1' });
    expect(again).toMatchObject({ duplicate: true, alreadyEnded: 0, whole: true });
    expect(again.closed).toEqual(first.closed);
    expect(await code(engine.closeCampaign('c', { actor: '县委办主任', reason: '另一个理由', idempotencyKey: 'close-1' }))).toBe('ENGINE_IDEMPOTENCY_KEY_REUSED');
    await engine.close();
  });

  it('when the closing is replayed from the history, then it gives the stored state', async () => {
    const { engine } = await started(await openStore());
    await engine.closeCampaign('c', { actor: '县委办主任', reason: REASON, unit: '甲镇' });
    for (const u of UNITS) await expect(engine.replay(`c/${u}`)).resolves.toBeDefined();
    await engine.close();
  });

  it('when a closing names a unit the campaign does not have, gives no reason or is dated after the clock, then it is refused and nothing is closed', async () => {
    const { engine } = await started(await openStore());
    expect(await code(engine.closeCampaign('c', { actor: '县委办主任', reason: REASON, unit: '丙镇' }))).toBe('ENGINE_INSTANCE_NOT_FOUND');
    expect(await code(engine.closeCampaign('c', { actor: '县委办主任', reason: '  ' }))).toBe('ENGINE_INVALID_PAYLOAD');
    expect(await code(engine.closeCampaign('无此活动', { actor: '县委办主任', reason: REASON }))).toBe('ENGINE_CAMPAIGN_NOT_FOUND');
    // Dated after the clock: the timers due before it have not fired (a closing planned ahead is made on its day).
    expect(await code(engine.closeCampaign('c', { actor: '县委办主任', reason: REASON, at: shanghai('2024-07-31T00:00:00') }))).toBe('ENGINE_INVALID_PAYLOAD');
    for (const u of UNITS) expect((await engine.state(`c/${u}`)).ended).toBe(false);
    await engine.close();
  });
});

describe('given a standing mechanism whose office role is 办公室', () => {
  it('when the host says the actor holds only a unit\'s role (单位), then the closing is refused with ENGINE_FORBIDDEN and nothing is closed; with 办公室 it closes', async () => {
    const { engine } = await started(createMemoryStore());
    expect(await code(engine.closeCampaign('c', { actor: '甲一村书记', roles: ['单位'], reason: REASON }))).toBe('ENGINE_FORBIDDEN');
    expect((await engine.instances('c')).filter((i) => i.ended)).toEqual([]);
    expect((await engine.closeCampaign('c', { actor: '县委办主任', roles: ['办公室'], reason: REASON })).closed).toHaveLength(6);
    await engine.close();
  });
});

describe('given a standing mechanism closed on SQLite', () => {
  it('when the engine restarts on the database, then the campaign stays closed: ended, no timer, events refused', async () => {
    const file = tempDatabase();
    const { engine } = await started(await createKyselyStore({ sqlite: file }));
    await engine.closeCampaign('c', { actor: '县委办主任', reason: REASON });
    await engine.close();
    const clock = new VirtualClock(shanghai('2024-07-01T00:00:00'));
    const again = createEngine({ store: await createKyselyStore({ sqlite: file }), clock });
    expect(await runUntil(again, clock, shanghai('2025-01-31T00:00:00'))).toBe(0);
    expect(await again.state('c/乙一村')).toMatchObject({ ended: true, closed: { at: CLOSE_AT, reason: REASON } });
    expect(await code(again.send('c/乙一村', { type: 'task.completed', task: '整改方案' }))).toBe('ENGINE_CAMPAIGN_CLOSED');
    await again.close();
  });
});

describe('given the same standing mechanism on the in-process driver (the simulator\'s)', () => {
  it('when the office closes it under 甲镇 and then whole, then it ends the same instances with the same records as the durable engine, and no timer is left', async () => {
    const clock = new VirtualClock(START);
    const driver = createInProcessEngine({ clock });
    await driver.deploy(checkedDefinitions(STANDING_CAMPAIGN));
    await driver.startCampaign({ process: STANDING_PROCESS, organisation: STANDING_ORGANISATION, campaignId: 'c' });
    await runUntil(driver, clock, CLOSE_AT);
    const { engine } = await started(createMemoryStore());
    const part = await driver.closeCampaign('c', { actor: '县委办主任', reason: '甲镇撤并', unit: '甲镇' });
    const durable = await engine.closeCampaign('c', { actor: '县委办主任', reason: '甲镇撤并', unit: '甲镇' });
    expect(part).toEqual(durable);
    for (const u of UNITS) expect(await driver.state(`c/${u}`)).toEqual(await engine.state(`c/${u}`));
    const whole = await driver.closeCampaign('c', { actor: '县委办主任', reason: REASON });
    expect(whole).toMatchObject({ whole: true, alreadyEnded: 3 });
    expect(await driver.nextTimerAt()).toBeUndefined();
    expect(await code(driver.send('c/乙一村', { type: 'task.completed', task: '整改方案' }))).toBe('ENGINE_CAMPAIGN_CLOSED');
    await engine.close();
  });
});
