import { describe, expect, it } from 'vitest';
import { createMemoryStore, runUntil, type Store } from '@luoshi/engine';
import { validateProcessText, type CampaignDefinition } from '@luoshi/dsl';
import { engineWith, shanghai } from './support/harness.js';
import { compilePlan } from '../src/compiler/compile-plan.js';
import { initialContext } from '../src/runtime/instance-context.js';
import { RecordKeeper } from '../src/runtime/record-keeper.js';
import { monthCardsTimer } from '../src/runtime/monthly-cards.js';
import { formatTimerKey, parseTimerKey } from '../src/runtime/timer-keys.js';
import { minimalCampaign, office, unit } from '../../../test/support/minimal-campaign.js';

/**
 * 按月亮牌 (D6, 三亚 红黄绿亮牌: "每月根据1月1日至上月末累计完成投资情况亮牌"): a kind with `every: 每月`
 * is carded every month whether or not the unit reported. A month with a progress report is carded by
 * the report, against the share due at the report; a month without one is carded at its turn, on the
 * cumulative figure as it stands, against the share at the month's end. Every expected value is worked
 * out by hand from D6's rule: the year's target 1,200, a twelfth (100) a month; area cards met → green,
 * missed → yellow, missed two running → red (`redAfterMisses: 2`); project cards at or above the share
 * green, short by no more than 50 % yellow, by more red.
 */
const CAMPAIGN = minimalCampaign({
  id: '亮牌督办',
  roles: [office('投资办'), unit('片区', '各片区')],
  blocks: `
    actions:
      - { id: 提醒, title: 黄牌提醒, effect: remind }
      - { id: 通报, title: 通报, effect: notify }
      - { id: 约谈, title: 约谈, effect: admonish }
      - { id: 副市长约谈, title: 分管副市长约谈, effect: admonish }
    items:
      - { id: 片区投资任务, title: 片区全社会投资任务, by: 投资办, redAfterMisses: 2, every: 每月 }
      - { id: 重点项目, title: 重点项目, by: 投资办, every: 每月 }`,
  phases: [{ id: '亮牌', window: '1月1日至12月31日' }],
  after: `
    ladders:
      - id: 黄牌累计
        title: 片区黄牌累计
        on: { event: item-yellow }
        subject: unit
        rungs:
          - { level: 1, actions: [提醒] }
          - { level: 2, actions: [通报] }
    consequences:
      - { id: 红牌约谈, title: 亮红牌约谈, on: { event: item-red, when: "event.reds == 1" }, actions: [约谈] }
      - { id: 连续黄牌, title: 连续两次黄牌：分管副市长约谈, on: { event: item-yellow, when: "event.yellowsInRow == 2" }, actions: [副市长约谈] }`,
});

const ORGANISATION = {
  id: '市投资办',
  units: [
    { id: '甲区', items: [{ id: '甲区投资', kind: '片区投资任务', target: 1200 }] },
    { id: '乙区', items: [{ id: '乙区项目', kind: '重点项目', target: 1200 }] },
  ],
};
const OFFICE = { actor: '王', roles: ['投资办'] };

async function started(store?: Store) {
  const h = await engineWith(CAMPAIGN, { start: '2024-01-01T00:00:00', ...(store ? { store } : {}) });
  await h.engine.startCampaign({ process: h.processId, organisation: ORGANISATION as never, campaignId: 'c' });
  return h;
}

type Harness = Awaited<ReturnType<typeof started>>;

/** The item's light and its cards (yellows, reds) as the items query shows them. */
async function cards(h: Harness, id: string): Promise<[string | undefined, number, number]> {
  const view = (await h.engine.items('c')).find((i) => i.item === id);
  return [view?.light, view?.yellows ?? 0, view?.reds ?? 0];
}

/** The actions of the effects delivered so far for a unit. */
function actions(h: Harness, unitId: string): string[] {
  return h.effects.filter((e) => e.instanceId === `c/${unitId}` && e.action !== undefined).map((e) => e.action as string);
}

async function report(h: Harness, at: string, unitId: string, item: string, done: number): Promise<void> {
  await runUntil(h.engine, h.clock, shanghai(at));
  await h.engine.send(`c/${unitId}`, { type: 'item.progress', item, done }, OFFICE);
  await h.engine.deliverEffects();
}

async function until(h: Harness, at: string): Promise<void> {
  await runUntil(h.engine, h.clock, shanghai(at));
  await h.engine.deliverEffects();
}

