import { describe, expect, it } from 'vitest';
import { validateProcessText } from '@luoshi/dsl';
import { createInProcessEngine, EngineError, runUntil, VirtualClock } from '@luoshi/engine';
import { engineWith, shanghai } from './support/harness.js';

/**
 * 批次 (issue 18, cohorts): "第一批试点镇3月启动, 第二批9月1日启动" — one phase over the year; each
 * town's 实施方案 is due 整治后20天内, counted from when its work opens; a town of the second batch
 * is 未启动 until 1 September. A ranking on 6月30日 takes only towns that have started, and a
 * consequence on a verified complaint reads the town's batch.
 */
const CAMPAIGN = `
kind: campaign
id: 分批推开
title: 分批推开
source: { title: 测试 }
year: 2024
subjects: [unit]
cohorts:
  - { id: 第一批, title: 第一批试点, start: 3月1日 }
  - { id: 第二批, title: 第二批, start: 9月1日 }
roles:
  - { id: 办公室, title: 办公室, level: office }
  - { id: 镇, title: 各镇, level: unit }
flags:
  - { id: 第二批被举报, title: 第二批被举报, lasts: campaign }
consequences:
  - id: 第二批举报
    title: 第二批举报
    on: { event: complaint-verified, when: "subject.cohort == '第二批' and not subject.started" }
    flags: [第二批被举报]
evaluations: []
phases:
  - id: 整治
    title: 整治
    window: 3月至12月
    tasks:
      - { id: 实施方案, title: 本镇实施方案, owner: 镇, due: 整治后20天内 }
    evaluations:
      - { id: 半年考核, title: 半年考核, by: 办公室, due: 12月20日 }
rankings:
  - { id: 半年排名, title: 半年排名, subject: unit, at: 6月30日, weights: { 半年考核: 1 }, eligible: subject.started }
`.replace('evaluations: []\n', '');
const ORGANISATION = { id: '县', units: [{ id: '镇A', cohort: '第一批' }, { id: '镇B', cohort: '第二批' }, { id: '镇C' }] };

async function started() {
  const h = await engineWith(CAMPAIGN, { start: '2024-03-01T00:00:00' });
  await h.engine.startCampaign({ process: h.processId, organisation: ORGANISATION, campaignId: 'c' });
  return h;
}

function code(promise: Promise<unknown>): Promise<string> {
  return promise.then(
    () => 'applied',
    (e: unknown) => (e instanceof EngineError ? e.code : `not an EngineError: ${String(e)}`),
  );
}

describe('given towns of a first batch (3月1日) and a second batch (9月1日)', () => {
  it('when the campaign starts, then the second batch has no open task and shows 未启动 with its start; the first batch and a town without a batch start at once', async () => {
    const { engine } = await started();
    expect(await engine.tasks('c/镇B')).toEqual([]);
    expect(await engine.state('c/镇B')).toMatchObject({ cohort: '第二批', started: false, startsAt: shanghai('2024-09-01T00:00:00') });
    // 20 days counted from 1 March are 2–21 March: due when 21 March is over.
    expect((await engine.tasks('c/镇A')).map((t) => [t.key, t.status, t.dueAt])).toEqual([
      ['实施方案', 'open', shanghai('2024-03-22T00:00:00')],
      ['半年考核', 'open', shanghai('2024-12-21T00:00:00')],
    ]);
    expect(await engine.state('c/镇A')).toMatchObject({ cohort: '第一批', started: true });
    expect((await engine.state('c/镇C')).started).toBe(true);
    expect((await engine.tasks('c/镇C')).map((t) => t.key)).toEqual(['实施方案', '半年考核']);
  });

  it('when the summer passes, then the second batch still has no task and its work cannot be done early', async () => {
    const { engine, clock } = await started();
    await runUntil(engine, clock, shanghai('2024-08-31T23:00:00'));
    expect(await engine.tasks('c/镇B')).toEqual([]);
    expect(await code(engine.send('c/镇B', { type: 'task.completed', task: '实施方案' }))).toBe('ENGINE_TASK_NOT_OPEN');
  });

  it('when 1 September comes, then its first task opens, counted from 1 September (2–21 September: due when the 21st is over)', async () => {
    const { engine, clock } = await started();
    await runUntil(engine, clock, shanghai('2024-09-01T00:00:00'));
    expect((await engine.tasks('c/镇B')).map((t) => [t.key, t.status, t.dueAt])).toEqual([
      ['实施方案', 'open', shanghai('2024-09-22T00:00:00')],
      ['半年考核', 'open', shanghai('2024-12-21T00:00:00')],
    ]);
    expect(await engine.state('c/镇B')).toMatchObject({ cohort: '第二批', started: true });
    await expect(engine.replay('c/镇B')).resolves.toBeDefined();
  });

  it('when the ranking of 30 June is drawn, then only the towns that have started are placed (eligible: subject.started)', async () => {
    const { engine, clock } = await started();
    await runUntil(engine, clock, shanghai('2024-07-01T01:00:00'));
    const placed = async (id: string) => (await engine.subjects(id)).find((s) => s.kind === 'unit')?.ranks ?? {};
    expect(await placed('c/镇A')).toEqual({ 半年排名: 1 });
    expect(await placed('c/镇B')).toEqual({});
    expect(await placed('c/镇C')).toEqual({ 半年排名: 2 });
  });

  it('when a complaint against each town is verified in May, then a campaign-wide rule reads the batch and 未启动: only the second-batch town is flagged', async () => {
    const { engine, clock } = await started();
    clock.advanceTo(shanghai('2024-05-06T10:00:00'));
    for (const id of ['c/镇A', 'c/镇B', 'c/镇C']) await engine.send(id, { type: 'complaint.verified' });
    const flags = async (id: string) => (await engine.subjects(id)).find((s) => s.kind === 'unit')?.flags ?? [];
    expect(await flags('c/镇A')).toEqual([]);
    expect(await flags('c/镇B')).toEqual(['第二批被举报']);
    expect(await flags('c/镇C')).toEqual([]);
  });

  it('when a unit names a batch the campaign does not declare, then the start is refused with ENGINE_INVALID_ORGANISATION', async () => {
    const { engine, processId } = await engineWith(CAMPAIGN, { start: '2024-03-01T00:00:00' });
    const bad = { id: '县', units: [{ id: '镇A', cohort: '第三批' }] };
    expect(await code(engine.startCampaign({ process: processId, organisation: bad, campaignId: 'c' }))).toBe('ENGINE_INVALID_ORGANISATION');
  });

  it('in-process (the simulator’s driver), then the second batch opens on 1 September as on the durable engine', async () => {
    const validation = validateProcessText(CAMPAIGN, { file: 'test.yaml' });
    const clock = new VirtualClock(shanghai('2024-03-01T00:00:00'));
    const driver = createInProcessEngine({ clock });
    await driver.deploy([validation.definition] as Parameters<typeof driver.deploy>[0]);
    await driver.startCampaign({ process: '分批推开', organisation: ORGANISATION, campaignId: 'c' });
    expect(await driver.tasks('c/镇B')).toEqual([]);
    await runUntil(driver, clock, shanghai('2024-09-01T00:00:00'));
    expect((await driver.tasks('c/镇B')).map((t) => [t.key, t.dueAt])).toEqual([
      ['实施方案', shanghai('2024-09-22T00:00:00')],
      ['半年考核', shanghai('2024-12-21T00:00:00')],
    ]);
  });
});

