import { describe, expect, it } from 'vitest';
import { validateProcessTexts } from '@luoshi/dsl';
import { createEngine, createMemoryStore, runUntil, VirtualClock, type HostEvent } from '@luoshi/engine';
import { organisation, shanghai } from './support/harness.js';

/**
 * 同一子流程多处引用 (issue 18, defect 2): 年度考评 is used in 2006年考评 (1月至6月) as 考评2006 and in
 * 2007年考评 (7月至12月) as 考评2007. Each use runs: its tasks are its own (`考评2006/自评`,
 * `考评2007/自评`), done independently, and the second use is not done because the first was.
 */
const SUB = `
kind: subprocess
id: 年度考评
title: 年度考评
tasks:
  - { id: 自评, title: 自评报告, owner: 单位 }
evaluations:
  - { id: 测评, title: 群众测评, by: 考评组, scale: { min: 0, max: 100 } }
`;

const CAMPAIGN = `
kind: campaign
id: 两年考评
title: 两年考评
source: { title: 测试 }
year: 2006
subjects: [unit]
roles:
  - { id: 考评组, title: 考评组, level: office }
  - { id: 单位, title: 各单位, level: unit }
phases:
  - id: 上半年
    title: 2006年考评
    window: 1月至6月
    uses:
      - { use: 年度考评, id: 考评2006 }
  - id: 下半年
    title: 2007年考评
    window: 7月至12月
    uses:
      - { use: 年度考评, id: 考评2007 }
rankings:
  - id: 排名
    title: 年度排名
    subject: unit
    at: 12月20日
    weights: { 考评2006/测评: 1, 考评2007/测评: 1 }
`;

/** The campaign validated with its sub-processes (no error allowed), deployed and started for one unit on 1 January 2006. */
async function started(files: { file: string; text: string }[]) {
  const validation = validateProcessTexts(files);
  const errors = validation.files.flatMap((f) => f.diagnostics).filter((d) => d.severity === 'error');
  expect(errors.map((d) => `${d.code} ${d.message.en}`)).toEqual([]);
  const clock = new VirtualClock(shanghai('2006-01-01T00:00:00'));
  const engine = createEngine({ store: createMemoryStore(), clock, effects: { deliver: () => undefined } });
  await engine.deploy(validation);
  await engine.startCampaign({ process: '两年考评', organisation: organisation(1, 0), campaignId: 'c' });
  return { engine, clock };
}

const setup = () =>
  started([
    { file: 'campaign.yaml', text: CAMPAIGN },
    { file: 'sub.yaml', text: SUB },
  ]);

const done = (task: string, at: string): HostEvent => ({ type: 'task.completed', task, at: shanghai(at) }) as HostEvent;