describe('given an area with a year target of 1,200, carded every month (every: 每月, redAfterMisses: 2)', () => {
  it('when it reports 100 in January, nothing in February or March, 400 in April, nothing in May and 450 in June, then green, yellow at 1 March, red at 1 April, green, no card at 1 May, yellow at 1 June, red at the June report', async () => {
    const h = await started();
    // 31 January: no whole month gone yet, share 0; 100 meets it.
    await report(h, '2024-01-31T12:00:00', '甲区', '甲区投资', 100);
    expect(await cards(h, '甲区投资')).toEqual(['green', 0, 0]);
    // 1 February: January had its report; no card.
    await until(h, '2024-02-29T23:59:00');
    expect(await cards(h, '甲区投资')).toEqual(['green', 0, 0]);
    // 1 March: February had no report; 100 against 2/12 of 1,200 = 200, missed → yellow (first miss).
    await until(h, '2024-03-01T00:00:00');
    expect(await cards(h, '甲区投资')).toEqual(['yellow', 1, 0]);
    // 1 April: March had none either; 100 against 300, the second miss running → red.
    await until(h, '2024-04-01T00:00:00');
    expect(await cards(h, '甲区投资')).toEqual(['red', 1, 1]);
    // 20 April: 400 against the share then due, 3/12 = 300: met → green.
    await report(h, '2024-04-20T10:00:00', '甲区', '甲区投资', 400);
    expect(await cards(h, '甲区投资')).toEqual(['green', 1, 1]);
    // 1 May: April had its report; no second card for it.
    await until(h, '2024-05-01T00:00:00');
    expect(await cards(h, '甲区投资')).toEqual(['green', 1, 1]);
    // 1 June: May had none; 400 against 500, missed → yellow, the first miss since April's green.
    await until(h, '2024-06-01T00:00:00');
    expect(await cards(h, '甲区投资')).toEqual(['yellow', 2, 1]);
    // 10 June: 450 against 5/12 = 500, missed again: the second miss running, the month's card by report → red.
    await report(h, '2024-06-10T10:00:00', '甲区', '甲区投资', 450);
    expect(await cards(h, '甲区投资')).toEqual(['red', 2, 2]);
  });

  it('then the ladder counts the month-turn cards as report cards: the yellow of 1 March is rung 1, the yellow of 1 June rung 2, and the first red (1 April) brings 约谈', async () => {
    const h = await started();
    await report(h, '2024-01-31T12:00:00', '甲区', '甲区投资', 100);
    await until(h, '2024-04-01T00:00:00');
    expect(actions(h, '甲区')).toEqual(['提醒', '约谈']);
    await report(h, '2024-04-20T10:00:00', '甲区', '甲区投资', 400);
    await until(h, '2024-06-01T00:00:00');
    expect(actions(h, '甲区')).toEqual(['提醒', '约谈', '通报']);
  });

  it('then the history holds one month-cards timer a month, and the instance replays from it', async () => {
    const h = await started();
    await report(h, '2024-01-31T12:00:00', '甲区', '甲区投资', 100);
    await until(h, '2024-04-15T00:00:00');
    const fired = (await h.engine.history('c/甲区')).filter((e) => (e.event as { key?: string }).key === 'month-cards:turn');
    // The turns of 1 February, 1 March and 1 April.
    expect(fired.map((e) => e.at)).toEqual([shanghai('2024-02-01T00:00:00'), shanghai('2024-03-01T00:00:00'), shanghai('2024-04-01T00:00:00')]);
    await expect(h.engine.replay('c/甲区')).resolves.toBeDefined();
  });
});

