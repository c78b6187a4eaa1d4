import { describe, expect, it } from 'vitest';
import { parseProcessText, validateParsedFiles } from '@luoshi/dsl';
import { createEngine, createMemoryStore, runUntil, sampleOrganisation, VirtualClock, type Engine, type Store } from '@luoshi/engine';
import { simulate, validateScenarioText, type ScenarioFile } from '@luoshi/sim';
import { createKyselyStore } from '@luoshi/store-kysely';
import { shanghai, tempDatabase } from './support/campaign-harness.js';

/*
 * Work due after the LAST phase (issue 18, "Work due after its phase"): "专项整治4月至5月；整治结束后
 * 两周内（6月15日前）报送工作总结". The summary belongs to 专项整治, the campaign's only phase; its
 * deadline lies two weeks beyond it, and the campaign ends on 30 June. The instance's phases are
 * over on 31 May, but its work is not: the summary stays open, is overdue when 15 June is over,
 * may be handed in late until the campaign ends, and the instance closes (ended) once it is done
 * or when the campaign ends.
 */
const CAMPAIGN = `
kind: campaign
id: 整治总结
title: 整治总结
source: { title: 测试 }
year: 2024
end: 2024-06-30
subjects: [unit]
roles:
  - { id: 单位, title: 各单位, level: unit }
phases:
  - id: 专项整治
    title: 专项整治
    window: 4月至5月
    tasks:
      - { id: 整治方案, title: 整治方案, owner: 单位, due: 4月10日 }
      - { id: 工作总结, title: 报送工作总结, owner: 单位, due: 6月15日 }
`;

const SUMMARY_DUE = shanghai('2024-06-16T00:00:00');
const CAMPAIGN_END = shanghai('2024-07-01T00:00:00');

async function engineOn(store: Store): Promise<{ engine: Engine; clock: VirtualClock }> {
  const validation = validateParsedFiles([parseProcessText(CAMPAIGN, 'summary.yaml')]);
  expect(validation.diagnostics.filter((d) => d.code !== 'DSL_SCHEMA_COMMENT')).toEqual([]);
  const clock = new VirtualClock(shanghai('2024-04-01T00:00:00'));
  const engine = createEngine({ store, clock });
  await engine.deploy(validation);
  await engine.startCampaign({ process: '整治总结', organisation: sampleOrganisation(1, 0), campaignId: 'c' });
  await engine.send('c/u01', { type: 'task.completed', task: '整治方案' });
  return { engine, clock };
}

const summaryOf = async (engine: Engine) => (await engine.tasks('c/u01')).find((t) => t.item === '工作总结');

const stores: [string, () => Promise<Store>][] = [
  ['the memory store', async () => createMemoryStore()],
  ['SQLite', () => createKyselyStore({ sqlite: tempDatabase() })],
];

