import { describe, expect, it } from 'vitest';
import { validateProcessText } from '@luoshi/dsl';
import { createInProcessEngine, VirtualClock } from '@luoshi/engine';
import { engineWith, shanghai } from './support/harness.js';

/** "各部门在全区动员大会后5个工作日内召开本级动员会": the office's meeting due 3月8日 (a Friday). */
const CAMPAIGN = `
kind: campaign
id: 全区动员
title: 全区动员
source: { title: 测试 }
year: 2024
subjects: [unit]
roles:
  - { id: 办公室, title: 办公室, level: office }
  - { id: 单位, title: 各单位, level: unit }
phases:
  - id: 动员部署
    title: 动员部署
    window: 3月
    tasks:
      - { id: 全区动员大会, title: 召开全区动员大会, owner: 办公室, due: 3月8日 }
      - { id: 本级动员会, title: 召开本级动员会, owner: 单位, due: 全区动员大会后5个工作日内 }
`;
const ORGANISATION = { id: '区委', units: [{ id: '镇A' }, { id: '镇B' }] };

/** The driver's calls this test makes, the same on the durable engine and the in-process one. */
interface Driver {
  startCampaign(input: { process: string; organisation: typeof ORGANISATION; campaignId: string }): Promise<unknown>;
  send(instanceId: string, event: { type: 'task.completed'; task: string }): Promise<unknown>;
  tasks(instanceId: string): Promise<readonly { item: string; status: string; dueAt?: number }[]>;
}

async function meetingDoneOn(driver: Driver, clock: VirtualClock, processId: string, at: string) {
  await driver.startCampaign({ process: processId, organisation: ORGANISATION, campaignId: 'c' });
  const before = (await driver.tasks('c/镇A')).find((t) => t.item === '本级动员会');
  clock.advanceTo(shanghai(at));
  await driver.send('c/区委', { type: 'task.completed', task: '全区动员大会' });
  const after = await Promise.all(['c/镇A', 'c/镇B'].map(async (id) => (await driver.tasks(id)).find((t) => t.item === '本级动员会')));
  return { before, after };
}

describe('a unit’s task counted from the office’s (全区动员大会后5个工作日内)', () => {
  it('when the office holds its meeting early, then every unit’s task counts from the meeting, on the durable engine', async () => {
    const h = await engineWith(CAMPAIGN, { start: '2024-03-01T08:00:00' });
    const { before, after } = await meetingDoneOn(h.engine, h.clock, h.processId, '2024-03-04T10:00:00');
    // Before the meeting: from its deadline, 11–15 March.
    expect(before).toMatchObject({ status: 'open', dueAt: shanghai('2024-03-16T00:00:00') });
    // Held on Monday 4 March: 5, 6, 7, 8, 11 March.
    for (const task of after) expect(task).toMatchObject({ status: 'open', dueAt: shanghai('2024-03-12T00:00:00') });
  });

  it('when the office holds its meeting late, then the units’ open tasks count from the meeting, in-process as on the engine', async () => {
    const validation = validateProcessText(CAMPAIGN, { file: 'test.yaml' });
    const clock = new VirtualClock(shanghai('2024-03-01T08:00:00'));
    const driver = createInProcessEngine({ clock });
    await driver.deploy([validation.definition] as Parameters<typeof driver.deploy>[0]);
    const { after } = await meetingDoneOn(driver, clock, '全区动员', '2024-03-12T10:00:00');
    // Held on Tuesday 12 March: 13, 14, 15, 18, 19 March.
    for (const task of after) expect(task).toMatchObject({ status: 'open', dueAt: shanghai('2024-03-20T00:00:00') });
  });
});