describe('given a key project with a year plan of 1,200, carded every month by the share’s thresholds', () => {
  it('when it reports 150 in February and nothing in March or April, then green, yellow at 1 April (150 of 300, 50 % short), red at 1 May (150 of 400, 62.5 % short), and green when 500 is reported in May', async () => {
    const h = await started();
    // 1 February: listed at the campaign's first instant, the project owes no card for January.
    await until(h, '2024-02-10T00:00:00');
    expect(await cards(h, '乙区项目')).toEqual(['green', 0, 0]);
    // 10 February: 150 against 1/12 = 100 → green.
    await report(h, '2024-02-10T10:00:00', '乙区', '乙区项目', 150);
    // 1 March: February had its report; no card.
    await until(h, '2024-03-01T00:00:00');
    expect(await cards(h, '乙区项目')).toEqual(['green', 0, 0]);
    // 1 April: March had none; 150 against 3/12 = 300, short by 150/300 = 50 % (no more than half) → yellow.
    await until(h, '2024-04-01T00:00:00');
    expect(await cards(h, '乙区项目')).toEqual(['yellow', 1, 0]);
    // 1 May: April had none; 150 against 400, short by 62.5 % → red.
    await until(h, '2024-05-01T00:00:00');
    expect(await cards(h, '乙区项目')).toEqual(['red', 1, 1]);
    expect(actions(h, '乙区')).toEqual(['提醒', '约谈']);
    // 15 May: 500 against 4/12 = 400 → green; 1 June brings no card for May.
    await report(h, '2024-05-15T10:00:00', '乙区', '乙区项目', 500);
    await until(h, '2024-06-01T00:00:00');
    expect(await cards(h, '乙区项目')).toEqual(['green', 1, 1]);
  });

  it('when it reports 450 on 10 June (500 due: 10 % short, yellow) and nothing in July, then 1 August’s card (450 of 700, 35.7 % short) is its second yellow in a row: event.yellowsInRow 2 brings the vice-mayor, and the ladder its second rung', async () => {
    const h = await started();
    // One report a month from February to May, each exactly on the share then due (100 × whole months gone).
    for (const [at, done] of [['2024-02-10T10:00:00', 100], ['2024-03-10T10:00:00', 200], ['2024-04-10T10:00:00', 300], ['2024-05-10T10:00:00', 400]] as const) await report(h, at, '乙区', '乙区项目', done);
    await report(h, '2024-06-10T10:00:00', '乙区', '乙区项目', 450);
    expect(await cards(h, '乙区项目')).toEqual(['yellow', 1, 0]);
    expect(actions(h, '乙区')).toEqual(['提醒']);
    await until(h, '2024-08-01T00:00:00');
    expect(await cards(h, '乙区项目')).toEqual(['yellow', 2, 0]);
    expect(actions(h, '乙区')).toEqual(['提醒', '通报', '副市长约谈']);
  });

  it('when the project is resolved (办结) before a turn, then it is not carded while it waits for its check', async () => {
    const h = await started();
    await runUntil(h.engine, h.clock, shanghai('2024-02-15T10:00:00'));
    await h.engine.send('c/乙区', { type: 'item.resolved', item: '乙区项目' }, OFFICE);
    await until(h, '2024-05-01T00:00:00');
    expect(await cards(h, '乙区项目')).toEqual(['green', 0, 0]);
  });
});

describe('given a campaign continued by another engine on the same store after a month turn', () => {
  it('when the first engine stops on 15 March and the second takes over on 2 April, then the turn of 1 April is carded exactly once, by the second', async () => {
    const store = createMemoryStore();
    const first = await started(store);
    await report(first, '2024-01-31T12:00:00', '甲区', '甲区投资', 100);
    await until(first, '2024-03-15T00:00:00');
    expect(await cards(first, '甲区投资')).toEqual(['yellow', 1, 0]);
    // The second engine is on the same store; its clock stands past the turn of 1 April.
    const validation = validateProcessText(CAMPAIGN, { file: 'test.yaml' });
    expect(validation.ok).toBe(true);
    const second = await engineWith(CAMPAIGN, { start: '2024-04-02T09:00:00', store });
    await second.engine.runDueTimers();
    await second.engine.runDueTimers();
    await runUntil(second.engine, second.clock, shanghai('2024-04-20T00:00:00'));
    // 100 against 300 at 1 April: the second miss running → red, once.
    expect(await cards(second, '甲区投资')).toEqual(['red', 1, 1]);
    const fired = (await second.engine.history('c/甲区')).filter((e) => (e.event as { key?: string }).key === 'month-cards:turn');
    expect(fired.map((e) => e.at)).toEqual([shanghai('2024-02-01T00:00:00'), shanghai('2024-03-01T00:00:00'), shanghai('2024-04-02T09:00:00')]);
    await expect(second.engine.replay('c/甲区')).resolves.toBeDefined();
  });

  it('when no timer ran past two turns and the next event is a report, then both months are carded first, in order, and the report after them', async () => {
    const h = await started();
    await report(h, '2024-01-31T12:00:00', '甲区', '甲区投资', 100);
    // The clock moves to 10 April without firing a timer; the report is the instance's first step since.
    h.clock.advanceTo(shanghai('2024-04-10T10:00:00'));
    await h.engine.send('c/甲区', { type: 'item.progress', item: '甲区投资', done: 300 }, OFFICE);
    // 1 March: 100 of 200, missed → yellow; 1 April: 100 of 300, missed again → red; 10 April: 300 of 300, met → green.
    expect(await cards(h, '甲区投资')).toEqual(['green', 1, 1]);
  });
});