describe.each(stores)('given a one-phase campaign (4月至5月) whose summary is due 6月15日, two weeks after the phase, on %s', (_name, openStore) => {
  it('when the phase has ended, then the summary is still open, overdue only when 15 June is over, and can be handed in late; then the instance ends', async () => {
    const { engine, clock } = await engineOn(await openStore());
    await runUntil(engine, clock, shanghai('2024-06-05T12:00:00'));
    // The phases are over (ended), the instance is not: its summary is still open until 15 June is over.
    expect(await engine.state('c/u01')).toMatchObject({ phase: 'ended', ended: false, closesAt: CAMPAIGN_END });
    expect(await summaryOf(engine)).toMatchObject({ phase: '专项整治', status: 'open', dueAt: SUMMARY_DUE });
    await runUntil(engine, clock, shanghai('2024-06-15T23:59:00'));
    expect((await summaryOf(engine))?.status).toBe('open');
    await runUntil(engine, clock, shanghai('2024-06-16T00:00:01'));
    expect((await summaryOf(engine))?.status).toBe('overdue');
    expect((await engine.state('c/u01')).overdue).toBe(1);
    // Handed in late, on 20 June: done late, and with nothing left the instance ends.
    await runUntil(engine, clock, shanghai('2024-06-20T10:00:00'));
    await engine.send('c/u01', { type: 'task.completed', task: '工作总结' });
    expect(await summaryOf(engine)).toMatchObject({ status: 'late', completedAt: shanghai('2024-06-20T10:00:00') });
    const state = await engine.state('c/u01');
    expect(state).toMatchObject({ phase: 'ended', ended: true, overdue: 0 });
    expect(state.closesAt).toBeUndefined();
    await engine.close();
  });

  it('when the summary is handed in on time after the phase, then it is done on time and the instance ends at once', async () => {
    const { engine, clock } = await engineOn(await openStore());
    await runUntil(engine, clock, shanghai('2024-06-12T09:00:00'));
    await engine.send('c/u01', { type: 'task.completed', task: '工作总结' });
    expect(await summaryOf(engine)).toMatchObject({ status: 'done', completedAt: shanghai('2024-06-12T09:00:00') });
    expect(await engine.state('c/u01')).toMatchObject({ ended: true });
    await engine.close();
  });

  it('when it is never handed in, then the instance ends with the campaign on 30 June, the summary overdue, and later events are refused', async () => {
    const { engine, clock } = await engineOn(await openStore());
    await runUntil(engine, clock, shanghai('2024-06-30T23:00:00'));
    expect((await engine.state('c/u01')).ended).toBe(false);
    await runUntil(engine, clock, CAMPAIGN_END);
    expect(await engine.state('c/u01')).toMatchObject({ phase: 'ended', ended: true, overdue: 1 });
    expect((await summaryOf(engine))?.status).toBe('overdue');
    await expect(engine.send('c/u01', { type: 'task.completed', task: '工作总结' })).rejects.toMatchObject({ code: 'ENGINE_CAMPAIGN_ENDED' });
    expect(await engine.nextTimerAt()).toBeUndefined();
    await engine.close();
  });
});

const SCENARIO = `kind: scenario
id: 按时
title: 按时
process: 整治总结
seed: 3
organisation: { units: 10, membersPerUnit: 0 }
behaviour:
  default:
    tasks: { delay: { kind: fixed, mean: 20 }, neverProbability: 0 }
    complaintsPerMemberPerMonth: 0
    findingsPerUnitPerMonth: 0
`;

describe('given the same campaign simulated, every unit handing in its work 20 days after it opens', () => {
  it('when the run ends, then every summary (opened 1 April, due 15 June) was accepted on 21 April, on time, and no event was refused', async () => {
    const definitions = validateParsedFiles([parseProcessText(CAMPAIGN, 'summary.yaml')]);
    const loaded = validateScenarioText(SCENARIO, 'scenario.yaml');
    expect(loaded.diagnostics).toEqual([]);
    const result = await simulate({ definitions, processId: '整治总结', scenario: loaded.scenario as ScenarioFile });
    expect(result.events.rejected).toEqual({});
    expect(result.deadlines['工作总结']).toMatchObject({ total: 10, onTime: 10, late: 0, overdue: 0, open: 0 });
  });

  it('when every unit hands it in 70 days after it opens (10 June for the plan, 10 June for the summary), then the summary, after the phase, is accepted on time', async () => {
    const definitions = validateParsedFiles([parseProcessText(CAMPAIGN, 'summary.yaml')]);
    const loaded = validateScenarioText(SCENARIO.replace('mean: 20', 'mean: 70'), 'scenario.yaml');
    const result = await simulate({ definitions, processId: '整治总结', scenario: loaded.scenario as ScenarioFile });
    expect(result.events.rejected).toEqual({});
    // 整治方案 due 10 April: late; 工作总结 due 15 June: done on 10 June, after the phase, on time.
    expect(result.deadlines['整治方案']).toMatchObject({ total: 10, onTime: 0, late: 10 });
    expect(result.deadlines['工作总结']).toMatchObject({ total: 10, onTime: 10, late: 0, overdue: 0, open: 0 });
  });

  it('when every unit hands it in 80 days after it opens (20 June), then the summary is accepted late, after its due, before the campaign ends', async () => {
    const definitions = validateParsedFiles([parseProcessText(CAMPAIGN, 'summary.yaml')]);
    const loaded = validateScenarioText(SCENARIO.replace('mean: 20', 'mean: 80'), 'scenario.yaml');
    const result = await simulate({ definitions, processId: '整治总结', scenario: loaded.scenario as ScenarioFile });
    expect(result.events.rejected).toEqual({});
    expect(result.deadlines['工作总结']).toMatchObject({ total: 10, onTime: 0, late: 10, overdue: 0, open: 0 });
  });
});
