import { describe, expect, it } from 'vitest';
import { validateProcessText } from '@luoshi/dsl';
import { createInProcessEngine, VirtualClock } from '@luoshi/engine';
import { engineWith, shanghai } from './support/harness.js';

/**
 * 层层分解 (issue 18, cascades): "县委印发实施方案后10个工作日内，各乡镇制定本级方案；乡镇方案印发后5个工作日内，
 * 各村制定本村方案" — county (the office) → townships → villages. The top level counts from the
 * county's plan; each level below from its parent unit's completion of the same task.
 */
const CAMPAIGN = `
kind: campaign
id: 层层分解
title: 层层分解
source: { title: 测试 }
year: 2024
subjects: [unit]
roles:
  - { id: 县委办, title: 县委办, level: office }
  - { id: 本级, title: 乡镇、村, level: unit }
phases:
  - id: 部署
    title: 部署
    window: 3月至4月
    tasks:
      - { id: 县级方案, title: 县委印发实施方案, owner: 县委办, due: 3月8日 }
      - { id: 本级方案, title: 制定本级方案, owner: 本级, due: 县级方案后10个工作日内, cascadeWithin: 5个工作日 }
`;
const ORGANISATION = {
  id: '县',
  units: [
    { id: '甲镇', units: [{ id: '甲一村' }, { id: '甲二村' }] },
    { id: '乙镇', units: [{ id: '乙一村' }] },
  ],
};

interface Driver {
  startCampaign(input: { process: string; organisation: typeof ORGANISATION; campaignId: string }): Promise<unknown>;
  send(instanceId: string, event: { type: 'task.completed'; task: string }): Promise<unknown>;
  tasks(instanceId: string): Promise<readonly { item: string; status: string; dueAt?: number }[]>;
}

const plan = async (driver: Driver, unit: string) => (await driver.tasks(`c/${unit}`)).find((t) => t.item === '本级方案');

async function cascade(driver: Driver, clock: VirtualClock, processId: string) {
  await driver.startCampaign({ process: processId, organisation: ORGANISATION, campaignId: 'c' });
  const before = { town: await plan(driver, '甲镇'), village: await plan(driver, '甲一村') };
  // The county issues its plan on Monday 4 March; 甲镇 on Friday 8 March.
  clock.advanceTo(shanghai('2024-03-04T10:00:00'));
  await driver.send('c/县', { type: 'task.completed', task: '县级方案' });
  const afterCounty = { town: await plan(driver, '甲镇'), village: await plan(driver, '甲一村') };
  clock.advanceTo(shanghai('2024-03-08T10:00:00'));
  await driver.send('c/甲镇', { type: 'task.completed', task: '本级方案' });
  const afterTown = { a1: await plan(driver, '甲一村'), a2: await plan(driver, '甲二村'), b1: await plan(driver, '乙一村') };
  return { before, afterCounty, afterTown };
}

describe('a plan chain county → township → village (层层分解, cascadeWithin)', () => {
  it('counts each level from the level above: before anything is done, from the deadlines; then from each completion, on the durable engine', async () => {
    const h = await engineWith(CAMPAIGN, { start: '2024-03-01T08:00:00' });
    const { before, afterCounty, afterTown } = await cascade(h.engine, h.clock, h.processId);
    // County due 8 March (Friday): townships 10 working days after, 11–22 March; villages 5 more, 25–29 March.
    expect(before.town).toMatchObject({ status: 'open', dueAt: shanghai('2024-03-23T00:00:00') });
    expect(before.village).toMatchObject({ status: 'open', dueAt: shanghai('2024-03-30T00:00:00') });
    // County done Monday 4 March: townships 5–8, 11–15, 18 March; villages from that deadline, 19–22, 25 March.
    expect(afterCounty.town).toMatchObject({ status: 'open', dueAt: shanghai('2024-03-19T00:00:00') });
    expect(afterCounty.village).toMatchObject({ status: 'open', dueAt: shanghai('2024-03-26T00:00:00') });
    // 甲镇 done Friday 8 March: its villages 11–15 March; 乙镇's village still counts from 乙镇's deadline (18 March).
    expect(afterTown.a1).toMatchObject({ status: 'open', dueAt: shanghai('2024-03-16T00:00:00') });
    expect(afterTown.a2).toMatchObject({ status: 'open', dueAt: shanghai('2024-03-16T00:00:00') });
    expect(afterTown.b1).toMatchObject({ status: 'open', dueAt: shanghai('2024-03-26T00:00:00') });
  });

  it('in-process (the simulator’s driver), the same deadlines', async () => {
    const validation = validateProcessText(CAMPAIGN, { file: 'test.yaml' });
    const clock = new VirtualClock(shanghai('2024-03-01T08:00:00'));
    const driver = createInProcessEngine({ clock });
    await driver.deploy([validation.definition] as Parameters<typeof driver.deploy>[0]);
    const { afterTown } = await cascade(driver, clock, '层层分解');
    expect(afterTown.a1).toMatchObject({ status: 'open', dueAt: shanghai('2024-03-16T00:00:00') });
    expect(afterTown.b1).toMatchObject({ status: 'open', dueAt: shanghai('2024-03-26T00:00:00') });
  });

  it('refuses cascadeWithin on a task of the office, which has no level above (DSL_CASCADE_OFFICE_TASK)', () => {
    const bad = CAMPAIGN.replace('due: 3月8日 }', 'due: 3月8日, cascadeWithin: 5个工作日 }');
    const result = validateProcessText(bad, { file: 'test.yaml' });
    expect(result.diagnostics.map((d) => d.code)).toContain('DSL_CASCADE_OFFICE_TASK');
  });
});