describe('given one sub-process used in two phases, as 考评2006 and 考评2007', () => {
  it('when the campaign starts, then the first use has its own open tasks and the second use none yet', async () => {
    const { engine } = await setup();
    const tasks = await engine.tasks('c/u01');
    expect(tasks.map((t) => [t.item, t.status, t.phase]).sort()).toEqual([
      ['考评2006/测评', 'open', '上半年'],
      ['考评2006/自评', 'open', '上半年'],
    ]);
    expect((await engine.state('c/u01')).value).toEqual({ 上半年: { 考评2006: 'running' } });
  });

  it('when 考评2006/自评 is done, then the first use is done, and in the next phase the second use runs with its own open task', async () => {
    const { engine, clock } = await setup();
    await runUntil(engine, clock, shanghai('2006-03-01T10:00:00'));
    await engine.send('c/u01', done('考评2006/自评', '2006-03-01T10:00:00'));
    await engine.send('c/u01', { type: 'score.given', evaluation: '考评2006/测评', score: 80, at: shanghai('2006-03-02T10:00:00') } as HostEvent);
    expect((await engine.state('c/u01')).value).toEqual({ 上半年: { 考评2006: 'done' } });
    await runUntil(engine, clock, shanghai('2006-07-03T10:00:00'));
    const state = await engine.state('c/u01');
    expect(state.phase).toBe('下半年');
    // Not done because the first use was: the same sub-process, a use of its own.
    expect(state.value).toEqual({ 下半年: { 考评2007: 'running' } });
    const open = (await engine.tasks('c/u01', { status: ['open'] })).map((t) => t.item).sort();
    expect(open).toEqual(['考评2007/测评', '考评2007/自评']);
    await engine.send('c/u01', done('考评2007/自评', '2006-07-03T10:00:00'));
    await engine.send('c/u01', { type: 'score.given', evaluation: '考评2007/测评', score: 90, at: shanghai('2006-07-04T10:00:00') } as HostEvent);
    expect((await engine.state('c/u01')).value).toEqual({ 下半年: { 考评2007: 'done' } });
    const all = await engine.tasks('c/u01');
    expect(all.map((t) => [t.item, t.status]).sort()).toEqual([
      ['考评2006/测评', 'done'],
      ['考评2006/自评', 'done'],
      ['考评2007/测评', 'done'],
      ['考评2007/自评', 'done'],
    ]);
  });

  it('when the first use\'s task is completed a second time in the second phase, then it is refused: a use\'s task is not the other use\'s', async () => {
    const { engine, clock } = await setup();
    await runUntil(engine, clock, shanghai('2006-07-03T10:00:00'));
    const error = await engine.send('c/u01', done('自评', '2006-07-03T10:00:00')).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: expect.stringMatching(/^ENGINE_/) });
  });
});

/**
 * Reuse (issue 18): 年度考评 used inline in the campaign (本级考评, 下半年) and from another sub-process
 * (综合考评, 上半年, which uses it without a name of its own). It runs twice, so each run's work is
 * named by its use: `年度考评/自评` inside 综合考评, `本级考评/自评` in the campaign; 综合考评 runs once and
 * keeps its own task's id (`总结`).
 */
const OUTER = `
kind: subprocess
id: 综合考评
title: 综合考评
tasks:
  - { id: 总结, title: 总结报告, owner: 单位 }
uses:
  - use: 年度考评
`;

const REUSE = CAMPAIGN.replace('      - { use: 年度考评, id: 考评2006 }', '      - { use: 综合考评 }')
  .replace('      - { use: 年度考评, id: 考评2007 }', '      - { use: 年度考评, id: 本级考评 }')
  .replace('weights: { 考评2006/测评: 1, 考评2007/测评: 1 }', 'weights: { 年度考评/测评: 1, 本级考评/测评: 1 }');

describe('given a sub-process used inline in the campaign and from another sub-process', () => {
  it('when each run\'s tasks are done in its phase, then each use opens and finishes on its own', async () => {
    const { engine, clock } = await started([
      { file: 'campaign.yaml', text: REUSE },
      { file: 'sub.yaml', text: SUB },
      { file: 'outer.yaml', text: OUTER },
    ]);
    const first = (await engine.tasks('c/u01', { status: ['open'] })).map((t) => t.item).sort();
    expect(first).toEqual(['年度考评/测评', '年度考评/自评', '总结']);
    await runUntil(engine, clock, shanghai('2006-03-01T10:00:00'));
    for (const task of ['总结', '年度考评/自评']) await engine.send('c/u01', done(task, '2006-03-01T10:00:00'));
    expect((await engine.state('c/u01')).value).toEqual({ 上半年: { 综合考评: 'running' } });
    await engine.send('c/u01', { type: 'score.given', evaluation: '年度考评/测评', score: 70, at: shanghai('2006-03-02T10:00:00') } as HostEvent);
    expect((await engine.state('c/u01')).value).toEqual({ 上半年: { 综合考评: 'done' } });
    await runUntil(engine, clock, shanghai('2006-07-03T10:00:00'));
    expect((await engine.state('c/u01')).value).toEqual({ 下半年: { 本级考评: 'running' } });
    const second = (await engine.tasks('c/u01', { status: ['open'] })).map((t) => t.item).sort();
    expect(second).toEqual(['本级考评/测评', '本级考评/自评']);
  });
});