describe('given an instance started without monthCards (as an earlier release started them)', () => {
  it('then it has no month-cards timer and a step after a month turn gives no card; started with it, the same step cards the item', () => {
    const validation = validateProcessText(CAMPAIGN, { file: 'test.yaml' });
    const campaign = validation.definition as CampaignDefinition;
    const plan = compilePlan({ campaign, subprocesses: [] }, 1);
    const input = {
      campaignId: 'c',
      unit: '甲区',
      office: false,
      unitWork: true,
      members: [],
      startedAt: shanghai('2024-01-01T00:00:00'),
      items: [{ id: '甲区投资', kind: '片区投资任务', target: 1200 }],
    };
    const old = initialContext(input);
    expect(monthCardsTimer(plan, 'c/甲区', old)).toBeUndefined();
    const at = shanghai('2024-03-01T00:00:00');
    const event = { type: 'timer.fired', key: 'month-cards:turn', dueAt: at, at } as never;
    expect(new RecordKeeper(plan, old).apply(event).context.tracked).toEqual(old.tracked);
    const now = initialContext({ ...input, monthCards: true });
    expect(monthCardsTimer(plan, 'c/甲区', now)?.dueAt).toBe(shanghai('2024-02-01T00:00:00'));
    // Nothing reported since the start: 0 against 200 at 1 March, missed → yellow (1 February owed nothing: listed at its first instant).
    expect(new RecordKeeper(plan, now).apply(event).context.tracked?.['甲区投资']).toMatchObject({ l: 'y', ny: 1, nm: 1 });
  });
});

describe('the month-cards timer key (定时器键)', () => {
  it('is one fixed text, month-cards:turn, and no other text after the kind reads as one', () => {
    expect(formatTimerKey({ kind: 'month-cards' })).toBe('month-cards:turn');
    expect(parseTimerKey('month-cards:turn')).toEqual({ kind: 'month-cards' });
    for (const text of ['month-cards:', 'month-cards:x', 'month-cards:turn:', 'month-cards::turn']) expect(parseTimerKey(text), text).toBeUndefined();
  });
});

describe('given an area task of 1,200 a year in a campaign over 2024 and 2025 (two campaign years, cumulative from each 1 January)', () => {
  const TWO_YEARS = minimalCampaign({
    id: '两年亮牌',
    roles: [office('投资办'), unit('片区', '各片区')],
    blocks: `
      items:
        - { id: 片区投资任务, title: 片区全社会投资任务, by: 投资办, redAfterMisses: 2, every: 每月 }`,
    phases: [{ id: '亮牌', window: '2024年1月1日至2025年12月31日' }],
  });

  it('when it reports on plan on the 15th of every month to November 2024 (1,000 then) and nothing after, then 1 January 2025 cards December against the whole year (1,000 of 1,200, yellow), and 1 February cards January of 2025 on nothing reported that year (0 of 100, red)', async () => {
    const h = await engineWith(TWO_YEARS, { start: '2024-01-01T00:00:00' });
    await h.engine.startCampaign({ process: h.processId, organisation: { id: '市投资办', units: [{ id: '甲区', items: [{ id: '甲区投资', kind: '片区投资任务', target: 1200 }] }] } as never, campaignId: 'c' });
    // On the 15th of month m, m − 1 whole months are gone: 100 × (m − 1) meets the share exactly; 1,000 on 15 November.
    for (let m = 1; m <= 11; m++) await report(h, `2024-${String(m).padStart(2, '0')}-15T10:00:00`, '甲区', '甲区投资', 100 * (m - 1));
    await until(h, '2024-12-31T23:00:00');
    expect(await cards(h, '甲区投资')).toEqual(['green', 0, 0]);
    // The turn of December is the year's end: 1,000 against 12/12 = 1,200, missed → yellow (not the new year's share of 0).
    await until(h, '2025-01-01T00:00:00');
    expect(await cards(h, '甲区投资')).toEqual(['yellow', 1, 0]);
    // January 2025: the last figure is 2024's, so nothing counts this year: 0 against 100, the second miss running → red.
    await until(h, '2025-02-01T00:00:00');
    expect(await cards(h, '甲区投资')).toEqual(['red', 1, 1]);
  });
});
