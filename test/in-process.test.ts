import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validateProcessPaths } from '@luoshi/dsl';
import { createMemoryStore, createInProcessEngine, VirtualClock, EngineError } from '@luoshi/engine';
import { loadScenarioFile, simulate } from '@luoshi/sim';
import { goldenDir, goldenText } from './support/golden.js';

const root = new URL('../', import.meta.url).pathname;
const definitions = validateProcessPaths([`${root}processes/`]);

function scenario(name: string) {
  const loaded = loadScenarioFile(`${root}examples/scenarios/${name}.yaml`);
  if (!loaded.ok || !loaded.scenario) throw new Error(name);
  return loaded.scenario;
}

// The simulator runs in-process by default and on the durable engine when handed a store: both go
// through the same pure step, and must give the same year for the same events.
describe('the in-process driver (进程内驱动) and the durable engine', () => {
  it.each([
    ['002-baseline', '机关作风建设年'],
    ['000-baseline', '三型机关动员月'],
  ])('when %s is simulated in-process and on the engine with a memory store, then both results equal the golden file', async (name, processId) => {
    const inProcess = await simulate({ definitions, processId, scenario: scenario(name) });
    const durable = await simulate({ definitions, processId, scenario: scenario(name), store: createMemoryStore() });
    const golden = readFileSync(`${goldenDir}sim-${name}.json`, 'utf8');
    expect(goldenText(inProcess)).toBe(golden);
    expect(goldenText(durable)).toBe(golden);
  });

  it('when an event names an instance, a task or a time it cannot have, then it is refused as the engine refuses it and the state is untouched', async () => {
    const clock = new VirtualClock(Date.parse('2010-03-01T00:00:00+08:00'));
    const driver = createInProcessEngine({ clock });
    await driver.deploy(definitions);
    const { instances } = await driver.startCampaign({ process: '机关作风建设年', organisation: { id: '区委', units: [{ id: '镇A' }] }, campaignId: 'c' });
    const unit = instances[1]?.instanceId as string;
    const before = await driver.state(unit);
    await expect(driver.send('c/无此单位', { type: 'complaint.verified' })).rejects.toMatchObject({ code: 'ENGINE_INSTANCE_NOT_FOUND' });
    await expect(driver.send(unit, { type: 'task.completed', task: '无此任务' })).rejects.toBeInstanceOf(EngineError);
    await expect(driver.startCampaign({ process: '机关作风建设年', organisation: { id: '区委' }, campaignId: 'c' })).rejects.toMatchObject({ code: 'ENGINE_INVALID_PAYLOAD' });
    await expect(driver.startCampaign({ process: '无此流程', organisation: { id: '区委' } })).rejects.toMatchObject({ code: 'ENGINE_PROCESS_NOT_FOUND' });
    expect(await driver.state(unit)).toEqual(before);
  });
});