/**
 * D1 "成熟一个、验收一个": each town applies (申报) in a year of its choice; the option names the cohort.
 * 验收 runs April 2024 to the end of 2025; a town that applies for 2025 waits, 未启动, until 1 March 2025.
 */
const APPLYING = `
kind: campaign
id: 申报验收
title: 申报验收
source: { title: 测试 }
year: 2024
end: 2025-12-31
subjects: [unit]
cohorts:
  - { id: 二〇二四年, title: 2024年验收, start: 2024-04-01 }
  - { id: 二〇二五年, title: 2025年验收, start: 2025-03-01 }
roles:
  - { id: 镇, title: 各镇, level: unit }
phases:
  - id: 申报
    title: 申报
    window: 2024-03-01..2024-03-31
    exit: decision
    decisions:
      - id: 申报年度
        title: 申报验收年度
        by: 镇
        options:
          - { id: 今年, next: 验收, cohort: 二〇二四年 }
          - { id: 明年, next: 验收, cohort: 二〇二五年 }
  - id: 验收
    title: 验收
    window: 2024-04-01..2025-12-31
    tasks:
      - { id: 验收材料, title: 报送验收材料, owner: 镇, due: 验收后30天内 }
`;

describe('given towns that choose their year of acceptance by a decision (申报)', () => {
  it('when 镇B applies for next year, then it is 未启动 in 验收 until 1 March 2025, and its task opens then, counted from then', async () => {
    const { engine, clock, processId } = await engineWith(APPLYING, { start: '2024-03-01T00:00:00' });
    await engine.startCampaign({ process: processId, organisation: { id: '县', units: [{ id: '镇A' }, { id: '镇B' }] }, campaignId: 'c' });
    clock.advanceTo(shanghai('2024-03-10T10:00:00'));
    await engine.send('c/镇A', { type: 'decision.taken', decision: '申报年度', option: '今年' });
    await engine.send('c/镇B', { type: 'decision.taken', decision: '申报年度', option: '明年' });
    expect(await engine.state('c/镇B')).toMatchObject({ phase: '验收', cohort: '二〇二五年', started: false, startsAt: shanghai('2025-03-01T00:00:00') });
    await runUntil(engine, clock, shanghai('2024-04-01T00:00:00'));
    // 镇A: from 1 April 2024, 30 days are 2 April–1 May: due when 1 May is over.
    expect((await engine.tasks('c/镇A')).map((t) => [t.key, t.dueAt])).toEqual([['验收材料', shanghai('2024-05-02T00:00:00')]]);
    expect(await engine.tasks('c/镇B')).toEqual([]);
    await runUntil(engine, clock, shanghai('2025-03-01T00:00:00'));
    // 镇B: from 1 March 2025, 30 days are 2–31 March: due when 31 March is over.
    expect((await engine.tasks('c/镇B')).map((t) => [t.key, t.status, t.dueAt])).toEqual([['验收材料', 'open', shanghai('2025-04-01T00:00:00')]]);
    expect((await engine.state('c/镇B')).started).toBe(true);
  });

  it('when an option names a cohort the campaign lacks, then the validator says DSL_UNKNOWN_COHORT', () => {
    const result = validateProcessText(APPLYING.replace('cohort: 二〇二五年 }', 'cohort: 二〇二六年 }'), { file: 'test.yaml' });
    expect(result.diagnostics.map((d) => d.code)).toContain('DSL_UNKNOWN_COHORT');
  });
});
