import { describe, expect, it } from 'vitest';
import { createInProcessEngine, runUntil, VirtualClock, type Engine } from '@luoshi/engine';
import { validateProcessText } from '@luoshi/dsl';
import { member, minimalCampaign, unit } from '../../../test/support/minimal-campaign.js';
import { engineWith, organisation, shanghai } from './support/harness.js';

/**
 * 各单位结果 (`Engine.unitOutcomes`): per unit, its tasks and its members' by status, how late its late
 * completions came, subjects per flag, its own grades. Two units of two members, from 1 March 2024:
 * 方案 (the unit's) is due when 10 March ends (11 March 00:00), 承诺 (each member's) when 11 March
 * ends (12 March 00:00).
 *   u01 does 方案 on 14 March 12:00 (3.5 days after 11 March 00:00), u01-m1 its 承诺 on 13 March
 *   00:00 (1 day after 12 March 00:00), u01-m2 never: 1 + 1 late, 1 overdue; late 3.5 + 1 = 4.5
 *   days, the longest 3.5; by item 方案 3.5 days, 承诺 1 day; flagged 个人逾期: u01-m1 and u01-m2
 *   (both went overdue), 2 subjects.
 *   u02 does 方案 on 5 March and both members their 承诺 on 6 March: 3 on time, nothing late, no flag.
 * Read on 20 March, before 总结 (due 31 March) is overdue: it counts open, 1 per unit.
 */
const CAMPAIGN = minimalCampaign({
  id: '各单位结果',
  subjects: ['unit', 'member'],
  roles: [unit('单位', '各单位'), member('党员')],
  blocks: `
    flags:
      - { id: 个人逾期, title: 个人逾期 }`,
  phases: [{ id: '动员', window: '3月', body: `
    tasks:
      - { id: 方案, title: 报送方案, owner: 单位, due: 3月10日 }
      - { id: 承诺, title: 个人承诺, owner: 党员, subject: member, due: 3月11日 }
      - { id: 总结, title: 总结, owner: 单位, due: 3月31日 }` }],
  after: `
    consequences:
      - id: 个人逾期
        title: 个人任务逾期
        on: { event: task-overdue, when: "subject.kind == 'member'" }
        subject: member
        flags: [个人逾期]`,
});

const DAY = 86_400_000;

/** What both drivers answer alike (`runUntil` reads only their timers). */
type Driver = Pick<Engine, 'startCampaign' | 'send' | 'unitOutcomes' | 'nextTimerAt' | 'runDueTimers'>;

async function play(engine: Driver, clock: VirtualClock): Promise<void> {
  await engine.startCampaign({ process: '各单位结果', organisation: organisation(2, 2), campaignId: 'c' });
  const at = async (iso: string, unit: string, task: string, member?: string) => {
    await runUntil(engine as Engine, clock, shanghai(iso));
    await engine.send(`c/${unit}`, { type: 'task.completed', task, ...(member === undefined ? {} : { member }) });
  };
  await at('2024-03-05T09:00:00', 'u02', '方案');
  await at('2024-03-06T09:00:00', 'u02', '承诺', 'u02-m1');
  await at('2024-03-06T10:00:00', 'u02', '承诺', 'u02-m2');
  await at('2024-03-13T00:00:00', 'u01', '承诺', 'u01-m1');
  await at('2024-03-14T12:00:00', 'u01', '方案');
  await runUntil(engine as Engine, clock, shanghai('2024-03-20T00:00:00'));
}

const EXPECTED = [
  {
    instanceId: 'c/u01',
    unitId: 'u01',
    tasks: { waiting: 0, open: 1, overdue: 1, done: 0, late: 2 },
    late: { sum: 4.5 * DAY, max: 3.5 * DAY },
    lateByItem: { 方案: 3.5 * DAY, 承诺: 1 * DAY },
    flags: { 个人逾期: 2 },
    grades: {},
  },
  { instanceId: 'c/u02', unitId: 'u02', tasks: { waiting: 0, open: 1, overdue: 0, done: 3, late: 0 }, late: { sum: 0, max: 0 }, lateByItem: {}, flags: {}, grades: {} },
];

describe('given each unit’s outcomes (各单位结果)', () => {
  it('when the durable engine is asked, then each unit has its tasks by status, its days late, its flags, as counted by hand', async () => {
    const h = await engineWith(CAMPAIGN, { start: '2024-03-01T00:00:00' });
    await play(h.engine, h.clock);
    const all = await h.engine.unitOutcomes('c');
    // The campaign's root (the organisation's office) first, with nothing of its own.
    expect(all.slice(1)).toEqual(EXPECTED);
    expect(await h.engine.unitOutcomes('c', 'u02')).toEqual([EXPECTED[1]]);
  });

  it('when the in-process driver is asked, then it counts the same', async () => {
    const validation = validateProcessText(CAMPAIGN, { file: 'test.yaml' });
    const clock = new VirtualClock(shanghai('2024-03-01T00:00:00'));
    const engine = createInProcessEngine({ clock });
    await engine.deploy([validation.definition] as Parameters<typeof engine.deploy>[0]);
    await play(engine, clock);
    expect((await engine.unitOutcomes('c')).slice(1)).toEqual(EXPECTED);
  });
});
